"""Anchor names a `#fragment` can point at.

Shared by markdown extraction (headings, raw HTML) and the remote fragment check (HTML pages).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator


class Slugger:
    """GitHub's heading ids (github-slugger): lowercase, everything but letters, numbers,
    marks, `_`, `-` and spaces dropped, each space a hyphen; repeats in one document get
    `-1`, `-2`… without ever colliding with a heading that already reads `foo-1`.
    One instance per document."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, heading_text: str) -> str:
        base = "".join(_kept(ch) for ch in heading_text.lower()).replace(" ", "-")
        slug = base
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug


def _kept(ch: str) -> str:
    if ch in " -_":
        return ch
    return ch if unicodedata.category(ch)[0] in "LNM" else ""


# Bounded, linear patterns: attribute values never span a `<` or `>`.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)>")
_ATTR = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+))""", re.I)


def html_anchors(html_text: str) -> Iterator[str]:
    """The values of every `id="…"` and `<a name="…">` in a piece of HTML."""
    for tag in _TAG.finditer(html_text):
        is_a = tag.group(1).lower() == "a"
        for attr in _ATTR.finditer(tag.group(2)):
            if attr.group(1).lower() == "id" or is_a:
                value = attr.group(2) or attr.group(3) or attr.group(4) or ""
                if value:
                    yield html.unescape(value)
