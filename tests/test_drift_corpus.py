"""--drift's measure on the page-pair corpus (tests/drift_corpus.py): at the default
threshold it flags every drifted pair and nothing else, with trafilatura and without."""

from __future__ import annotations

import sys
from unittest import mock

import pytest

from drift_corpus import pairs
from linkcheck._options import Options
from linkcheck._similarity import PageText, changes_by_nature, page_text, similarity

THRESHOLD = Options().drift_threshold


@pytest.mark.parametrize("extractor", ["trafilatura", "plain"])
def test_the_default_threshold_separates_the_corpus(extractor: str) -> None:
    blocked = {"trafilatura": None} if extractor == "plain" else {}
    with mock.patch.dict(sys.modules, blocked):
        wrong = []
        for pair in pairs():
            score = similarity(page_text(pair.then), page_text(pair.now))
            assert score is not None
            if (score < THRESHOLD) != pair.drifted:
                wrong.append((pair.name, score))
    assert wrong == []


def test_containment_keeps_a_text_that_grew() -> None:
    words = " ".join(f"word{i}" for i in range(60))
    then = PageText("A title", words)
    assert similarity(then, PageText("A title", words + " " + words.upper() + " more")) == 1.0
    assert similarity(then, PageText("Another", "nothing in common at all here")) == 0.0
    assert similarity(PageText("t", "too short"), then) is None  # too little to judge


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://news.example/", "a home page"),
        ("https://news.example", "a home page"),
        ("https://news.example/index.html", "a home page"),
        ("https://news.example/feed/", "a feed"),
        ("https://news.example/rss.xml", "a feed"),
        ("https://news.example/search?q=flood", "a search's results"),
        ("https://news.example/?s=flood", "a search's results"),
        ("https://news.example/2015/03/flood-story", None),
        ("https://news.example/feedback-form", None),
    ],
)
def test_pages_that_change_by_nature(url: str, why: str | None) -> None:
    assert changes_by_nature(url) == why
