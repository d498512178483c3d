"""For any markdown at all, extraction never raises and every position points at its link."""

from __future__ import annotations

import html

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import unescapeAll

from linkcheck import Kind, extract

# Pieces that make markdown's block and inline rules interact, plus arbitrary text.
_PIECES = st.sampled_from(
    [
        "[a](b.md)", "[t](<x y.md> \"t\")", "[r][ref]", "[ref]", "[r][]", "[ref]: https://r.example",
        "![i](i.png)", "<https://a.example>", "<http://>", "https://b.example/p", "bit.ly/x1",
        "on.rt.com/6rq5", "www.c.example.org", '<a href="h.md">h</a>', "<img src='s.png'>",
        "`code [x](y)`", "```", "    ", "\t", "> ", "- ", "1. ", "# ", "| a | b |", "|---|---|",
        "*", "_", "**", "~~", "\\", "[", "]", "(", ")", "<", ">", "!", "\n", "\r\n", "\r", " ",
        "<!-- linkcheck-ignore -->", "---", "é", "\u202e", "\x00",
        # Destinations whose written form is not their URL: escapes (a table cell's `\|`
        # too), entities, angle brackets.
        "[p](a\\|b.md)", "| [q](c\\|d\\|e.md) |", "[e](f&amp;g.md)", "![k](<l m.png>)",
        "[n](o\\(p\\).md)", '<a href="q&amp;r.md">',
    ]
)  # fmt: skip
_MARKDOWN = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join)

_FIRST_CHAR = {Kind.INLINE: "[", Kind.REFERENCE: "[", Kind.IMAGE: "!", Kind.AUTOLINK: "<"}


def _as_written(kind: Kind, written: str) -> str:
    """What the URL is, read from its destination as written (what --fix replaces)."""
    if kind is Kind.HTML:
        return html.unescape(written).strip()
    if kind in (Kind.AUTOLINK, Kind.BARE):
        return written
    return unescapeAll(written)  # backslash escapes (a cell's `\|` is one) and entities


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWN)
@example("| a | [x](a\\|b.md) |\n|---|---|\n| [y](c\\|d\\|e.md) | b |\n")
def test_every_position_is_inside_the_file_and_starts_its_link(markdown: str) -> None:
    article = extract(markdown, "a.md")
    normalized = (
        markdown.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    ).replace("\x00", "\ufffd")
    lines = normalized.split("\n")
    for link in article.links:
        assert 1 <= link.line <= len(lines), link
        line = lines[link.line - 1]
        assert 1 <= link.column <= len(line), link
        at = line[link.column - 1 :]
        if link.kind in _FIRST_CHAR:
            assert at.startswith(_FIRST_CHAR[link.kind]), (link, at)
        elif link.kind is Kind.BARE:
            assert at.startswith(link.url), (link, at)
        else:
            assert at.startswith("<"), (link, at)
        if link.dest is not None:
            dest_line = lines[link.dest.line - 1]
            assert 0 <= link.dest.start <= link.dest.end <= len(dest_line), link
            # The span is the destination itself, no character more or less.
            written = dest_line[link.dest.start : link.dest.end]
            assert _as_written(link.kind, written) == link.url, (link, written)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=" \t\n()<>\\a)é\x00\x01\x7f\u00a0", max_size=12))
def test_the_quick_destination_scan_agrees_with_markdown_it(src: str) -> None:
    # The regex shortcut for plain destinations must end where markdown-it's own
    # parseLinkDestination does, or a --fix would rewrite the wrong characters.
    from markdown_it.helpers import parseLinkDestination

    from linkcheck._extract._markdown import _destination

    pos = len(src) - len(src.lstrip(" \t\n"))
    if src.startswith("<", pos):
        return
    found = parseLinkDestination(src, pos, len(src))
    expected = (pos, found.pos) if found.ok else (pos, pos) if src.startswith(")", pos) else None
    assert _destination(src, 0, len(src)) == expected
