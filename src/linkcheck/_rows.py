"""The row cache: an article's report rows across runs. An unchanged article whose links
were judged against files that are all as they were comes back as it was reported, without
being read, parsed, classified or resolved; a run where nothing changed costs the walk,
a stat per article and per file its links read, and the report (docs/scale.md).

A stored article's rows depend on, and come back only when all are as they were:

- the settings: every `Options` field, the current directory, the paths given, the
  extractor's version and this module's (`_settings`);
- the article file's signature (size, times, inode, device: the extraction cache's
  scheme, with its rule for a file changed within a timestamp tick of the run);
- its real folder and the repository that folder belongs to (where `/x.md` starts,
  which folders a link may reach);
- every path the local resolver read to judge its links, as it was just before it was
  read (`LocalResolver.watch`): a target file or folder, or its absence; each index and
  fallback file tried; each file whose anchors a `#fragment` was matched against.

Never stored, so judged every run: an article with a remote link checked online (its
verdict's age is the result cache's `cache_max_age`), one with a read or parse problem.
Not used at all (every article judged, as without it): under a site generator or a
generator config that could not be read, with `--site`, `--archive`, `--drift`,
`--preserve`, stdin, or URLs among the paths; their verdicts read files this module does
not follow (routes, built pages, the article's date).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Sequence
from stat import S_ISDIR
from typing import Protocol

from ._cache import ArticleRowCache, ResultCache
from ._crawl import is_web
from ._extract import EXTRACTOR_VERSION, run_started, stat_signature
from ._generators import Sites
from ._local import LocalResolver, Roots
from ._models import (
    Category,
    Cause,
    Classified,
    FileIssue,
    Kind,
    Link,
    LinkResult,
    Outcome,
    Redirect,
    Source,
    Span,
    Status,
)
from ._options import Options
from ._version import __version__

#: Bumped whenever what is stored here, or what a row depends on, changes.
ROWS_VERSION = 3  # 2: HTML pages match fragments exactly; `#TOP` is the top; 3: script links
_KIND_OF_VALUE = {kind.value: kind for kind in Kind}  # Kind(value) is 10x slower


class FileProgress(Protocol):
    def file_done(self) -> None: ...


class ArticleRows:
    """One run's use of the row cache: `replay` before extraction, `watch` the local
    resolver, `store` after resolution. With no cache (or bypassed), every method leaves
    the run as it would be without it."""

    def __init__(
        self,
        cache: ResultCache | None,
        options: Options,
        paths: Sequence[str],
        roots: Roots,
        sites: Sites,
    ) -> None:
        bypassed = (
            any(is_web(path) for path in paths)  # a crawl's robots.txt decides links too
            or "-" in paths
            or options.site is not None
            or options.archive
            or options.drift
            or options.preserve
            or os.name == "nt"  # st_ctime is no change time there (_articles.py)
        )
        self._store = None if cache is None or bypassed else ArticleRowCache(cache)
        self._options = options
        self._roots = roots
        self._sites = sites
        self._settings = _settings(options, paths, roots.cwd)
        self._started = run_started()
        self._states: dict[str, str | None] = {}
        self._reals: dict[str, str] = {}
        self._folders: dict[str, bool] = {}
        self._signatures: dict[Source, str | None] = {}
        #: The rows of the articles that came back from the cache.
        self.results: list[LinkResult] = []
        self.replayed: set[Source] = set()
        #: What the whole run's report depends on, once every article's rows are in the
        #: cache (`run_key`); None while some article's are not.
        self.run_key: str | None = None
        self._given: list[list[object]] = []  # the run's issues before any article's
        self._sources: list[Source] = []
        self._entries: dict[Source, tuple[str, str, str]] = {}  # key, signature, deps

    def replay(
        self, sources: list[Source], issues: list[FileIssue], progress: FileProgress
    ) -> list[Source]:
        """The rows of every source that is as it was (in `results`, its file warnings
        added to `issues`), and the sources left to judge."""
        if self._store is None or not sources:
            return sources
        folders = [self._folder(source) for source in sources]
        if self._generated(sources, folders):
            self._store = None  # a generator's routes read files not followed here
            return sources
        self._begin(sources, issues)
        keys = {source: self._key(source) for source in sources}
        stored = self._store.get(list(keys.values()), time.time())
        todo = []
        outcomes: dict[tuple[object, ...], Outcome] = {}
        for source, folder in zip(sources, folders, strict=True):
            signature = self._signatures[source] = self._state(source.path or "")
            row = stored.get(keys[source])
            replayed = (
                row is not None
                and signature is not None
                and row[0] == signature
                and self._holds(folder, row[1])
                and self._replay(source, row[2], issues, outcomes)
            )
            if replayed:
                assert row is not None
                self._entries[source] = (keys[source], row[0], row[1])
                self.replayed.add(source)
                progress.file_done()
            else:
                todo.append(source)
        return todo

    def unchanged(self, sources: list[Source], issues: list[FileIssue]) -> str | None:
        """The `run_key` a run over `sources` would have if every article's rows hold,
        found without reading an article or decoding its rows (the whole run replayed,
        docs/ci.md); None when some article must be judged again. One pass, no dict
        keyed by `Source` (its hash runs in Python): this is all a no-change run does."""
        if self._store is None or not sources:
            return None
        self._begin(sources, issues)
        keys = [self._key(source) for source in sources]
        stored = self._store.dependencies(keys, time.time())
        entries = []
        reals, dirname = self._reals, os.path.dirname
        # Per folder: its real path, and whether no site can govern an article in it.
        folders: dict[str, tuple[str, bool]] = {}
        # Each article's questions in one pass, so that a changed one ends it at once.
        for source, key in zip(sources, keys, strict=True):
            row = stored.get(key)
            path = source.path or ""
            signature = self._state(path)
            if row is None or signature is None or row[0] != signature:
                return None
            parent = path.rpartition(os.sep)[0]  # `dirname`, for the common case
            if not parent or parent.endswith(os.sep):
                parent = dirname(path) or "."
            known = folders.get(parent)
            if known is None:
                real = self._roots.real.folder(parent)
                known = folders[parent] = (real, self._sites.governs_none_in(real))
            folder, ungoverned = known
            # A symlinked article is governed by its real folder's site too. (A real path
            # `folder/name` is the common case; any other answer asks `_governed`.)
            linked = not ungoverned or reals.get(path, "").rpartition(os.sep)[0] != folder
            if linked and self._governed(source, folder):
                return None
            if not self._holds(folder, row[1]):
                return None
            entries.append((key, *row))
        if self._sites.problems or self._sites.unused_choice() is not None:
            return None
        return self._digest(entries)

    def real_path(self, source: Source) -> str:
        """The article's real path, as the row cache found it this run."""
        path = source.path or ""
        return self._reals.get(path) or os.path.realpath(path)

    def _begin(self, sources: list[Source], issues: list[FileIssue]) -> None:
        """The run's articles, and its issues so far (the walk's, the cache's), which
        its report holds besides the articles' own."""
        self._sources = sources
        self._given = [[issue.file, issue.message, issue.fatal] for issue in issues]

    def _run_key(self) -> str | None:
        """The run's key, once every article's rows are in the cache."""
        if not self._sources or any(source not in self._entries for source in self._sources):
            return None
        return self._digest([self._entries[source] for source in self._sources])

    def _digest(self, entries: list[tuple[str, str, str]]) -> str:
        """A digest of everything the run's report depends on: the settings, its issues
        before any article was read, and each article's name, path, and its rows' key,
        signature and dependencies (each checked to hold, so equal digests mean equal
        reports). No field holds a NUL, so NUL-joined fields cannot run together."""
        parts = [f"{ROWS_VERSION}", self._settings, json.dumps(self._given)]
        for source, entry in zip(self._sources, entries, strict=True):
            parts += (source.display, source.path or "", *entry)
        text = "\0".join(parts)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _generated(self, sources: list[Source], folders: list[str]) -> bool:
        """Whether a site generator governs an article (as its links' page, or as the
        file its dialect is read by), or a generator config could not be read."""
        for source, folder in zip(sources, folders, strict=True):
            if self._governed(source, folder):
                return True
        return bool(self._sites.problems)

    def _governed(self, source: Source, folder: str) -> bool:
        """Whether a site generator governs the article, by the folder it is linked
        from or by its real path."""
        linked_as = os.path.join(folder, os.path.basename(source.path or ""))
        self._state(source.path or "")  # and its real path, for a symlinked article
        real = self._reals.get(source.path or "", linked_as)
        return self._sites.governs(linked_as) or (real != linked_as and self._sites.governs(real))

    def _holds(self, folder: str, deps: str) -> bool:
        """Whether what an article's rows were judged against is as it was."""
        try:
            stored_folder, repository, paths = json.loads(deps)
            if stored_folder != folder or repository != self._roots.repository(folder):
                return False
            return all(self._state(path) == state for path, state in paths)
        except (ValueError, TypeError):
            return False  # dependencies this version cannot read: judged again

    def _replay(
        self,
        source: Source,
        payload: str,
        issues: list[FileIssue],
        outcomes: dict[tuple[object, ...], Outcome],
    ) -> bool:
        try:
            stored_outcomes, rows, warnings = json.loads(payload)
            table = [_outcome(row, outcomes) for row in stored_outcomes]
            file, kinds = source.display, _KIND_OF_VALUE
            # One comprehension, positional arguments: this runs once per link of a warm run.
            results = [
                LinkResult(
                    Link(file, line, column, kinds[kind], text, url, label, undefined, ignored,
                         None if dest is None else Span(*dest), unused),
                    target, shortlink, table[outcome], None, None, None, None, remapped,
                )
                for (line, column, kind, text, url, label, undefined, ignored, dest, unused,
                     target, shortlink, remapped, outcome) in rows
            ]  # fmt: skip
        except (ValueError, TypeError, KeyError, IndexError):
            return False  # a row this version cannot read: judged again
        self.results += results
        issues += (FileIssue(source.display, warning, fatal=False) for warning in warnings)
        return True

    def watch(self, local: LocalResolver) -> LocalResolver:
        """`local`, telling this cache each path it reads for a verdict (if storing)."""
        if self._store is not None:
            local.watch = self._state
        return local

    def store(
        self,
        judged: dict[Source, list[Classified]],
        outcomes: dict[int, Outcome],
        local: LocalResolver,
        issues: list[FileIssue],
    ) -> None:
        """The rows of the articles judged this run, with what each depended on; and the
        run's `run_key` when every article's rows are now in the cache."""
        if self._store is None:
            return
        problems: dict[str, list[FileIssue]] = {}
        for issue in issues:
            problems.setdefault(issue.file, []).append(issue)
        rows = {}
        for source, items in judged.items():
            signature = self._signatures.get(source)
            own = problems.get(source.display, [])
            if signature is None or any(issue.fatal for issue in own):
                continue
            deps = self._dependencies(source, items, local)
            if deps is None:
                continue
            numbers: dict[int, int] = {}  # each distinct outcome stored once
            distinct: list[list[object]] = []
            table = []
            for item in items:
                outcome = outcomes[id(item)]
                number = numbers.get(id(outcome))
                if number is None:
                    number = numbers[id(outcome)] = len(distinct)
                    distinct.append(_row(outcome))
                x = item.link
                dest = None if x.dest is None else [x.dest.line, x.dest.start, x.dest.end]
                table.append(
                    [x.line, x.column, x.kind.value, x.text, x.url, x.label, x.undefined,
                     x.ignored_by, dest, x.unused, item.target, item.shortlink, item.remapped,
                     number]
                )  # fmt: skip
            warnings = [issue.message for issue in own]
            payload = json.dumps([distinct, table, warnings], ensure_ascii=False)
            key = self._key(source)
            rows[key] = (signature, deps, payload)
            self._entries[source] = (key, signature, deps)
        kept = self._store.put(rows, time.time())
        for source in judged:
            if source in self._entries and self._entries[source][0] not in kept:
                del self._entries[source]  # not kept (a secret in it): judged every run
        # A generator's or its config's warning is no article's: no run key with one.
        if not local.config_issues() and not local.generators():
            self.run_key = self._run_key()

    def _dependencies(
        self, source: Source, items: list[Classified], local: LocalResolver
    ) -> str | None:
        """What the article's rows were judged against, as stored; None when some of it
        cannot be trusted to say whether it changed (checked online, changed too lately)."""
        paths: dict[str, None] = {}
        for item in items:
            if item.category is Category.REMOTE and not self._options.offline:
                return None
            if item.category is Category.LOCAL:
                consulted = local.consulted.get(local.key(item))
                if consulted is None:
                    return None
                paths.update(dict.fromkeys(consulted))
        states = [(path, self._states.get(path)) for path in paths]
        if any(state is None for _, state in states):
            return None
        folder = self._folder(source)
        return json.dumps([folder, self._roots.repository(folder), states], ensure_ascii=False)

    def _state(self, path: str) -> str | None:
        """What a path is now, once per run: `-` nothing, a folder and its real path, a
        file's real path and signature; None for a file changed so recently that a
        second change might leave its signature as it is (`stat_signature`)."""
        if path in self._states:
            return self._states[path]
        real, stat = self._roots.real.resolve_stat(path)
        self._reals[path] = real
        if stat is None:
            # Nothing there, as long as its folder has not changed lately: a file deleted
            # while the run read it changes the folder, not the file.
            state: str | None = "-" if self._settled(os.path.dirname(real)) else None
        elif S_ISDIR(stat.st_mode):
            state = f"d:{real}"
        else:
            signed = stat_signature(stat, self._started)
            state = None if signed is None else f"f:{real}:{signed}"
        self._states[path] = state
        return state

    def _settled(self, folder: str) -> bool:
        """Whether nothing was added to or removed from `folder` (or, if it is not there,
        the nearest folder above that is) within a timestamp tick of the run."""
        settled = self._folders.get(folder)
        if settled is None:
            try:
                stat = os.stat(folder)
            except (OSError, ValueError):
                parent = os.path.dirname(folder)
                settled = parent != folder and self._settled(parent)
            else:
                settled = stat_signature(stat, self._started) is not None
            self._folders[folder] = settled
        return settled

    def _folder(self, source: Source) -> str:
        return self._roots.real.folder(os.path.dirname(source.path or "") or ".")

    def _key(self, source: Source) -> str:
        text = f"{self._settings}\0{source.display}\0{source.path}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def run_settings(options: Options, paths: Sequence[str]) -> str:
    """The digest of a run's settings that its articles' rows are kept under."""
    return _settings(options, paths, os.getcwd())


def _settings(options: Options, paths: Sequence[str], cwd: str) -> str:
    """A digest of everything besides files that a row depends on: every setting (sets
    in a fixed order: their order changes with each process's hash seed)."""
    values = [f"{ROWS_VERSION}", __version__, f"{EXTRACTOR_VERSION}", cwd]
    values += sorted(os.path.realpath(path) for path in paths)
    for field in dataclasses.fields(options):
        value = getattr(options, field.name)
        text = repr(sorted(value) if isinstance(value, frozenset | set) else value)
        values.append(f"{field.name}={text}")
    return hashlib.sha256("\0".join(values).encode("utf-8", "surrogatepass")).hexdigest()


def _row(outcome: Outcome) -> list[object]:
    redirects = [[r.status, r.url] for r in outcome.redirects]
    cause = None if outcome.cause is None else outcome.cause.value
    return [
        outcome.status.value,
        outcome.reason,
        outcome.http_status,
        outcome.final_url,
        redirects,
        outcome.flaky,
        cause,
    ]


def _outcome(row: list[object], seen: dict[tuple[object, ...], Outcome]) -> Outcome:
    """A stored outcome, one object for equal ones (most rows share a few)."""
    status, reason, http_status, final_url, redirects, flaky, cause = row
    key = (status, reason, http_status, final_url, flaky, cause) if not redirects else None
    if key is not None and key in seen:
        return seen[key]
    if not isinstance(redirects, list):
        raise TypeError("redirects")
    outcome = Outcome(
        Status(str(status)),
        reason if reason is None else str(reason),
        http_status if http_status is None else int(http_status),  # type: ignore[call-overload]
        final_url if final_url is None else str(final_url),
        tuple(Redirect(int(s), str(u)) for s, u in redirects),
        flaky=bool(flaky),
        cause=None if cause is None else Cause(str(cause)),
    )
    if key is not None:
        seen[key] = outcome
    return outcome
