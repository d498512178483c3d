"""Skipping the inline parse of blocks that cannot hold a link changes no extraction."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
        "[^1]", "[^1]: note",
    ]
)  # fmt: skip
_MARKDOWN = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=40).map("".join)


@contextmanager
def _unfiltered() -> Iterator[None]:
    """Extraction as markdown-it would do it with every inline block parsed."""
    real = _prefilter.may_hold_link
    _prefilter.may_hold_link = lambda content: True
    try:
        yield
    finally:
        _prefilter.may_hold_link = real


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


@pytest.mark.parametrize("text", ["# A *b* `c`\n\nplain", "| `-v` | more |\n|---|---|\n| a | b |"])
def test_headings_and_cells_come_out_the_same(text: str) -> None:
    filtered, full = _both(text)
    assert filtered == full


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MARKDOWN)
def test_extraction_is_identical_for_any_markdown(markdown: str) -> None:
    filtered, full = _both(markdown)
    assert filtered == full


def test_a_link_free_block_is_not_parsed_inline() -> None:
    calls: list[str] = []
    md = _markdown._parser()
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
