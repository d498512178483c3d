"""HTML articles (`.html`, `.htm`): every element and attribute that links or loads a
resource, with the exact line and column of its tag, and ids and `<a name>` as anchors.

Read with html5lib's tokenizer, which follows the WHATWG tokenization algorithm to the
letter: comments, `<script>`/`<style>` bodies, `<textarea>`/`<title>` text, CDATA and
bogus markup are never mistaken for tags, and character references in attribute values
are decoded as a browser decodes them. As lychee does (html5gum), only the tokenizer runs,
with the tree builder's one effect on it reproduced (`_TEXT_STATES`): the tree changes
no tag or attribute, and it is not needed for anything read here. The tokenizer is
wrapped to note where each tag starts (`<`) and ends (after `>`); the written extent of
each attribute value inside that tag (for `Link.dest`, which `--fix` rewrites) is found
by `_attribute_spans`, which scans exactly as the tokenizer's attribute states do.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes

from .._models import Article, Kind, Link, Span
from ._ignore import ignored_lines
from ._markdown import normalize_source

_START = tokenTypes["StartTag"]
_END = tokenTypes["EndTag"]
_CHARACTERS = (tokenTypes["Characters"], tokenTypes["SpaceCharacters"])

#: (element, attribute) pairs whose value is one URL a reader follows or the page loads.
#: `form action` is left out, as lychee leaves it: a form's target usually answers only
#: the POST it expects, and a GET of it is no evidence either way.
_URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "script": ("src",),
    "input": ("src",),  # <input type=image>
    "blockquote": ("cite",),
    "q": ("cite",),
    "del": ("cite",),
    "ins": ("cite",),
}
_SRCSET_ELEMENTS = frozenset({"img", "source"})
#: `<link rel>` values that name an origin to warm up, not a resource to fetch.
_HINTS_ONLY = frozenset({"preconnect", "dns-prefetch"})

#: The tree builder switches the tokenizer into these states after these start tags
#: (WHATWG "parsing main in body"/"in head"; scripting on, as in a browser).
_TEXT_STATES = {
    "script": "scriptDataState",
    "style": "rawtextState",
    "xmp": "rawtextState",
    "iframe": "rawtextState",
    "noembed": "rawtextState",
    "noframes": "rawtextState",
    "noscript": "rawtextState",
    "textarea": "rcdataState",
    "title": "rcdataState",
    "plaintext": "plaintextState",
}


class _Tokenizer(HTMLTokenizer):  # type: ignore[misc,unused-ignore]
    """html5lib's tokenizer, noting each start tag's source extent as offsets in the
    text.

    The text is read as one chunk (html5lib reads 10 KiB at a time by default), so the
    stream's offset in its chunk is the offset in the text: its `position()` instead
    counts line breaks from the chunk's start at every call, which made a page with
    many tags quadratic. The text has no CR and no NUL (normalize_source), so html5lib
    changes nothing in it and every offset is the source's."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.stream._defaultChunkSize = max(len(text), 1)  # html5lib's own attribute
        self.tag_start = 0

    def tagOpenState(self) -> bool:  # html5lib's name
        self.tag_start = self.stream.chunkOffset - 1  # the `<` just read
        return bool(super().tagOpenState())

    def emitCurrentToken(self) -> None:  # html5lib's name
        token = self.currentToken
        if token["type"] == _START:
            token["linkcheck_extent"] = (self.tag_start, self.stream.chunkOffset)
        super().emitCurrentToken()


@dataclass(frozen=True, slots=True)
class _Tag:
    name: str
    attributes: dict[str, str]
    start: int  # offset of `<` in the text
    end: int  # offset after `>`


def extract_html(text: str, file: str) -> Article:
    """Every link of an HTML page (read as browsers read it, whoever built it)."""
    src = normalize_source(text)
    lines = src.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    tags = list(_tags(src, starts))
    page = _Page(src, file, starts, _base_href(tags))
    for tag, inner in tags:
        page.add(tag, inner)
    ignored = ignored_lines(lines, set())
    links = [
        link if (by := ignored.lines.get(link.line - 1)) is None else _ignored(link, by)
        for link in page.links
    ]
    links.sort(key=lambda link: (link.line, link.column))
    return Article(tuple(links), frozenset(page.anchors), tuple(ignored.warnings))


def _ignored(link: Link, by: int) -> Link:
    return Link(link.file, link.line, link.column, link.kind, link.text, link.url,
                link.label, link.undefined, by, link.dest, link.unused)  # fmt: skip


def _tags(src: str, starts: list[int]) -> Iterator[tuple[_Tag, str]]:
    """Every start tag in source order, with an `<a>`'s text (up to its `</a>`)."""
    tokenizer = _Tokenizer(src)
    pending: list[tuple[_Tag, list[str]]] = []  # open <a> elements and their text
    for token in tokenizer:
        kind = token["type"]
        if kind == _START:
            start, end = token["linkcheck_extent"]
            tag = _Tag(token["name"], dict(token["data"]), start, end)
            state = _TEXT_STATES.get(tag.name)
            if state is not None and not token.get("selfClosing"):
                tokenizer.state = getattr(tokenizer, state)
            if tag.name == "a":
                pending.append((tag, []))
            else:
                yield tag, ""
        elif kind in _CHARACTERS and pending:
            pending[-1][1].append(token["data"])
        elif kind == _END and token["name"] == "a" and pending:
            tag, parts = pending.pop()
            yield tag, " ".join("".join(parts).split())
    for tag, parts in pending:  # never closed: the text up to the end of the page
        yield tag, " ".join("".join(parts).split())


class _Page:
    def __init__(self, src: str, file: str, starts: list[int], base: str | None) -> None:
        self.src = src
        self.file = file
        self.starts = starts
        self.links: list[Link] = []
        self.anchors: set[str] = set()
        #: The document's base URL from its first `<base href>`, applied to every
        #: relative URL (as a browser does, whatever the order of tags).
        self.base = base

    def add(self, tag: _Tag, inner: str) -> None:
        attributes = tag.attributes
        if (ident := attributes.get("id")) is not None and ident:
            self.anchors.add(ident)
        if tag.name == "a" and (name := attributes.get("name")):
            self.anchors.add(name)
        wanted = _URL_ATTRIBUTES.get(tag.name, ())
        rel = attributes.get("rel", "").lower().split()
        if tag.name == "link" and rel and _HINTS_ONLY.issuperset(rel):
            wanted = ()
        if tag.name in _SRCSET_ELEMENTS or (tag.name == "link" and "imagesrcset" in attributes):
            wanted += ("srcset", "imagesrcset")
        if tag.name == "meta" and attributes.get("http-equiv", "").strip().lower() == "refresh":
            wanted = ("content",)
        if not wanted:
            return
        spans = _attribute_spans(self.src, tag.start, tag.end)
        text = inner if tag.name == "a" else attributes.get("alt", "")
        for name in wanted:
            value = attributes.get(name)
            if value is None:
                continue
            raw = spans.get(name)
            if name in ("srcset", "imagesrcset"):
                for offset, url in _srcset_urls(value):
                    self._link(tag, text, url, raw, value, offset)
            elif name == "content":
                refresh = _refresh_url(value)
                if refresh is not None:
                    self._link(tag, text, refresh[1], raw, value, refresh[0])
            else:
                stripped = value.strip(_HTML_SPACE)
                offset = len(value) - len(value.lstrip(_HTML_SPACE))
                self._link(tag, text, stripped, raw, value, offset)

    def _link(
        self,
        tag: _Tag,
        text: str,
        url: str,
        raw: tuple[int, int] | None,
        value: str,
        offset: int,
    ) -> None:
        line, column = self._position(tag.start)
        dest = None
        # The written value is the decoded one (no character reference in it), so the
        # URL's place in the one is its place in the other.
        if raw is not None and self.src[raw[0] : raw[1]] == value and url:
            first = raw[0] + offset
            dest_line, dest_column = self._position(first)
            if "\n" not in url:
                dest = Span(dest_line, dest_column - 1, dest_column - 1 + len(url))
        if self.base is not None and url and not _is_absolute(url):
            url = urljoin(self.base, url)
        self.links.append(Link(self.file, line, column, Kind.HTML, text, url, dest=dest))

    def _position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


_HTML_SPACE = " \t\n\f\r"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _is_absolute(url: str) -> bool:
    return bool(_SCHEME.match(url))


def _base_href(tags: list[tuple[_Tag, str]]) -> str | None:
    """The first `<base href>`'s value, when it is one a link can be joined to."""
    for tag, _ in tags:
        if tag.name == "base" and "href" in tag.attributes:
            href = tag.attributes["href"].strip(_HTML_SPACE)
            scheme = urlsplit(href).scheme.lower()
            return href if href and scheme in ("", "http", "https", "file") else None
    return None


# The tokenizer's attribute states, as one pattern over a start tag's source: a name
# runs to whitespace, `/`, `>` or `=` (a leading `=` is part of it); a value is double-
# or single-quoted, or unquoted up to whitespace or `>`.
_ATTRIBUTE = re.compile(
    r"""[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?"""
)
_TAG_NAME = re.compile(r"<[A-Za-z][^\t\n\f\r />]*")


def _attribute_spans(src: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """Where each attribute's value is written in the tag `src[start:end]` (the first
    of repeated names wins, as in the tokenizer)."""
    spans: dict[str, tuple[int, int]] = {}
    name = _TAG_NAME.match(src, start, end)
    if name is None:
        return spans
    pos = name.end()
    while pos < end:
        match = _ATTRIBUTE.match(src, pos, end)
        if match is None or match.end() == pos:
            break
        pos = match.end()
        group = next((g for g in (2, 3, 4) if match.group(g) is not None), None)
        key = match.group(1).lower()
        if group is not None and key not in spans:
            spans[key] = (match.start(group), match.end(group))
        elif group is None:
            spans.setdefault(key, (match.end(1), match.end(1)))
    return spans


def _srcset_urls(value: str) -> Iterator[tuple[int, str]]:
    """(offset in the value, URL) of each image candidate of a `srcset`, split as the
    WHATWG "parse a srcset attribute" algorithm splits it: a URL is a run of
    non-space characters (trailing commas are separators), and its descriptors run to
    the next comma outside parentheses."""
    pos, size = 0, len(value)
    while pos < size:
        while pos < size and (value[pos] in _HTML_SPACE or value[pos] == ","):
            pos += 1
        if pos >= size:
            return
        start = pos
        while pos < size and value[pos] not in _HTML_SPACE:
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while pos < size:
                ch = value[pos]
                if ch == "(":
                    depth += 1
                elif ch == ")" and depth:
                    depth -= 1
                elif ch == "," and not depth:
                    break
                pos += 1
        if url:
            yield start, url


_REFRESH = re.compile(
    r"""[\t\n\f\r ]*[0-9]*(?:\.[0-9.]*)?[\t\n\f\r ]*[;,]?[\t\n\f\r ]*"""
    r"""(?:[Uu][Rr][Ll][\t\n\f\r ]*=[\t\n\f\r ]*)?"""
)


def _refresh_url(content: str) -> tuple[int, str] | None:
    """(offset, URL) of a `<meta http-equiv=refresh content="5; url=…">`, parsed as the
    WHATWG "shared declarative refresh steps" do; None when it only reloads the page."""
    first = content.lstrip(_HTML_SPACE)[:1]
    if not (first.isdigit() or first == "."):
        return None
    match = _REFRESH.match(content)
    if match is None:
        return None
    rest = content[match.end() :]
    offset = match.end()
    if rest[:1] in ("'", '"'):
        quote = rest[0]
        rest = rest[1:]
        offset += 1
        close = rest.find(quote)
        if close >= 0:
            rest = rest[:close]
    url = rest.rstrip(_HTML_SPACE)
    return (offset, url) if url else None
