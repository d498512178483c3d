"""What a cold run asks the file system for each article: one descriptor, read whole
without a file object, and one real-path lookup however many stages ask about it."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

import linkcheck
from linkcheck import Options, Source, Status
from linkcheck._extract import read_source
from linkcheck._realpath import RealPaths


def test_an_article_is_read_whole_through_a_raw_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No buffered file object (its set-up cost more than the read on a small file);
    a file of several read chunks comes back whole, one over the limit is refused."""

    def no_file_objects(*args: object, **kwargs: object) -> object:
        raise AssertionError("an article was opened as a file object")

    monkeypatch.setattr(os, "fdopen", no_file_objects)
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (5 * 1024 * 1024 // 2) + b"\xc3\xa9")  # 2.5 MiB, then é
    text, issue = read_source(Source("big.md", str(big)), 3 * 1024 * 1024)
    assert issue is None and text is not None
    assert len(text) == 5 * 1024 * 1024 // 2 + 1 and text.endswith("é")
    limit = big.stat().st_size - 1
    text, issue = read_source(Source("big.md", str(big)), limit)
    assert text is None and issue is not None and "larger than" in issue.message


def test_each_article_real_path_is_looked_up_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk, the reader (each article's dialect) and the local resolver (an article
    as a link's target) all ask for an article's real path: one lstat answers them all
    (three per article before, on 40,000 small files)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        (docs / f"a{n}.md").write_text(f"# A{n}\n\n[next](a{(n + 1) % 3}.md#a{(n + 1) % 3})\n")
    asked: Counter[str] = Counter()
    real = RealPaths.resolve_stat

    def counted(self: RealPaths, path: str) -> tuple[str, os.stat_result | None]:
        asked[path] += 1
        return real(self, path)

    monkeypatch.setattr(RealPaths, "resolve_stat", counted)
    report = linkcheck.check([str(docs)], Options(offline=True))
    assert [r.outcome.status for r in report.results] == [Status.OK] * 3
    articles = {str(docs / f"a{n}.md") for n in range(3)}
    assert {path: asked[path] for path in articles} == dict.fromkeys(articles, 1)
