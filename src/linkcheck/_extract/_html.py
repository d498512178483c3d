"""Links in raw HTML inside markdown: `<a href>` and `<img src>`."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<(a|img)\b([^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)


def html_links(fragment: str) -> Iterator[tuple[int, str, str, tuple[int, int]]]:
    """(offset, url, text, value offsets) of every `<a href>` and `<img src>` outside
    HTML comments.

    The text is an image's alt, or what stands between `<a …>` and `</a>` in `fragment`.
    """
    # Blank comments out rather than cut them, so offsets stay true.
    visible = _COMMENT.sub(lambda m: " " * len(m.group()), fragment)
    for tag in _TAG.finditer(visible):
        attrs: dict[str, tuple[str, tuple[int, int]]] = {}
        for m in _ATTR.finditer(" " + tag.group(2)):
            group = next(g for g in (2, 3, 4) if m.group(g) is not None)
            where = (tag.start(2) + m.start(group) - 1, tag.start(2) + m.end(group) - 1)
            attrs.setdefault(m.group(1).lower(), (html.unescape(m.group(group)), where))
        if tag.group(1).lower() == "img":
            if "src" in attrs:
                alt = attrs.get("alt", ("", (0, 0)))[0]
                yield tag.start(), attrs["src"][0].strip(), alt, attrs["src"][1]
        elif "href" in attrs:
            close = A_CLOSE.search(visible, tag.end())
            inner = visible[tag.end() : close.start()] if close else ""
            yield tag.start(), attrs["href"][0].strip(), _inner_text(inner), attrs["href"][1]


A_OPEN = re.compile(r"<a\b", re.IGNORECASE)
A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")


def _inner_text(inner_html: str) -> str:
    return " ".join(html.unescape(_ANY_TAG.sub(" ", inner_html)).split())
