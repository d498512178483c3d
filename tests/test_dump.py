"""--dump: every link found, with its position, kind, URL and target; nothing checked."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import linkcheck
from linkcheck._cli import command
from servers import Route, serve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(command, args, catch_exceptions=False)


def test_dump_lists_every_link_and_requests_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with serve({"/gone": Route(404)}, lifetime=20) as server:
        gone = server.url("/gone")
        (tmp_path / "a.md").write_text(f"# A\n\n[gone]({gone}) and [missing](nowhere.md#x)\n")
        result = invoke(["--dump", "--no-cache", "a.md"])
        assert result.exit_code == 0, result.stderr  # a dead link, but nothing is checked
        assert not server.hits
    assert result.stdout == (
        f"a.md:3:1  inline  {gone}\na.md:3:{len(gone) + 14}  inline  nowhere.md#x\n"
    )


def test_dump_is_what_the_check_would_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built on the pipeline's own stages: the same occurrences, kinds and targets as a
    check's report, whatever the articles' formats."""
    monkeypatch.chdir(FIXTURES.parent)
    options = linkcheck.Options(offline=True)
    report = linkcheck.check(["fixtures"], options)
    found = json.loads(invoke(["--dump", "--no-cache", "--format", "json", "fixtures"]).stdout)
    assert found["files"] == list(report.files)
    assert len(found["links"]) == len(report.results) > 20
    for row, result in zip(found["links"], report.results, strict=True):
        link = result.link
        assert (row["file"], row["line"], row["column"]) == (link.file, link.line, link.column)
        assert (row["kind"], row["text"], row["url"]) == (link.kind.value, link.text, link.url)
        assert row["target"] == result.target


def test_dump_in_csv_and_safe_for_terminals_and_spreadsheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    secret = "https://x.example/?token=hunter2"
    (tmp_path / "a.md").write_text(f"[=cmd](=1+2) <{secret}> [t](red\u202emd.md)\n")
    rows = list(csv.reader(StringIO(invoke(["--dump", "--format", "csv", "a.md"]).stdout)))
    assert rows[0] == ["file", "line", "column", "kind", "text", "url", "target", "category"]
    assert rows[1][4:8] == ["'=cmd", "'=1+2", "'=1+2", "local"]
    assert rows[2][5] == "https://x.example/?token=***"
    text = invoke(["--dump", "a.md"]).stdout
    assert "hunter2" not in text and "\u202e" not in text and "red\\u202emd.md" in text


def test_dump_writes_files_and_refuses_what_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[x](y.md)\n")
    done = invoke(["--dump", "-o", "links.txt", "--report", "json:links.json", "a.md"])
    assert done.exit_code == 0 and done.stdout == ""
    assert Path("links.txt").read_text() == "a.md:1:1  inline  y.md\n"
    assert json.loads(Path("links.json").read_text())["links"][0]["target"] == "y.md"
    refused = invoke(["--dump", "--format", "sarif", "a.md"])
    assert refused.exit_code == 2
    assert refused.stderr == "linkcheck: error: --dump writes text, json, csv, not sarif\n"
    assert invoke(["--dump", "--fix", "a.md"]).exit_code == 2
    assert invoke(["--dump", "-o", "a.md", "a.md"]).exit_code == 2  # never over an article
    assert Path("a.md").read_text() == "[x](y.md)\n"
