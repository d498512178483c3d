"""`unverified` (SPEC, "Certain or silent"): a warning, said once with why; --strict fails it."""

from __future__ import annotations

import json
from io import StringIO

from conftest import make_result
from linkcheck import Level, Options, Report, Status
from linkcheck._report.json import write_json
from linkcheck._report.text import write_text

PREPROCESSOR = "decided by the mdBook preprocessor 'spec' (book.toml line 9)"
SCRIPTED = "the anchor is made by the page's scripts"

ROWS = (
    make_result("rules.md#r-a", Status.UNVERIFIED, PREPROCESSOR, line=1),
    make_result("rules.md#r-b", Status.UNVERIFIED, PREPROCESSOR, line=2),
    make_result("https://app.example/#/x", Status.UNVERIFIED, SCRIPTED, line=3),
    make_result("ok.md", Status.OK, line=4),
)


def test_unverified_is_a_warning_and_fails_only_under_strict() -> None:
    assert Options().failing == Options().fail_on
    assert Status.UNVERIFIED not in Options().failing
    assert Status.UNVERIFIED in Options(strict=True).failing
    row = ROWS[0]
    assert row.level(Options().failing) is Level.WARNING
    assert row.level(Options(strict=True).failing) is Level.ERROR
    assert not Report(files=("a.md",), results=ROWS).failed
    assert Report(files=("a.md",), results=ROWS, fail_on=Options(strict=True).failing).failed


def test_the_summaries_say_how_many_and_why_once() -> None:
    report = Report(files=("a.md",), results=ROWS)
    out = StringIO()
    write_json(report, out)
    summary = json.loads(out.getvalue())["summary"]
    assert summary["statuses"]["unverified"] == 3
    assert summary["unverified"] == [
        {"why": PREPROCESSOR, "count": 2},
        {"why": SCRIPTED, "count": 1},
    ]
    text = StringIO()
    write_text(report, text, color=False)
    lines = text.getvalue().splitlines()
    assert f"unverified: 2 — {PREPROCESSOR}" in lines
    assert f"unverified: 1 — {SCRIPTED}" in lines
    assert lines[-1] == "4 links in 1 file: 3 unverified, 1 ok — passed"


def test_no_unverified_no_summary_key() -> None:
    out = StringIO()
    write_json(Report(files=("a.md",), results=ROWS[3:]), out)
    assert "unverified" not in json.loads(out.getvalue())["summary"]
