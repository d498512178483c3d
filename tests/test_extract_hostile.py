"""Pathological articles: extraction finishes in linear time and finds what is there.

Bounds are generous (CI machines vary); a quadratic path takes 10x longer than each bound.
"""

from __future__ import annotations

import time

import pytest

from linkcheck import extract

pytestmark = pytest.mark.slow


def timed_links(text: str) -> tuple[int, float]:
    start = time.perf_counter()
    count = len(extract(text, "a.md").links)
    return count, time.perf_counter() - start


def test_thirty_thousand_links_in_one_paragraph() -> None:
    text = "\n".join(f"[l{i}](https://h{i % 20}.example/{i}) " for i in range(30_000))
    count, seconds = timed_links(text)
    assert count == 30_000
    assert seconds < 8, seconds


def test_twenty_thousand_reference_definitions() -> None:
    text = "\n".join(f"[r{i}]: https://x.example/{i}" for i in range(20_000))
    count, seconds = timed_links(text)
    assert count == 20_000  # every definition unused, each reported at its line
    assert seconds < 8, seconds


def test_a_one_megabyte_line_of_bare_urls() -> None:
    text = ("word https://a.example/x " * 40_000)[:1_000_000]
    count, seconds = timed_links(text)
    assert count == 40_000
    assert seconds < 10, seconds


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000 + "x" + "]" * 50_000,
        "*_" * 50_000,
        "[a](" * 50_000,
        "<" * 100_000,
        "> " * 5_000 + "[x](y)",
        "a." * 500_000,
    ],
    ids=["brackets", "emphasis", "unclosed-links", "angles", "deep-quotes", "dots"],
)
def test_nesting_and_unclosed_markup_do_not_blow_up(text: str) -> None:
    _, seconds = timed_links(text)
    assert seconds < 10, seconds
