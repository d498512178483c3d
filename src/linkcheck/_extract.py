"""Stage 2: every link occurrence in a markdown article, with its exact position.

markdown-it-py gives only block line ranges. Inline positions are recovered in two steps:
the inline rules that start a link are wrapped so each records where in its block's
inline source it started (`_InlineSpan`), and `_BlockLines` maps an offset in that inline
source back to a line and column of the file, undoing what block parsing stripped
(block-quote markers, list indentation, surrounding blanks).
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import accumulate
from typing import Any

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from ._anchors import Slugger, html_anchors
from ._models import Kind, Link, Span
from ._shorteners import is_shortener

#: Bumped whenever extraction output changes, so cached extractions are not reused.
EXTRACTOR_VERSION = 2


@dataclass(frozen=True, slots=True)
class Article:
    links: tuple[Link, ...]
    #: Every `#fragment` the article answers to: heading slugs and HTML id/name anchors.
    anchors: frozenset[str]


def dump_article(article: Article) -> str:
    """The article as plain JSON, for the extraction cache (never pickle: a cache file
    can come from an untrusted checkout, and unpickling it would run its code)."""
    links = [
        [x.line, x.column, x.kind.value, x.text, x.url, x.label, x.undefined, x.ignored_by,
         None if x.dest is None else [x.dest.line, x.dest.start, x.dest.end]]
        for x in article.links
    ]  # fmt: skip
    return json.dumps([links, sorted(article.anchors)], ensure_ascii=False)


_KIND_OF_VALUE = {kind.value: kind for kind in Kind}  # Kind(value) is 10x slower


def load_article(payload: str, file: str) -> Article:
    """The inverse of dump_article, for the article now at `file`."""
    links, anchors = json.loads(payload)
    kinds = _KIND_OF_VALUE
    # A list comprehension, not tuple(generator): this runs once per cached link.
    loaded = [
        Link(file, line, column, kinds[kind], text, url, label, undefined, ignored,
             None if dest is None else Span(*dest))
        for line, column, kind, text, url, label, undefined, ignored, dest in links
    ]  # fmt: skip
    return Article(tuple(loaded), frozenset(anchors))


def extract(text: str, file: str) -> Article:
    """Every link in `text` (a whole markdown article); `file` names it in each Link."""
    src = _normalize(text)
    env: dict[str, Any] = {}
    tokens = _parser().parse(src, env)
    return _Extraction(src, file, env).run(tokens)


# ---------------------------------------------------------------------------- parsing

_NEWLINE = re.compile(r"\r\n?")


def _normalize(text: str) -> str:
    # The same normalisation markdown-it applies, done up front so that the source we
    # map positions into is exactly the one the parser saw. A BOM is not a column.
    return _NEWLINE.sub("\n", text.removeprefix("\ufeff")).replace("\0", "\ufffd")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # markdown-it drops javascript:, data: and file: links as unsafe to render, and
    # percent-encodes the rest; an editor needs to see every destination as written.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    for name in ("link", "image", "autolink", "html_inline", "backticks"):
        _wrap_inline_rule(md, name)
    _wrap_reference_rule(md)
    return md


_SPAN = "linkcheck_span"  # Token.meta key: (start, end) offsets in the inline source
_DEST = "linkcheck_dest"  # likewise, of the destination as written
_KIND = "linkcheck_kind"
_LABEL = "linkcheck_label"
_STARTS = {"link_open", "image", "html_inline", "code_inline"}


def _wrap_inline_rule(md: MarkdownIt, name: str) -> None:
    ruler = md.inline.ruler
    rule = ruler.__rules__[ruler.__find__(name)].fn

    def recording(state: StateInline, silent: bool) -> bool:
        if silent:
            return rule(state, silent)
        start, first = state.pos, len(state.tokens)
        if not rule(state, silent):
            if name == "link":
                _note_undefined_reference(state, start)
            return False
        for token in state.tokens[first:]:
            if token.type in _STARTS:
                token.meta[_SPAN] = (start, state.pos)
                if name == "link":
                    _note_link_kind(state, token, start)
                elif name == "image":
                    _note_image_label(state, token, start)
                elif name == "autolink":
                    token.meta[_DEST] = (start + 1, state.pos - 1)
                break
        return True

    ruler.at(name, recording)


def _note_link_kind(state: StateInline, token: Token, start: int) -> None:
    written = state.src[start : state.pos]
    if written.endswith(")"):
        token.meta[_KIND] = Kind.INLINE
        token.meta[_DEST] = _inline_destination(state, start)
        return
    token.meta[_KIND] = Kind.REFERENCE
    token.meta[_LABEL] = _reference_label(written)
    state.env.setdefault("linkcheck_used", set()).add(normalizeReference(token.meta[_LABEL]))


def _note_image_label(state: StateInline, token: Token, start: int) -> None:
    written = state.src[start : state.pos]
    if written.endswith(")"):
        token.meta[_DEST] = _inline_destination(state, start + 1)
    else:
        label = _reference_label(written[1:])
        token.meta[_LABEL] = label
        state.env.setdefault("linkcheck_used", set()).add(normalizeReference(label))


def _inline_destination(state: StateInline, label_start: int) -> tuple[int, int] | None:
    """Offsets of the destination of the inline link whose `[` is at `label_start`."""
    label_end = state.md.helpers.parseLinkLabel(state, label_start, True)
    if label_end < 0:
        return None
    return _destination(state.src, label_end + 2, state.posMax)


#: A destination's characters up to the first one parseLinkDestination treats specially.
_PLAIN_DESTINATION = re.compile(r"[^ \x00-\x1f\x7f()\\]+")


def _destination(src: str, pos: int, end: int) -> tuple[int, int] | None:
    """Offsets of a link destination that starts after blanks at `pos` (`<…>` excluded)."""
    while pos < end and src[pos] in " \t\n":
        pos += 1
    if pos < end and src[pos] == "<":
        close = src.find(">", pos)
        return (pos + 1, close) if close >= 0 else None
    plain = _PLAIN_DESTINATION.match(src, pos, end)
    if plain is not None and (plain.end() == end or src[plain.end()] not in "(\\"):
        # No parentheses or escapes: parseLinkDestination would stop at the same place.
        return pos, plain.end()
    found = parseLinkDestination(src, pos, end)
    if found.ok:
        return pos, found.pos
    return (pos, pos) if src.startswith(")", pos) else None  # `[text]()`


def _reference_label(written: str) -> str:
    """The label as written of `[text][label]`, `[label][]` or `[label]`."""
    if written.endswith("[]"):
        return written[1:-3].strip()
    second = written.rfind("[")
    if second > 0 and written[second - 1] == "]":
        return written[second + 1 : -1].strip()
    return written[1:-1].strip()


def _note_undefined_reference(state: StateInline, start: int) -> None:
    """`[text][nope]` and `[nope][]` with no definition are broken citations; markdown-it
    simply leaves them as text, so record them with a zero-width marker token."""
    if state.src[start] != "[":
        return
    label_end = state.md.helpers.parseLinkLabel(state, start, True)
    if label_end < 0 or label_end + 1 >= state.posMax or state.src[label_end + 1] != "[":
        return
    close = _closing_bracket(state.src, label_end + 2, state.posMax)
    if close < 0:
        return
    label = (state.src[label_end + 2 : close] or state.src[start + 1 : label_end]).strip()
    if not label or normalizeReference(label) in state.env.get("references", {}):
        return
    marker = state.push("linkcheck_undefined", "", 0)
    marker.meta[_SPAN] = (start, close + 1)
    marker.meta[_LABEL] = label
    marker.content = state.src[start + 1 : label_end]


def _closing_bracket(src: str, pos: int, end: int) -> int:
    """Index of the `]` closing a link label that starts at `pos`, or -1."""
    while pos < end:
        ch = src[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "[":
            return -1
        if ch == "]":
            return pos
        pos += 1
    return -1


def _wrap_reference_rule(md: MarkdownIt) -> None:
    ruler = md.block.ruler
    rule = ruler.__rules__[ruler.__find__("reference")].fn

    def recording(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        known = len(state.env.get("references", ()))
        found = rule(state, start_line, end_line, silent)
        references = state.env.get("references", {})
        # A repeated definition is ignored by markdown (the first one wins): no new label.
        if found and not silent and len(references) > known:
            label = next(reversed(references))
            pos = state.bMarks[start_line] + state.tShift[start_line]
            colon = _closing_bracket(state.src, pos + 1, len(state.src)) + 2
            dest = _destination(state.src, colon, len(state.src))
            state.env.setdefault("linkcheck_definitions", []).append((label, pos, dest))
        return found

    ruler.at("reference", recording)


# --------------------------------------------------------------------- bare URLs

# Top-level domains that are also common file extensions: `setup.py/…`, `notes.md/…`.
_FILE_LIKE_TLDS = frozenset({"md", "py", "sh", "rs", "pl", "zip", "mov", "so", "js", "ts"})
# linkify-it knows every two-letter country code but few of the newer generic domains.
_EXTRA_TLDS = [
    *("dev", "app", "news", "blog", "tech", "xyz", "online", "site", "top", "club"),
    *("cloud", "page", "wiki", "media", "live", "gov", "mil", "int", "info", "org"),
]


@cache
def _linkify() -> LinkifyIt:
    return LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False}).tlds(_EXTRA_TLDS, True)


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?([^/?#:]+)", re.IGNORECASE)


# Where an address may start: a scheme, `www.`, or a dotted name followed by a path or
# ending the word. Running linkify-it only on the words this finds is ~5x cheaper than
# running it over every paragraph, and a URL never spans whitespace.
_MAYBE_ADDRESS = re.compile(r"://|www\.|\w\.\w+(?:/|\b)", re.IGNORECASE)
_SPACE = re.compile(r"\s")


def _bare_urls(content: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """(offset, url as written) of every bare URL in an inline source, outside the
    `taken` spans (links, code, HTML) given in order of their start."""
    linkify = _linkify()
    starts = [start for start, _ in taken]
    reach = list(accumulate((end for _, end in taken), max))
    done = 0
    for hint in _MAYBE_ADDRESS.finditer(content):
        if hint.start() < done:
            continue
        inside = bisect_right(starts, hint.start()) - 1
        if inside >= 0 and hint.start() < reach[inside]:
            done = reach[inside]
            continue
        # Search back only to the previous word, so a long line costs linear time.
        start = 1 + max(content.rfind(c, done, hint.start()) for c in " \n\t")
        start = max(start, done)
        space = _SPACE.search(content, hint.end())
        done = space.start() if space else len(content)
        for match in linkify.match(content[start:done]) or ():
            if match.schema or _is_address(match.raw):
                yield start + match.index, match.raw


def _is_address(raw: str) -> bool:
    """The SPEC's rule for scheme-less text: `www.`, a shortener, or a domain with a path."""
    host_match = _HOST.match(raw)
    if host_match is None:
        return False
    host = host_match.group(1).lower()
    if host.startswith("www.") or is_shortener(host):
        return True
    path = raw[host_match.end() :]
    tld = host.rsplit(".", 1)[-1]
    return len(path) > 1 and path.startswith("/") and tld not in _FILE_LIKE_TLDS


# ------------------------------------------------------------------- raw HTML

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<(a|img)\b([^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)


def _html_links(fragment: str) -> Iterator[tuple[int, str, str, tuple[int, int]]]:
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
            close = _A_CLOSE.search(visible, tag.end())
            inner = visible[tag.end() : close.start()] if close else ""
            yield tag.start(), attrs["href"][0].strip(), _inner_text(inner), attrs["href"][1]


_A_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")


def _inner_text(inner_html: str) -> str:
    return " ".join(html.unescape(_ANY_TAG.sub(" ", inner_html)).split())


# ---------------------------------------------------------------- ignore comments

_IGNORE = re.compile(r"^[\s>]*<!--\s*linkcheck-ignore(-start|-end)?\s*-->\s*$")


def _ignored_lines(lines: list[str], code_lines: set[int]) -> dict[int, int]:
    """0-based line -> 1-based line of the comment that switches its links off."""
    ignored: dict[int, int] = {}
    region: int | None = None
    pending: int | None = None
    for number, line in enumerate(lines):
        if number in code_lines:
            continue
        marker = _IGNORE.match(line)
        if marker:
            which = marker.group(1)
            if which == "-start":
                region = number + 1
            elif which == "-end":
                region = None
            else:
                pending = number + 1
            continue
        if region is not None:
            ignored[number] = region
        elif pending is not None and line.strip():
            ignored[number] = pending
            pending = None
    return ignored


# ------------------------------------------------------------------ positions


class _BlockLines:
    """Maps offsets in a block's inline source back to (line, column) in the file.

    An inline source is the block's lines with container prefixes (`> `, list indent)
    and surrounding blanks removed, joined by newlines: line i of it is the tail of
    source line `first + i`, except that its last line lost trailing blanks and a
    heading lost its closing `#`s.
    """

    def __init__(
        self,
        content: str,
        first: int,
        lines: list[str],
        cursor: dict[int, int],
        cell: bool = False,
    ) -> None:
        parts = content.split("\n")
        self._starts: list[int] = []
        self._columns: list[int] = []
        offset = 0
        for i, part in enumerate(parts):
            number = first + i
            self._starts.append(offset)
            source = lines[number] if number < len(lines) else ""
            after = cursor.get(number, 0)
            column = _cell_column(part, source, after) if cell else None
            self._columns.append(_column_of(part, source, after) if column is None else column)
            offset += len(part) + 1
        self._first = first
        self._cursor = cursor

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of `offset`."""
        index = bisect_right(self._starts, offset) - 1
        column = self._columns[index] + offset - self._starts[index]
        return self._first + index + 1, max(column, 0) + 1

    def span(self, start: int, end: int) -> Span:
        """Where offsets [start, end) of one line of inline source stand in the file."""
        line, column = self.position(start)
        return Span(line, column - 1, column - 1 + end - start)

    def consume(self, end: int) -> None:
        """Later blocks on the same source line (table cells) start after `end`."""
        line, column = self.position(end)
        self._cursor[line - 1] = column - 1


def _cell_column(part: str, source: str, after: int) -> int | None:
    """Column of a table cell's text: the first match after the previous cell."""
    found = source.find(part, after)
    if found < 0:  # the cell had escaped pipes, which the table rule unescapes
        found = source.find(part.replace("|", "\\|"), after)
    return found if found >= 0 else None


def _column_of(part: str, source: str, after: int) -> int:
    """0-based column of source where `part` (a line of inline source) starts."""
    if part and source.endswith(part) and len(source) - len(part) >= after:
        return len(source) - len(part)
    stripped = part.lstrip(" ")
    # A tab split by list indentation turns into spaces that are not in the source.
    lead = len(part) - len(stripped)
    found = source.find(stripped, after) if stripped else -1
    if found >= 0:
        return found - lead
    trimmed = source.rstrip()
    if stripped and trimmed.endswith(stripped):
        return len(trimmed) - len(stripped) - lead
    return len(source) - len(source.lstrip(" \t>"))


# ------------------------------------------------------------------ extraction


@dataclass
class _Extraction:
    src: str
    file: str
    env: dict[str, Any]
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.lines = self.src.split("\n")
        self.slugger = Slugger()
        self.cursor: dict[int, int] = {}  # per source line: where the next cell starts

    def run(self, tokens: list[Token]) -> Article:
        code_lines: set[int] = set()
        previous = ""
        for token in tokens:
            if token.type in ("fence", "code_block") and token.map:
                code_lines.update(range(*token.map))
            elif token.type == "inline" and token.map:
                self._inline(token, previous)
            elif token.type == "html_block" and token.map:
                self._html(token.content, self._mapper(token.content, token.map[0]))
            previous = token.type
        self._definitions()
        ignored = _ignored_lines(self.lines, code_lines)
        links = [_with_ignore(link, ignored.get(link.line - 1)) for link in self.links]
        links.sort(key=lambda link: (link.line, link.column))
        return Article(tuple(links), frozenset(self.anchors))

    def _mapper(self, content: str, first: int, cell: bool = False) -> _BlockLines:
        return _BlockLines(content, first, self.lines, self.cursor, cell)

    def _add(self, position: tuple[int, int], kind: Kind, text: str, url: str, **kw: Any) -> None:
        line, column = position
        self.links.append(Link(self.file, line, column, kind, text, url, **kw))

    def _inline(self, token: Token, opened_by: str) -> None:
        assert token.map is not None
        cell = opened_by in ("th_open", "td_open")
        lines = self._mapper(token.content, token.map[0], cell)
        children = token.children or []
        taken: list[tuple[int, int]] = []
        for index, child in enumerate(children):
            span = child.meta.get(_SPAN) if child.meta else None
            if span is None:
                continue
            taken.append(span)
            where = lines.position(span[0])
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                text = _text_until_close(children, index + 1)
                dest = self._dest(child, lines)
                if child.markup == "autolink":
                    self._add(where, Kind.AUTOLINK, text, href, dest=dest)
                else:
                    kind = child.meta.get(_KIND, Kind.INLINE)
                    label = child.meta.get(_LABEL)
                    self._add(where, kind, text, href, label=label, dest=dest)
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                alt = _plain_text(child.children or [])
                label = child.meta.get(_LABEL)
                self._add(where, Kind.IMAGE, alt, src, label=label, dest=self._dest(child, lines))
            elif child.type == "linkcheck_undefined":
                label = child.meta[_LABEL]
                self._add(where, Kind.REFERENCE, child.content, "", label=label, undefined=True)
            elif child.type == "html_inline":
                self._html(
                    child.content,
                    lines,
                    base=span[0],
                    text=_text_until_a_close(children, index + 1),
                )
        for offset, url in _bare_urls(token.content, sorted(taken)):
            dest = lines.span(offset, offset + len(url))
            self._add(lines.position(offset), Kind.BARE, url, url, dest=dest)
        if opened_by == "heading_open":
            self.anchors.update(self.slugger.anchors(_plain_text(children)))
        elif cell:
            # Table cells are the only inline blocks that share a source line.
            lines.consume(len(token.content))

    def _dest(self, token: Token, lines: _BlockLines) -> Span | None:
        """Where the destination is written; a reference's is in its definition."""
        label = token.meta.get(_LABEL)
        if label is not None:
            return self.definition_spans.get(normalizeReference(label))
        offsets = token.meta.get(_DEST)
        return lines.span(*offsets) if offsets else None

    @cached_property
    def definition_spans(self) -> dict[str, Span]:
        spans = {}
        for label, _, dest in self.env.get("linkcheck_definitions", []):
            if dest is not None:
                line, column = self._absolute(dest[0])
                spans[label] = Span(line, column - 1, column - 1 + dest[1] - dest[0])
        return spans

    def _absolute(self, pos: int) -> tuple[int, int]:
        """1-based (line, column) of an offset in the whole source."""
        line = bisect_right(self.line_starts, pos)
        return line, pos - self.line_starts[line - 1] + 1

    @cached_property
    def line_starts(self) -> list[int]:
        return [0, *accumulate(len(line) + 1 for line in self.lines)]

    def _html(self, fragment: str, lines: _BlockLines, base: int = 0, text: str = "") -> None:
        """Links in raw HTML; `text` is what follows an inline `<a …>` up to its `</a>`."""
        self.anchors.update(html_anchors(fragment))
        for offset, url, inner, (start, end) in _html_links(fragment):
            dest = lines.span(base + start, base + end)
            self._add(lines.position(base + offset), Kind.HTML, inner or text, url, dest=dest)

    def _definitions(self) -> None:
        """Reference definitions that no link uses are reported where they stand."""
        used = self.env.get("linkcheck_used", set())
        references = self.env.get("references", {})
        for label, pos, _ in self.env.get("linkcheck_definitions", []):
            if label in used:
                continue
            written = self.src[pos + 1 : _closing_bracket(self.src, pos + 1, len(self.src))]
            href = references[label]["href"]
            dest = self.definition_spans.get(label)
            self._add(self._absolute(pos), Kind.REFERENCE, written, href, label=written, dest=dest)


def _with_ignore(link: Link, comment_line: int | None) -> Link:
    return link if comment_line is None else replace(link, ignored_by=comment_line)


_TEXTUAL: dict[str, Callable[[Token], str]] = {
    "text": lambda t: t.content,
    "code_inline": lambda t: t.content,
    "softbreak": lambda t: " ",
    "hardbreak": lambda t: " ",
    "image": lambda t: _plain_text(t.children or []),
}


def _plain_text(tokens: list[Token]) -> str:
    return "".join(_TEXTUAL[t.type](t) for t in tokens if t.type in _TEXTUAL)


def _text_until_a_close(children: list[Token], start: int) -> str:
    for end in range(start, len(children)):
        if children[end].type == "html_inline" and _A_CLOSE.match(children[end].content):
            return _plain_text(children[start:end])
    return ""


def _text_until_close(children: list[Token], start: int) -> str:
    depth = 1
    for end in range(start, len(children)):
        if children[end].type == "link_open":
            depth += 1
        elif children[end].type == "link_close":
            depth -= 1
            if depth == 0:
                return _plain_text(children[start:end])
    return _plain_text(children[start:])
