"""Stage 4a: resolve local targets on disk."""

from __future__ import annotations

import os
from collections.abc import Callable

from ._anchors import html_anchors
from ._extract._read import open_regular
from ._models import Classified, Outcome, Status
from ._options import Options

#: Given an absolute path of a markdown file (or "-" for stdin), its anchors; None if unreadable.
AnchorLookup = Callable[[str], frozenset[str] | None]

_INDEX_FILES = ("index.md", "README.md", "readme.md", "index.markdown", "index.html", "index.htm")
_MARKDOWN = (".md", ".markdown", ".mdx")
_HTML = (".html", ".htm")
_HTML_LIMIT = 5 * 1024 * 1024
_OK = Outcome(Status.OK)


class LocalResolver:
    def __init__(self, options: Options, anchors_of: AnchorLookup) -> None:
        self._root = os.path.realpath(options.root_dir or os.getcwd())
        self._anchors_of = anchors_of

    def check(self, item: Classified) -> Outcome:
        """`item.path` exists (a directory needs an index.md/README.md/index.html…), and
        `item.fragment`, if any, names an anchor of the target."""
        assert item.path is not None
        display = (item.target or "").partition("#")[0]
        if item.path == "-":
            return self._fragment("-", item.fragment, display)
        real = os.path.realpath(item.path)
        # Compare real paths so neither `../` nor a symlink can reach outside the root.
        if os.path.commonpath([self._root, real]) != self._root:
            return Outcome(Status.BROKEN, f"points outside the root directory ({self._root})")
        if os.path.isdir(real):
            index = next(
                (
                    os.path.join(real, n)
                    for n in _INDEX_FILES
                    if os.path.isfile(os.path.join(real, n))
                ),
                None,
            )
            if index is None:
                return Outcome(Status.BROKEN, f"directory has no index.md or README.md: {display}")
            real = index
        elif not os.path.exists(real):
            return Outcome(Status.BROKEN, f"file not found: {display}")
        return self._fragment(real, item.fragment, display)

    def _fragment(self, path: str, fragment: str | None, display: str) -> Outcome:
        # GitHub matches fragments exactly (its slugs are already lowercase), and `#top`
        # or an empty fragment always scrolls to the top of the page.
        if not fragment or fragment == "top":
            return _OK
        lowered = path.lower()
        if path == "-" or lowered.endswith(_MARKDOWN):
            anchors = self._anchors_of(path)
        elif lowered.endswith(_HTML):
            anchors = _html_file_anchors(path)
        else:
            return _OK  # no anchors to check in an image or a PDF
        if anchors is None:
            return Outcome(Status.BROKEN, f"cannot read {display} to check #{fragment}")
        if fragment in anchors:
            return _OK
        return Outcome(Status.BROKEN, f"no heading or anchor #{fragment} in {display}")


def _html_file_anchors(path: str) -> frozenset[str] | None:
    try:
        with open_regular(path) as file:
            text = file.read(_HTML_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return None
    return frozenset(html_anchors(text))
