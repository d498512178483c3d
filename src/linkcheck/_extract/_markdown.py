"""Stage 2: every link occurrence in a markdown article, with its exact position.

markdown-it-py gives only block line ranges. Inline positions are recovered in two steps:
the inline rules that start a link are wrapped so each records where in its block's
inline source it started, and `BlockLines` (_positions.py) maps an offset in that inline
source back to a line and column of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import accumulate, pairwise
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .._anchors import KramdownIds, Slugger, html_anchors
from .._models import Article, Kind, Link, Span
from ._bare import bare_urls
from ._dialects import (
    DIALECTS,
    Dialect,
    hide_templates,
    open_indented_blocks,
    open_markdown_blocks,
    restore_templates,
)
from ._html import A_CLOSE, A_OPEN, html_links
from ._ignore import ignored_lines
from ._positions import BlockLines
from ._prefilter import skip_linkless_inlines


def extract(text: str, file: str, dialect: Dialect = "github") -> Article:
    """Every link in `text` (a whole markdown article); `file` names it in each Link.

    `dialect` is who renders it: `github`, or a generator whose build changes what is a
    link (`jekyll`: Liquid tags and kramdown's `markdown="1"` blocks; `hugo`: shortcodes
    in destinations; `mkdocs`: admonitions' and tabs' indented bodies), see _dialects.py."""
    if dialect not in DIALECTS:  # a library caller's typo would read as GitHub does
        raise ValueError(f"extract: dialect {dialect!r} is not one of {', '.join(DIALECTS)}")
    src, tags = hide_templates(normalize_source(text), dialect)
    if dialect == "mkdocs":
        src = open_indented_blocks(src)
    tokens, env = _parse(src, mdx=dialect == "mdx", last_definition_wins=dialect == "mkdocs")
    anchors: set[str] = set()
    kramdown: list[tuple[int, int]] = []
    if dialect == "jekyll" and "markdown" in src:
        blocks = [(t.map[0], t.map[1]) for t in tokens if t.type == "html_block" and t.map]
        opened, anchors, kramdown = open_markdown_blocks(src, blocks)
        if opened != src:
            src = opened
            tokens, env = _parse(src)
    extraction = _Extraction(src, file, env, tags, kramdown_blocks=kramdown)
    extraction.anchors.update(anchors)
    return extraction.run(tokens)


def heading_texts(text: str) -> list[str]:
    """The plain text of every heading of a markdown article, in order, as the anchors
    are made from it (for generators whose slug rule is not GitHub's)."""
    tokens, _ = _parse(normalize_source(text))
    return [
        _plain_text(inline.children or [])
        for opening, inline in pairwise(tokens)
        if opening.type == "heading_open" and inline.type == "inline"
    ]


def _parse(
    src: str, mdx: bool = False, last_definition_wins: bool = False
) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {"footnotes": {"refs": _FoldedLabels(), "list": {}}}
    if last_definition_wins:
        # Python-Markdown (MkDocs) stores each reference definition over any earlier one
        # of the same label (`md.references[id] = …` in its ReferenceProcessor); in
        # CommonMark the first one wins.
        env["linkcheck_last_wins"] = True
    return parser_for(src, mdx).parse(src, env), env


#: Rules that can only match where the source holds one of the strings beside them
#: (a table's header line holds a `|`, a fence starts with three backticks or tildes, a
#: reference definition's label is followed by `:` at once, …). A rule that cannot match
#: changes nothing by not being tried, and block rules are tried at every block start and
#: after every paragraph line: for a source without the strings, the parser without them.
#: Grouped so that a run builds at most 2**7 parsers (most sources hold `#`, few `[^`).
_NEEDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("table",), ("|",)),
    (("fence",), ("```", "~~~")),
    (("blockquote",), (">",)),
    (("heading",), ("#",)),
    (("html_block", "html_inline", "autolink"), ("<",)),
    (("reference",), ("]:",)),
    (("footnote_def", "footnote_ref", "footnote_tail", "linkcheck_note_labels"), ("[^",)),
)


def parser_for(src: str, mdx: bool = False) -> MarkdownIt:
    """The parser for `src`: without the rules that cannot match anything in it."""
    off = tuple(rules for rules, needles in _NEEDS if not any(needle in src for needle in needles))
    return _mdx_parser(off) if mdx else _parser(off)


_NEWLINE = re.compile(r"\r\n?")


def normalize_source(text: str) -> str:
    # The same normalisation markdown-it applies, done up front so that the source we
    # map positions into is exactly the one the parser saw. A BOM is not a column.
    return _NEWLINE.sub("\n", text.removeprefix("\ufeff")).replace("\0", "\ufffd")


@cache
def _mdx_parser(off: tuple[tuple[str, ...], ...] = ()) -> MarkdownIt:
    """MDX has no indented code and no HTML blocks: a JSX tag on its own line holds
    markdown (a fence indented under `<Tabs>` is a fence, a heading after it a heading).
    Such a line is a block of its own, its tags read inline."""
    md = _new_parser(off)
    md.disable(["code", "html_block"])
    md.block.ruler.before("paragraph", "mdx_jsx_line", _jsx_line, {"alt": ["paragraph"]})
    return md


@cache
def _parser(off: tuple[tuple[str, ...], ...] = ()) -> MarkdownIt:
    return _new_parser(off)


def _new_parser(off: tuple[tuple[str, ...], ...] = ()) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # GFM footnotes (`[^label]` and `[^label]: …`), not the `^[inline]` ones GFM lacks.
    md.use(footnote_plugin, inline=False)
    skip_linkless_inlines(md)
    # markdown-it drops javascript:, data: and file: links as unsafe to render, and
    # percent-encodes the rest; an editor needs to see every destination as written.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    for name in ("link", "image", "autolink", "html_inline", "backticks", "footnote_ref"):
        _wrap_inline_rule(md, name)
    _wrap_reference_rule(md)
    md.core.ruler.before("footnote_tail", "linkcheck_note_labels", _match_note_labels)
    # It only turns `text_special` tokens (escapes, entities) into text and joins runs of
    # text, a pass over every token: `_plain_text` reads `text_special` as text instead.
    md.disable("text_join")
    md.disable([rule for rules in off for rule in rules])
    return md


def quiet_parser_debug_logs() -> None:
    """In a parse worker: markdown-it's block rules each call `LOGGER.debug` on entry,
    tried or not (58 calls a small file, 368 an article of the 10 MB corpus: 4–5 % of a
    worker's CPU), and nobody listens there. Each of its loggers that is not enabled for
    DEBUG gets a `debug` that does nothing; one a caller switched on is left as it is."""
    import logging

    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if (
            name.startswith("markdown_it")
            and isinstance(logger, logging.Logger)
            and not logger.isEnabledFor(logging.DEBUG)
        ):
            logger.debug = _ignored  # type: ignore[method-assign]


def _ignored(*args: object, **kwargs: object) -> None:
    pass


#: A line that is only a JSX component's tag (`<Tabs>`, `<TabItem label="x">`,
#: `</Tabs>`, a fragment `<>`): MDX reads it as a block, never as part of a paragraph.
_JSX_TAG_LINE = re.compile(r"</?(?:[A-Z][\w.:-]*(?:\s[^<>]*)?/?)?>")


def _jsx_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if not _JSX_TAG_LINE.fullmatch(line.rstrip()):
        return False
    if silent:
        return True
    state.push("paragraph_open", "p", 1).map = [start, start + 1]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start, start + 1, state.blkIndent, False).strip()
    inline.map = [start, start + 1]
    inline.children = []
    state.push("paragraph_close", "p", -1)
    state.line = start + 1
    return True


class _FoldedLabels(dict[str, int]):
    """The footnote plugin's label table, matched as GFM matches footnote labels: like
    link labels, case-insensitively (`[^Note]` cites `[^note]:`)."""

    def __setitem__(self, key: str, value: int) -> None:
        super().__setitem__(normalizeReference(key), value)

    def __getitem__(self, key: str) -> int:
        return super().__getitem__(normalizeReference(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(normalizeReference(key))

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(normalizeReference(key), default)


def _match_note_labels(state: StateCore) -> None:
    """Each cited note carries its definition's label as written, which is what the
    plugin's tail rule looks the note's body up by."""
    written = {
        normalizeReference(token.meta["label"]): token.meta["label"]
        for token in state.tokens
        if token.type == "footnote_reference_open"
    }
    for note in state.env.get("footnotes", {}).get("list", {}).values():
        if "label" in note:
            note["label"] = written.get(normalizeReference(note["label"]), note["label"])


_SPAN = "linkcheck_span"  # Token.meta key: (start, end) offsets in the inline source
_DEST = "linkcheck_dest"  # likewise, of the destination as written
_KIND = "linkcheck_kind"
_LABEL = "linkcheck_label"
_STARTS = {"link_open", "image", "html_inline", "code_inline", "footnote_ref"}


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
            elif name == "footnote_ref":
                _note_undefined_footnote(state, start)
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
    # Inside a link's text, brackets are text: links do not nest (and the link stands).
    if state.src[start] != "[" or state.linkLevel > 0 or _in_code_element(state):
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
    if label.startswith("^"):  # `[text][^note]`: text, then a footnote reference
        return
    marker = state.push("linkcheck_undefined", "", 0)
    marker.meta[_SPAN] = (start, close + 1)
    marker.meta[_LABEL] = label
    marker.content = state.src[start + 1 : label_end]


_CODE_OPEN = re.compile(r"<code(?:\s[^>]*)?>", re.IGNORECASE)
_CODE_CLOSE = re.compile(r"</code\s*>", re.IGNORECASE)
_CODE_DEPTH = "linkcheck_code_depth"  # env key: (the inline's tokens, scanned, depth)


def _in_code_element(state: StateInline) -> bool:
    """Whether an HTML `<code>` element is open at this point of the inline: what it
    holds is shown as code (`<code>[string, X][]</code>`, a type), as in a code span.
    The inline's tokens are scanned once, however many brackets it has."""
    tokens, scanned, depth = state.env.get(_CODE_DEPTH, (None, 0, 0))
    if tokens is not state.tokens:
        scanned, depth = 0, 0
    for token in state.tokens[scanned:]:
        if token.type == "html_inline":
            if _CODE_OPEN.fullmatch(token.content):
                depth += 1
            elif _CODE_CLOSE.fullmatch(token.content):
                depth = max(0, depth - 1)
    state.env[_CODE_DEPTH] = (state.tokens, len(state.tokens), depth)
    return depth > 0


#: `[^label]` as the footnote plugin reads a reference's label (no blanks inside).
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


def _note_undefined_footnote(state: StateInline, start: int) -> None:
    """`[^label]` with no `[^label]:` anywhere is a footnote nobody wrote (GitHub shows
    the brackets as text); the plugin leaves it to the link rule, which finds nothing."""
    if state.linkLevel > 0:
        return
    written = _FOOTNOTE_REFERENCE.match(state.src, start, state.posMax)
    if written is None:
        return
    marker = state.push("linkcheck_undefined", "", 0)
    marker.meta[_SPAN] = (start, written.end())
    marker.meta[_LABEL] = written.group(1)
    marker.meta[_KIND] = Kind.FOOTNOTE
    marker.content = written.group(1)


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
        replaced = None
        if not silent and state.env.get("linkcheck_last_wins"):
            label = _written_label(state, start_line)
            earlier = state.env.get("references", {})
            if label is not None and label in earlier:
                replaced = (label, earlier.pop(label))
        known = len(state.env.get("references", ()))
        found = rule(state, start_line, end_line, silent)
        references = state.env.get("references", {})
        if replaced is not None:
            if found and len(references) > known:  # the earlier one is now used by no link
                defined = state.env.get("linkcheck_definitions", [])
                earlier_pos = next(p for label, p, _ in reversed(defined) if label == replaced[0])
                state.env.setdefault("linkcheck_overridden", {})[earlier_pos] = replaced[1]
            else:  # not a definition after all: the earlier one stands
                references[replaced[0]] = replaced[1]
        # A repeated definition is ignored by markdown (the first one wins): no new label.
        if found and not silent and len(references) > known:
            label = next(reversed(references))
            pos = state.bMarks[start_line] + state.tShift[start_line]
            colon = _closing_bracket(state.src, pos + 1, len(state.src)) + 2
            dest = _destination(state.src, colon, len(state.src))
            state.env.setdefault("linkcheck_definitions", []).append((label, pos, dest))
        return found

    ruler.at("reference", recording)


def _written_label(state: StateBlock, line: int) -> str | None:
    """The normalized label of the reference definition that may start at `line`."""
    pos = state.bMarks[line] + state.tShift[line]
    if state.src[pos : pos + 1] != "[":
        return None
    end = _closing_bracket(state.src, pos + 1, len(state.src))
    return normalizeReference(state.src[pos + 1 : end]) if end > pos else None


@dataclass
class _Extraction:
    src: str
    file: str
    env: dict[str, Any]
    #: Template tags hidden in destinations (_dialects.py), put back in each Link.
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    #: Line ranges of the `markdown="1"` HTML blocks kramdown parses (Jekyll): their
    #: headings get kramdown's own ids, not the GFM parser's.
    kramdown_blocks: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = self.src.split("\n")
        self.slugger = Slugger()
        self.kramdown_ids = KramdownIds()
        self.cursor: dict[int, int] = {}  # per source line: where the next cell starts
        #: Per source line, the cells not parsed inline whose end is not yet in `cursor`,
        #: in order: only a later block on the same line reads it (a cell with a link
        #: after them), so most are never mapped at all.
        self.unconsumed: dict[int, list[str]] = {}

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
        self._footnote_anchors()
        ignored = ignored_lines(self.lines, code_lines)
        links = [_with_ignore(link, ignored.lines.get(link.line - 1)) for link in self.links]
        links.sort(key=lambda link: (link.line, link.column))
        return Article(tuple(links), frozenset(self.anchors), tuple(ignored.warnings))

    def _mapper(self, content: str, first: int, cell: bool = False) -> BlockLines:
        if self.unconsumed:  # the cursor as it would be had each skipped cell moved it
            for line in range(first, first + content.count("\n") + 1):
                for text in self.unconsumed.pop(line, ()):
                    BlockLines(text, line, self.lines, self.cursor, True).consume(len(text))
        return BlockLines(content, first, self.lines, self.cursor, cell)

    def _add(self, position: tuple[int, int], kind: Kind, text: str, url: str, **kw: Any) -> None:
        line, column = position
        if self.tags:
            url, text = restore_templates(url, self.tags), restore_templates(text, self.tags)
        self.links.append(Link(self.file, line, column, kind, text, url, **kw))

    def _inline(self, token: Token, opened_by: str) -> None:
        assert token.map is not None
        cell = opened_by in ("th_open", "td_open")
        children = token.children or []
        if not children and opened_by != "heading_open":
            # Not parsed inline: the prefilter saw nothing that can start a link or an
            # address (bare_urls' own pattern), or there is no text. Nothing to find.
            if cell:
                self.unconsumed.setdefault(token.map[0], []).append(token.content)
            return
        lines = self._mapper(token.content, token.map[0], cell)
        taken: list[tuple[int, int]] = []
        added: list[int] = []  # per taken span: how many links there were before it
        for index, child in enumerate(children):
            span = child.meta.get(_SPAN) if child.meta else None
            if span is None:
                continue
            taken.append(span)
            added.append(len(self.links))
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
                if child.meta.get(_KIND) is Kind.FOOTNOTE:
                    self._footnote(where, label, None)
                else:
                    self._add(where, Kind.REFERENCE, child.content, "", label=label, undefined=True)
            elif child.type == "footnote_ref":
                self._footnote(where, child.meta["label"], child.meta["id"] + 1)
            elif child.type == "html_inline":
                # What follows up to `</a>` is the text of an `<a …>` only, never an image's.
                opens_a = A_OPEN.match(child.content) is not None
                self._html(
                    child.content,
                    lines,
                    base=span[0],
                    text=_text_until_a_close(children, index + 1) if opens_a else "",
                )
        bare = list(bare_urls(token.content, sorted(taken)))
        if bare and taken:
            self._drop_swallowed(taken, added, bare)
        for offset, url in bare:
            dest = lines.span(offset, offset + len(url))
            self._add(lines.position(offset), Kind.BARE, url, url, dest=dest)
        if opened_by == "heading_open":
            first = token.map[0]
            if any(start <= first < end for start, end in self.kramdown_blocks):
                self.anchors.add(self.kramdown_ids.id(_plain_text(children)))
            else:
                self.anchors.update(self.slugger.anchors(_plain_text(children)))
        elif cell:
            # Table cells are the only inline blocks that share a source line.
            lines.consume(len(token.content))

    def _drop_swallowed(
        self, taken: list[tuple[int, int]], added: list[int], bare: list[tuple[int, str]]
    ) -> None:
        """A bare URL runs to the next blank on GitHub, over a `[x](y)` glued to it
        (`https://a.example/[x](y)` is one URL): the links of a span it swallowed go."""
        offsets = [offset for offset, _ in bare]
        ends = [offset + len(url) for offset, url in bare]
        added = [*added, len(self.links)]
        for index in reversed(range(len(taken))):  # from the last, so indexes stay valid
            at = taken[index][0]
            inside = bisect_right(offsets, at) - 1
            if inside >= 0 and at < ends[inside]:
                del self.links[added[index] : added[index + 1]]

    def _footnote(self, where: tuple[int, int], label: str, number: int | None) -> None:
        """A footnote reference: its `url` is the reference as written, `[^label]`, its
        text what the reader sees: the note's number, or the brackets when there is no
        note (`number` None)."""
        written = f"[^{label}]"
        text = written if number is None else str(number)
        self._add(where, Kind.FOOTNOTE, text, written, label=label, undefined=number is None)

    def _dest(self, token: Token, lines: BlockLines) -> Span | None:
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

    def _html(self, fragment: str, lines: BlockLines, base: int = 0, text: str = "") -> None:
        """Links in raw HTML; `text` is what follows an inline `<a …>` up to its `</a>`."""
        self.anchors.update(html_anchors(fragment))
        for offset, url, inner, (start, end) in html_links(fragment):
            dest = lines.span(base + start, base + end)
            self._add(lines.position(base + offset), Kind.HTML, inner or text, url, dest=dest)

    def _definitions(self) -> None:
        """Reference definitions that no link uses are reported where they stand."""
        used = self.env.get("linkcheck_used", set())
        references = self.env.get("references", {})
        #: Python-Markdown's earlier definitions a later one of the same label replaced
        #: (their destinations, by where they stand): used by no link.
        overridden = self.env.get("linkcheck_overridden", {})
        for label, pos, _ in self.env.get("linkcheck_definitions", []):
            if label in used and pos not in overridden:
                continue
            written = self.src[pos + 1 : _closing_bracket(self.src, pos + 1, len(self.src))]
            href = overridden[pos]["href"] if pos in overridden else references[label]["href"]
            dest = self.definition_spans.get(label)
            where = self._absolute(pos)
            self._add(where, Kind.REFERENCE, written, href, label=written, dest=dest, unused=True)

    def _footnote_anchors(self) -> None:
        """A footnote's note and its reference are anchors (`#fn-1`, `#fnref-1`) as GitHub
        renders them (GitHub adds `user-content-`, which fragment matching removes)."""
        for note in self.env.get("footnotes", {}).get("list", {}).values():
            label = note.get("label")
            if label is not None:
                self.anchors.update((f"fn-{label}", f"fnref-{label}"))


def _with_ignore(link: Link, comment_line: int | None) -> Link:
    return link if comment_line is None else replace(link, ignored_by=comment_line)


_TEXTUAL: dict[str, Callable[[Token], str]] = {
    "text": lambda t: t.content,
    "text_special": lambda t: t.content,  # an escape or entity: what it stands for
    "code_inline": lambda t: t.content,
    "softbreak": lambda t: " ",
    "hardbreak": lambda t: " ",
    "image": lambda t: _plain_text(t.children or []),
}


def _plain_text(tokens: list[Token]) -> str:
    return "".join(_TEXTUAL[t.type](t) for t in tokens if t.type in _TEXTUAL)


def _text_until_a_close(children: list[Token], start: int) -> str:
    for end in range(start, len(children)):
        if children[end].type == "html_inline" and A_CLOSE.match(children[end].content):
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
