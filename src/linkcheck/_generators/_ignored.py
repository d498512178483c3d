"""Folders a repository's `.gitignore` keeps out of it, inside a site's source: what a
build step writes there before the site is built (Homebrew's `docs/rubydoc/`, written by
YARD from its Rakefile and listed in `.gitignore`), or a page's own source file
(expressive-code's `releases.md`, written by a script before the build). A link into such
a folder, or to such a page, cannot be checked on the checkout, and is not a dead end for
that: it is `unverified`, naming the `.gitignore` line.

Only plain names and paths are read (`/docs/rubydoc`, `generated/`, `api`), not globs
nor negations: a pattern with `*`, `?`, `[` or `!` is skipped, so a link is never made
`unverified` by a rule read wrongly."""

from __future__ import annotations

import os

from ._files import read_text
from ._site import Extension

_GLOB = frozenset("*?[!\\")


class IgnoredFolders:
    """The `.gitignore` files from a repository's top down to a path, each read once."""

    def __init__(self) -> None:
        self._rules: dict[str, list[tuple[int, str, bool]]] = {}

    def writer_of(self, path: str, top: str) -> Extension | None:
        """What decides `path` (absolute, under `top`, not on disk) when a `.gitignore`
        at or below `top` ignores a folder holding it (or the path itself); else None."""
        relative = os.path.relpath(path, top)
        if relative.startswith(".."):
            return None
        parts = relative.split(os.sep)
        for depth in range(len(parts)):
            folder = os.path.join(top, *parts[:depth])
            below = parts[depth:]
            for line, pattern, anchored in self._read(os.path.join(folder, ".gitignore")):
                wanted = pattern.split("/")
                # A bare name matches at any depth below the .gitignore; a path from it.
                if (below[: len(wanted)] == wanted) if anchored else (wanted[0] in below):
                    return Extension(
                        "build step that writes what .gitignore keeps out of the repository",
                        pattern,
                        os.path.join(folder, ".gitignore"),
                        line,
                    )
        return None

    def _read(self, gitignore: str) -> list[tuple[int, str, bool]]:
        rules = self._rules.get(gitignore)
        if rules is None:
            rules = []
            try:
                text = read_text(gitignore) if os.path.isfile(gitignore) else ""
            except OSError:
                text = ""
            for number, raw in enumerate(text.splitlines(), 1):
                line = raw.strip()
                if not line or line.startswith("#") or _GLOB & set(line):
                    continue
                pattern = line.strip("/")
                if not pattern or pattern in (".", ".."):
                    continue
                # `a/b` or `/a` is relative to the .gitignore's folder; `a` or `a/` anywhere.
                rules.append((number, pattern, "/" in line.rstrip("/")))
            self._rules[gitignore] = rules
        return rules
