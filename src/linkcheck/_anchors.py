"""Anchor names a `#fragment` can point at. (Owner: discovery/local helper.)

Shared by markdown extraction (headings, raw HTML) and the remote fragment check (HTML pages).
"""

from __future__ import annotations

from collections.abc import Iterator


class Slugger:
    """GitHub's heading ids: lowercase, punctuation dropped, spaces to hyphens,
    `-1`, `-2`… for repeats within one document. One instance per document."""

    def slug(self, heading_text: str) -> str:
        raise NotImplementedError


def html_anchors(html: str) -> Iterator[str]:
    """The values of every `id="…"` and `<a name="…">` in a piece of HTML."""
    raise NotImplementedError
