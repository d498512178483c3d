"""A whole run replayed: when nothing a run over some paths depends on changed since one
that wrote the same reports to files, those reports are written again (docs/ci.md, "A run
where nothing changed"). Imported by the CLI before any stage: it loads the walk and the
row cache's check, not the extractors, the checkers or the report writers."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from ._cache import WrittenReports, open_cache
from ._crawl import is_web
from ._discover import discover
from ._generators import Sites
from ._git import only_changed
from ._local import Roots
from ._models import FileIssue
from ._options import Options
from ._rows import ArticleRows, run_settings


def replay_written(
    paths: Sequence[str], options: Options, how: str
) -> tuple[list[str], str, bytes] | None:
    """When nothing a run over `paths` depends on changed since one that kept what it
    wrote (`keep_written`, written `how`): the real paths of the files it read and what
    it kept, found with a stat per article and per file its links read, no article read
    (docs/ci.md); None otherwise. Nothing kept for these settings: None before the walk.
    Else stage 1 as `check` runs it for paths that are no URLs (`_api._inputs`; a walk
    that differs from it would give another key: checked, never replayed), then the row
    cache's question."""
    if options.cache_path is None or any(is_web(path) for path in paths) or "-" in paths:
        return None
    opening: list[FileIssue] = []
    with open_cache(options, opening) as cache:
        if cache is None:
            return None
        kept = WrittenReports(cache).get(_slot(options, paths, how), time.time())
        if kept is None:
            return None
        issues: list[FileIssue] = []
        roots = Roots(options, paths)
        files = discover(paths, options, issues, roots.real)
        if options.changed_since is not None:
            files = only_changed(files, options.changed_since, Path(roots.cwd), issues)
        rows = ArticleRows(cache, options, paths, roots, Sites(options.generator, roots.repository))
        if rows.unchanged(files, issues + opening) != kept[0]:
            return None
    return [rows.real_path(s) for s in files], kept[1], kept[2]


def keep_written(
    paths: Sequence[str], options: Options, run_key: str, how: str, meta: str, written: bytes
) -> None:
    """Keep what a run whose report has `run_key` wrote `how`, for `replay_written`."""
    issues: list[FileIssue] = []
    with open_cache(options, issues) as cache:
        if cache is not None and not issues:
            slot = _slot(options, paths, how)
            # Locked by another run past the wait: nothing kept, the next run checks again.
            with suppress(sqlite3.Error):
                WrittenReports(cache).put(slot, run_key, meta, written, time.time())


def _slot(options: Options, paths: Sequence[str], how: str) -> str:
    """Where the reports of runs with these settings, written `how`, are kept."""
    text = f"{run_settings(options, paths)}\0{how}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
