"""Rendering fidelity end to end: what extraction now finds, as the reports show it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck._cli import command

ARTICLE = """\
A note[^1] and a missing one[^gone]; the [guide][g].

[^1]: See [the paper](paper.md).

[g]: guide.md
[spare]: missing.md
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "paper.md").write_text("# Paper\n", encoding="utf-8")
    (tmp_path / "guide.md").write_text("# Guide\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json_reports_footnotes_and_unused_definitions(folder: Path) -> None:
    result = CliRunner().invoke(command, ["--offline", "--format", "json", "a.md"])
    rows = [
        (x["line"], x["column"], x["kind"], x["url"], x["status"], x["reason"], x.get("unused"))
        for x in json.loads(result.stdout)["links"]
    ]
    assert rows == [
        (1, 7, "footnote", "[^1]", "ok", None, None),
        (1, 29, "footnote", "[^gone]", "broken", "footnote [^gone] has no definition", None),
        (1, 42, "reference", "guide.md", "ok", None, None),
        (3, 11, "inline", "paper.md", "ok", None, None),
        (6, 1, "reference", "missing.md", "broken", "file not found: missing.md", True),
    ]
    # Only the missing footnote fails the run: the broken definition nothing cites does not.
    assert result.exit_code == 1
    assert result.stdout.count('"unused": true') == 1


def test_an_unused_broken_definition_alone_does_not_fail_the_run(folder: Path) -> None:
    (folder / "a.md").write_text("Nothing cites it.\n\n[spare]: missing.md\n", encoding="utf-8")
    result = CliRunner().invoke(command, ["--offline", "a.md"])
    assert result.exit_code == 0
    assert result.stdout == (
        "a.md:3:1  broken  missing.md  “spare”  (unused definition: nothing cites it)"
        " — file not found: missing.md\n"
        "\n"
        "1 link in 1 file: 1 broken — passed\n"
    )


def test_the_extraction_cache_carries_footnotes_and_unused_definitions() -> None:
    from linkcheck import Kind, extract
    from linkcheck._extract import dump_article, load_article

    folder = Path(__file__).parent / "data" / "fidelity"
    articles = [extract(p.read_text(encoding="utf-8"), "x.md") for p in sorted(folder.glob("*.md"))]
    links = [link for article in articles for link in article.links]
    assert any(x.unused for x in links) and any(x.kind is Kind.FOOTNOTE for x in links)
    for article in articles:
        assert load_article(dump_article(article), "x.md") == article
