"""Stage 1: find the articles to read."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from fnmatch import fnmatch

from ._models import Source
from ._options import Options

ARTICLE_SUFFIXES = (".md", ".markdown", ".mdx")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


class PathError(Exception):
    """A path named on the command line cannot be used; the CLI exits 2 with this message."""


def discover(paths: Sequence[str], options: Options) -> list[Source]:
    """Files as named (any extension), directories walked for *.md/*.markdown/*.mdx.

    Skips .git, node_modules and hidden folders, and anything matching
    `options.exclude_path`. `-` is stdin. Deterministic order; no duplicates.
    """
    found: list[Source] = []
    seen: set[str] = set()
    for given in paths or ["."]:
        if given == "-":
            candidates: Iterator[Source] = iter([Source("-", None)])
        elif os.path.isdir(given):
            candidates = iter(sorted(_walk(given, options.exclude_path), key=_order))
        elif os.path.exists(given):
            candidates = iter([Source(_display(given), given)])
        else:
            raise PathError(f"path does not exist: {given}")
        for source in candidates:
            key = "-" if source.path is None else os.path.realpath(source.path)
            if key not in seen and not _excluded(source.display, options.exclude_path):
                seen.add(key)
                found.append(source)
    return found


def _walk(root: str, patterns: Sequence[str]) -> Iterator[Source]:
    visited: set[str] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(directory)
        if real in visited:  # a symlink loop, or two links to one folder
            subdirs[:] = []
            continue
        visited.add(real)
        subdirs[:] = sorted(
            d
            for d in subdirs
            if not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and not _excluded(_display(os.path.join(directory, d)), patterns)
        )
        for name in sorted(files):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                path = os.path.join(directory, name)
                yield Source(_display(path), path)


def _order(source: Source) -> str:
    return source.display


def _display(path: str) -> str:
    """As given, `/`-separated, without `./` noise."""
    return os.path.normpath(path).replace(os.sep, "/")


def _excluded(display: str, patterns: Sequence[str]) -> bool:
    parts = display.split("/")
    return any(
        fnmatch(display, pattern) or any(fnmatch(part, pattern) for part in parts)
        for pattern in patterns
    )
