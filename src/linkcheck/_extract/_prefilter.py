"""Inline parsing only where a link can be: the cheapest third of extraction to cut.

markdown-it parses the inline content of every block (emphasis, code spans, entities…),
which is a third of the time extraction takes, yet a block can only yield a link, an
image, a reference, raw HTML or a bare URL if it holds a `[`, a `<`, or something that
may start an address (a scheme's `:`, `www.`, a dotted name followed by a path). Every
other block's inline parse is skipped: none of its tokens would be read. Headings are
always parsed (their text is the anchor), and so is a block the test suite cannot tell
apart (tests/test_prefilter.py compares extraction with and without this on every corpus).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from ._bare import MAYBE_ADDRESS


def may_hold_link(content: str) -> bool:
    """Whether an inline block's source may hold anything extraction reports: what
    starts a link, an image, a reference, an autolink or HTML, or what `bare_urls`
    takes for the start of an address (its own pattern, so the two cannot drift)."""
    return (
        "[" in content
        or "<" in content
        or ":" in content
        or MAYBE_ADDRESS.search(content) is not None
    )


def skip_linkless_inlines(md: MarkdownIt) -> None:
    """Replace markdown-it's core `inline` rule with one that parses only the inline
    blocks that may hold a link, and every heading."""

    def inline(state: StateCore) -> None:
        parse = state.md.inline.parse
        previous = ""
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                if previous == "heading_open" or may_hold_link(token.content):
                    parse(token.content, state.md, state.env, token.children)
            previous = token.type

    md.core.ruler.at("inline", inline)
