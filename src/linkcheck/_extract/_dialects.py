"""What a site generator does to an article before its markdown is parsed, done to the
source with every character kept in place, so that positions stay exact.

- Jekyll runs Liquid first: `[x]({% link a.md %})` and `[x]({{ "/a/" | relative_url }})`
  are ordinary links on the site, though CommonMark ends a destination at the first
  space. Hugo does the same with `{{< ref "a.md" >}}` (a shortcode is a placeholder
  token when Goldmark parses). Each template tag that stands in a link destination is
  hidden behind a placeholder of the same length, without spaces; the tag as written
  comes back in the Link's url.
- kramdown (Jekyll) parses the content of an HTML block carrying `markdown="1"` as
  markdown. The tags that carry it (and their closing tags) are blanked out, so the
  parser reads their content as markdown.

- MkDocs' admonitions (`!!! note`, collapsible `??? note`) and content tabs (`=== "Tab"`)
  hold a body indented by four spaces, which CommonMark reads as a code block: the
  marker is read as a list item's marker of the same width instead, so the body is the
  item's markdown, as the extensions render it. mkdocs-autorefs' `[](){#name}` is an
  anchor, not an empty link.

- `.mdx` under Docusaurus or Starlight is MDX: no indented code, no HTML blocks (see
  _markdown.py's parser).

`github` (no generator) changes nothing: GitHub renders both as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, get_args

from .._anchors import html_anchors

#: The dialects an article can be parsed in: GitHub's, or as a generator's build reads it.
#: (`sphinx` and `sphinx-epilog` change how reStructuredText is read, `_extract/_rst.py`;
#: markdown under Sphinx is read as GitHub's.)
Dialect = Literal["github", "jekyll", "hugo", "mkdocs", "mdx", "sphinx", "sphinx-epilog"]
DIALECTS: tuple[Dialect, ...] = get_args(Dialect)

_TAGS: dict[Dialect, re.Pattern[str]] = {
    "jekyll": re.compile(r"\{\{.*?\}\}|\{%.*?%\}"),
    # `{{</* ref "x" */>}}` is Hugo's escape: it writes the shortcode out as text.
    "hugo": re.compile(r"\{\{<(?!/\*).*?>\}\}|\{\{%(?!/\*).*?%\}\}"),
}
#: Where a destination starts: after `](` (and an optional `<`), or after a reference
#: definition's `[label]:`.
_DESTINATION_START = re.compile(r"\]\([ \t]*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*", re.MULTILINE)
#: Placeholder: a first mark, the tag's number, then padding; private-use characters,
#: which markdown treats as plain text and no article has in a destination.
_FIRST, _PAD, _NUMBERS = "\ue000", "\ue001", 0xF0000
_LIMIT = 0xFFFFD - _NUMBERS
_PLACEHOLDER = re.compile(f"{_FIRST}(.){_PAD}*", re.DOTALL)


def hide_templates(src: str, dialect: Dialect) -> tuple[str, list[str]]:
    """`src` with each template tag in a link destination replaced by a placeholder of
    its length, and the tags in order (the placeholders' numbers)."""
    pattern = _TAGS.get(dialect)
    if pattern is None or ("{{" not in src and "{%" not in src):
        return src, []
    tags: list[str] = []
    pieces: list[str] = []
    done = 0
    for start in _DESTINATION_START.finditer(src):
        pos = start.end()
        if pos < done:
            continue
        while pos < len(src) and len(tags) < _LIMIT:
            tag = pattern.match(src, pos)
            if tag is not None:
                # Hidden in a remote address too (`https://x.example/{{ page.path }}`):
                # the build evaluates the tag before the markdown is parsed, so the
                # link, and the reference definitions after such a definition, are the
                # page's; only the address itself is the build's to complete (skipped).
                pieces += [src[done:pos], _placeholder(len(tags), len(tag.group()))]
                tags.append(tag.group())
                pos = done = tag.end()
            elif src[pos] in " \t\n()<>":
                break
            else:
                pos += 1
    if not tags:
        return src, []
    return "".join([*pieces, src[done:]]), tags


def _placeholder(number: int, length: int) -> str:
    return _FIRST + chr(_NUMBERS + number) + _PAD * (length - 2)


def restore_templates(text: str, tags: list[str]) -> str:
    """`text` (a url or link text read from the hidden source) with its tags put back."""
    if not tags or _FIRST not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: tags[ord(m.group(1)) - _NUMBERS], text)


#: An opening tag carrying kramdown's `markdown` attribute, with a value that parses.
_MARKDOWN_OPEN = re.compile(
    r"""<([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*?\smarkdown\s*=\s*(["']?)(?:1|block|span)\2(?=[\s/>])[^<>]*>"""
)


def open_markdown_blocks(
    src: str, blocks: Iterable[tuple[int, int]]
) -> tuple[str, set[str], list[tuple[int, int]]]:
    """`src` with kramdown's `markdown="1"` tags blanked out in the given HTML blocks
    (line ranges), so that what they hold is read as markdown; the anchors (ids) the
    blanked tags carried; and the line ranges opened."""
    lines = src.split("\n")
    anchors: set[str] = set()
    ranges: list[tuple[int, int]] = []
    for first, end in blocks:
        block = "\n".join(lines[first:end])
        spans = list(_markdown_tags(block))
        if not spans:
            continue
        ranges.append((first, first + _element_lines("\n".join(lines[first:]))))
        for start, stop in spans:
            anchors.update(html_anchors(block[start:stop]))
        chars = list(block)
        for start, stop in spans:
            chars[start:stop] = " " * (stop - start)
        opened = "".join(chars).split("\n")
        for i, line in enumerate(opened):
            original = lines[first + i]
            if line == original:
                continue
            following = opened[i + 1].lstrip(" \t") if i + 1 < len(opened) else ""
            if not line.strip() and following.startswith("<"):
                # A tag alone on its line, before a line that opens with a tag: kramdown
                # reads `<img …>` or `<a …>` there as the start of a paragraph, which
                # markdown does only after a line of text (a blank would make the line
                # a raw HTML block instead).
                opened[i] = _FILLER * len(line)
            elif line.strip() and _indent(line) > _indent(original):
                # Text beside a blanked tag keeps the tag's room as text, not as
                # indentation (which would make it a code block).
                keep, room = _indent(original), _indent(line)
                opened[i] = original[:keep] + _FILLER * (room - keep) + line[room:]
        lines[first:end] = opened
    return "\n".join(lines), anchors, ranges


_FILLER = "\u2060"  # a word joiner: text to markdown (not indentation, not a blank)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _element_lines(text: str) -> int:
    """How many lines of `text` the element its first `markdown="1"` tag opens spans,
    to its closing tag (a blank line ends the HTML block, not the element)."""
    opening = _MARKDOWN_OPEN.search(text)
    if opening is None:
        return 1
    closing = _closing_tag(text, opening)
    return text.count("\n", 0, closing.start() if closing else len(text)) + 1


def _closing_tag(text: str, opening: re.Match[str]) -> re.Match[str] | None:
    """The tag that closes the element `opening` opens (elements of its name nest)."""
    element = re.compile(rf"<(/?){re.escape(opening.group(1))}(?=[\s/>])[^<>]*>", re.IGNORECASE)
    depth = 1
    for tag in element.finditer(text, opening.end()):
        if tag.group().endswith("/>"):
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag
    return None


def _markdown_tags(block: str) -> Iterable[tuple[int, int]]:
    """Spans of each `markdown="1"` opening tag in `block` and of its closing tag."""
    for opening in _MARKDOWN_OPEN.finditer(block):
        yield opening.span()
        closing = _closing_tag(block, opening)
        if closing is not None:
            yield closing.span()


#: An admonition's, a collapsible block's or a content tab's first line.
_INDENTED_BLOCK = re.compile(r"^([ \t]*)(!!!|\?\?\?\+?|===[!+]?)(?=[ \t]|$)", re.MULTILINE)


#: mkdocs-autorefs' anchor: an empty link carrying an id, `[](){#name}`, is no link.
_AUTOREFS_ANCHOR = re.compile(r"\[\]\(\)(?=\{[ \t]*#)")


def open_indented_blocks(src: str) -> str:
    """`src` with each admonition or tab marker replaced by `-` and blanks of its width:
    its indented body becomes the list item's content (not a code block), its title the
    item's first line; and autorefs' `[](){#name}` anchors blanked (the id stays, for
    the anchors). Every other character stays in place."""
    if "[]()" in src:
        src = _AUTOREFS_ANCHOR.sub("    ", src)
    if "!!!" not in src and "???" not in src and "===" not in src:
        return src
    return _INDENTED_BLOCK.sub(lambda m: m.group(1) + "-" + " " * (len(m.group(2)) - 1), src)
