"""Stage 2 for MDX: the markdown walker's links, plus what JSX and ESM add.

An MDX article is markdown with JSX elements and ES module lines. The markdown walker
already finds `<a href>` and `<img src>`; here come every other element's `href`, `src`
and `to` attributes written as string literals (`<Link to="/docs/x">`, `<Image
src="./a.png" />`) and `import X from './file.mdx'` of a local file, which the build needs
to exist. An attribute written as an expression (`to={url}`) is not a link linkcheck can
read: it is skipped. Nothing inside fenced code or a code span counts.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator

from .._models import Article, Kind, Link, Span
from ._dialects import Dialect
from ._markdown import extract, normalize_source

#: MDX has no indented code, so a fence is a fence at any indentation (one in a list
#: item is indented by the item's own indentation and up to three spaces more).
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_TAG = re.compile(r"<([A-Za-z][\w.:-]*)((?:\s+[^<>]*?)?)\s*/?>", re.DOTALL)
_ATTRIBUTE = re.compile(r"""(?<![\w-])(href|src|to)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_IMPORT = re.compile(
    r"""^(import\s+(?:[\w$*{}\s,]+?\s+from\s+)?)(["'])(?P<path>\.{1,2}/[^"'\n]*|/[^"'\n]*)\2""",
    re.MULTILINE,
)
#: What the markdown walker reports already (raw HTML `<a href>`, `<img src>`).
_SEEN = {("a", "href"), ("img", "src")}


def extract_mdx(text: str, file: str, dialect: Dialect = "github") -> Article:
    """Every link of an MDX article: markdown's, JSX attributes', local imports'."""
    article = extract(text, file, dialect)
    source = normalize_source(text)
    lines = source.split("\n")
    visible = _without_code(lines)
    extra = list(_jsx(visible, lines, file))
    if not extra:
        return article
    known = {(x.line, x.column) for x in article.links}
    links = [*article.links, *(x for x in extra if (x.line, x.column) not in known)]
    links.sort(key=lambda link: (link.line, link.column))
    return Article(tuple(links), article.anchors)


def _without_code(lines: list[str]) -> str:
    """The article with fenced code and code spans blanked (offsets stay true)."""
    kept = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            kept.append(" " * len(line))
            if (
                opening
                and opening.group(1)[0] == fence[0]
                and len(opening.group(1)) >= len(fence)
                and not opening.group(2).strip()  # a closing fence has no info string
            ):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            kept.append(" " * len(line))
            continue
        kept.append(line)
    text = "\n".join(kept)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _jsx(visible: str, lines: list[str], file: str) -> Iterator[Link]:
    starts = [0]
    for text in lines:
        starts.append(starts[-1] + len(text) + 1)

    def position(offset: int) -> tuple[int, int]:
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def span(start: int, end: int) -> Span | None:
        line, column = position(start)
        if "\n" in visible[start:end]:
            return None
        return Span(line, column - 1, column - 1 + end - start)

    for tag in _TAG.finditer(visible):
        name = tag.group(1)
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            if (name.lower(), attribute.group(1)) in _SEEN and name.islower():
                continue
            group = 2 if attribute.group(2) is not None else 3
            start = tag.start(2) + attribute.start(group)
            end = tag.start(2) + attribute.end(group)
            written = attribute.group(group)
            url = html.unescape(written).strip()
            line, column = position(tag.start())
            dest = span(start, end) if url == written else None
            yield Link(file, line, column, Kind.HTML, f"<{name}>", url, dest=dest)
    for statement in _IMPORT.finditer(visible):
        target = statement.group("path")
        line, column = position(statement.start())
        dest = span(statement.start("path"), statement.end("path"))
        yield Link(file, line, column, Kind.IMPORT, target, target, dest=dest)
