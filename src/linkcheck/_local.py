"""Stage 4a: resolve local targets on disk. (Owner: discovery/local helper.)"""

from __future__ import annotations

from collections.abc import Callable

from ._models import Classified, Outcome
from ._options import Options

#: Given an absolute path of a markdown file (or "-" for stdin), its anchors; None if unreadable.
AnchorLookup = Callable[[str], frozenset[str] | None]


class LocalResolver:
    def __init__(self, options: Options, anchors_of: AnchorLookup) -> None:
        self._options = options
        self._anchors_of = anchors_of

    def check(self, item: Classified) -> Outcome:
        """`item.path` exists (a directory needs an index.md/README.md/index.html…), and
        `item.fragment`, if any, names an anchor of the target."""
        raise NotImplementedError
