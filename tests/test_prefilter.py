"""Skipping the inline parse of blocks that cannot hold a link, and the rules that cannot
match a source (`_markdown.parser_for`), changes no extraction."""

from __future__ import annotations

import copy
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from linkcheck import extract
from linkcheck._extract import _markdown, _prefilter
from linkcheck._models import Article

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed-article.txt"
sys.path.insert(0, str(ROOT / "bench"))

_PIECES = st.sampled_from(
    [
        "[a](b.md)", "[r][ref]", "[ref]: https://r.example", "![i](i.png)", "<https://a.example>",
        "https://b.example/p", "bit.ly/x1", "on.rt.com/6rq5", "www.c.example.org", "a.b/c",
        "e.g.", "v1.x", "x:y", "mailto:a@b.example", "a@b.example", '<a href="h.md">h</a>',
        "`code https://in.code/x`", "`", "```", "    ", "> ", "- ", "1. ", "# ", "## ", "\n",
        "| a | b |", "|---|---|", "*", "_", "**", "~~", "\\", "&amp;", "&#91;", "&lt;", "[", "]",
        "(", ")", "<", ">", "!", ":", ".", "/", "www", "\n\n", " ", "é", "Setext\n===",
        "[^1]", "[^1]: note", "~~~", "]:", "\\*", "&#x5B;", "| [c](d) |", "|:-:|",
    ]
)  # fmt: skip
_MARKDOWN = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=40).map("".join)


def _every_rule(src: str, mdx: bool = False) -> MarkdownIt:
    """The parser with every rule on, text_join included, whatever the source holds."""
    return _full_parser(mdx)


@cache
def _full_parser(mdx: bool) -> MarkdownIt:
    md = _markdown._mdx_parser() if mdx else _markdown._parser()
    full = copy.copy(md)
    full.core = copy.deepcopy(md.core)
    full.block = copy.deepcopy(md.block)
    full.inline = copy.deepcopy(md.inline)
    full.enable("text_join")
    return full


@contextmanager
def _unfiltered() -> Iterator[None]:
    """Extraction as markdown-it would do it: every inline block parsed, every rule
    tried, text tokens joined."""
    real, choose = _prefilter.may_hold_link, _markdown.parser_for
    _prefilter.may_hold_link = lambda content: True
    _markdown.parser_for = _every_rule
    try:
        yield
    finally:
        _prefilter.may_hold_link, _markdown.parser_for = real, choose


def _both(text: str) -> tuple[Article, Article]:
    filtered = extract(text, "a.md")
    with _unfiltered():
        full = extract(text, "a.md")
    return filtered, full


def test_the_prefilter_skips_blocks_without_a_link_and_keeps_the_others() -> None:
    assert not _prefilter.may_hold_link("plain *prose* with `code` and 1,5 numbers")
    for held in ("[x](y)", "<b>", "see https://x", "www.x", "bit.ly/x", "a.b/c", "x: y"):
        assert _prefilter.may_hold_link(held)


def _corpora() -> Iterator[str]:
    import corpus  # bench/corpus.py: the benchmark's own generators
    from extract_throughput import article

    rng = random.Random(5)
    yield from (article(rng, n) for n in range(40))
    yield from (path.read_text(encoding="utf-8") for path in sorted(ROOT.rglob("tests/**/*.md")))
    folder = Path(__import__("tempfile").mkdtemp())
    corpus.small_files(folder, 60)
    yield from (path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.md")))


def test_extraction_is_identical_on_every_corpus_the_project_has() -> None:
    texts = list(_corpora())
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    assert len(texts) > 100
    for text in texts:
        filtered, full = _both(text)
        assert filtered == full


@pytest.mark.parametrize(
    "text",
    [
        "# A *b* `c`\n\nplain",
        "| `-v` | more |\n|---|---|\n| a | b |",
        # Cells not parsed before one that is: its column comes after theirs.
        "| a.md | b | x |\n|---|---|---|\n| b | x | [b](x) |\n| x\\|y | x | [x](y) x |",
        "| [a | b](c) |\n|---|---|\n",  # a table splits what a paragraph makes a link
        "# T \\* &amp; x\n\n[a \\* &lt;](b) ![c &amp; d](e)\n",
    ],
)
def test_headings_and_cells_come_out_the_same(text: str) -> None:
    filtered, full = _both(text)
    assert filtered == full


def test_cells_not_parsed_still_move_the_next_cell_along() -> None:
    links = extract("| x | [x](y) |\n|---|---|\n| y | x [x](y) |\n", "a.md").links
    assert [(link.line, link.column) for link in links] == [(1, 7), (3, 9)]


def test_a_rule_that_cannot_match_the_source_is_not_tried() -> None:
    plain = _markdown.parser_for("# Title\n\nsee [x](y.md)\n")
    active = plain.get_active_rules()
    assert "table" not in active["block"] and "reference" not in active["block"]
    assert "footnote_tail" not in active["core"] and "text_join" not in active["core"]
    assert "heading" in active["block"] and "link" in active["inline"]
    full = _markdown.parser_for("| a |\n|---|\n\n[^1]\n\n[^1]: n\n\n[a]: b\n<b>\n> q\n```\n")
    assert {"table", "reference", "footnote_def", "html_block", "blockquote", "fence"} <= set(
        full.get_active_rules()["block"]
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWN)
def test_extraction_is_identical_for_any_markdown(markdown: str) -> None:
    filtered, full = _both(markdown)
    assert filtered == full


def test_a_link_free_block_is_not_parsed_inline() -> None:
    calls: list[str] = []
    md = _markdown.parser_for("# Title\n\nplain words only\n\nsee [x](y.md)\n")
    real = md.inline.parse

    def spy(src: str, *args: object, **kwargs: object) -> object:
        calls.append(src)
        return real(src, *args, **kwargs)  # type: ignore[arg-type]

    md.inline.parse = spy  # type: ignore[method-assign]
    try:
        extract("# Title\n\nplain words only\n\nsee [x](y.md)\n", "a.md")
    finally:
        md.inline.parse = real  # type: ignore[method-assign]
    assert calls == ["Title", "see [x](y.md)"]


def test_parse_workers_silence_markdown_its_debug_logs_unless_someone_listens() -> None:
    """A parse worker replaces the `debug` of markdown-it's loggers (called on entry to
    every block rule) by a no-op, except on a logger a caller enabled for DEBUG; what
    extraction finds is the same."""
    import logging
    import signal

    import linkcheck._extract._articles as articles
    from linkcheck import extract

    text = "# Title\n\n> quote [a](b.md)\n\n| x |\n|---|\n| [c](#title) |\n\n- item\n"
    before = extract(text, "a.md")
    listened = logging.getLogger("markdown_it.rules_block.heading")
    loggers = [
        logger
        for name, logger in logging.Logger.manager.loggerDict.items()
        if name.startswith("markdown_it") and isinstance(logger, logging.Logger)
    ]
    handler = signal.getsignal(signal.SIGINT)
    listened.setLevel(logging.DEBUG)
    try:
        articles._worker_started()
        assert "debug" not in vars(listened)
        quiet = [logger for logger in loggers if "debug" in vars(logger)]
        assert logging.getLogger("markdown_it.rules_block.paragraph") in quiet
        assert extract(text, "a.md") == before
    finally:
        signal.signal(signal.SIGINT, handler)
        listened.setLevel(logging.NOTSET)
        for logger in loggers:
            vars(logger).pop("debug", None)
