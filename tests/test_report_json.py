"""The SPEC's JSON report, exactly: field names, order, types, and the bytes written."""

from __future__ import annotations

import json
from dataclasses import replace
from io import StringIO
from typing import Any

from conftest import make_result, report_to_dict
from linkcheck import FileIssue, Kind, LinkResult, Outcome, Redirect, Report, Status
from linkcheck._models import Archived, FixNote
from linkcheck._report.json import write_json

SPEC_FIELDS = [
    "file", "line", "column", "kind", "text", "url", "target", "status", "reason",
    "shortlink", "http_status", "final_url", "redirects",
]  # fmt: skip


def occurrence(
    file: str, line: int, column: int, kind: Kind, url: str, outcome: Outcome, **kw: Any
) -> LinkResult:
    return make_result(url, outcome, file=file, line=line, column=column, kind=kind, **kw)


SHORTLINK = occurrence(
    "articles/pentagon.md",
    43,
    100,
    Kind.AUTOLINK,
    "http://bit.ly/1Jy0kcg",
    Outcome(
        Status.REDIRECTED,
        "redirected 2 times",
        http_status=200,
        final_url="https://news.example/story",
        redirects=(
            Redirect(301, "https://bit.ly/1Jy0kcg"),
            Redirect(302, "https://news.example/story"),
        ),
    ),
    shortlink=True,
)
PLACEHOLDER = occurrence(
    "articles/pentagon.md",
    14,
    84,
    Kind.AUTOLINK,
    "http://",
    Outcome(Status.PLACEHOLDER, "URL has no host"),
    target=None,
)
REPORT = Report(
    files=("articles/pentagon.md", "articles/z.md", "articles/bad.md"),
    # Deliberately out of order: the report is sorted whatever it is given.
    results=(
        occurrence(
            "articles/z.md",
            1,
            1,
            Kind.INLINE,
            "https://ok.example/",
            Outcome(Status.OK, http_status=200),
            text="café “quoted”",
        ),
        SHORTLINK,
        occurrence(
            "articles/pentagon.md",
            25,
            1,
            Kind.BARE,
            "on.rt.com/6rq5",
            Outcome(Status.SKIPPED, "remote links are not checked with --offline"),
            target="http://on.rt.com/6rq5",
            shortlink=True,
        ),
        PLACEHOLDER,
    ),
    file_issues=(FileIssue("articles/bad.md", "binary file (NUL bytes), not read"),),
)


def test_the_whole_document() -> None:
    assert report_to_dict(REPORT) == {
        "version": 1,
        "tool": "linkcheck 0.1.0",
        "summary": {
            "files": 3,
            "links": 4,
            "unique_targets": 3,
            "statuses": {"placeholder": 1, "redirected": 1, "ok": 1, "skipped": 1},
            "failed": True,
            "fail_on": ["broken", "placeholder", "invalid", "timeout", "unreachable"],
        },
        "links": [
            {
                "file": "articles/pentagon.md", "line": 14, "column": 84, "kind": "autolink",
                "text": "http://", "url": "http://", "target": None, "status": "placeholder",
                "reason": "URL has no host", "shortlink": False, "http_status": None,
                "final_url": None, "redirects": [],
            },
            {
                "file": "articles/pentagon.md", "line": 25, "column": 1, "kind": "bare",
                "text": "on.rt.com/6rq5", "url": "on.rt.com/6rq5",
                "target": "http://on.rt.com/6rq5", "status": "skipped",
                "reason": "remote links are not checked with --offline", "shortlink": True,
                "http_status": None, "final_url": None, "redirects": [],
            },
            {
                "file": "articles/pentagon.md", "line": 43, "column": 100, "kind": "autolink",
                "text": "http://bit.ly/1Jy0kcg", "url": "http://bit.ly/1Jy0kcg",
                "target": "http://bit.ly/1Jy0kcg", "status": "redirected",
                "reason": "redirected 2 times", "shortlink": True, "http_status": 200,
                "final_url": "https://news.example/story",
                "redirects": [
                    {"status": 301, "url": "https://bit.ly/1Jy0kcg"},
                    {"status": 302, "url": "https://news.example/story"},
                ],
            },
            {
                "file": "articles/z.md", "line": 1, "column": 1, "kind": "inline",
                "text": "café “quoted”", "url": "https://ok.example/",
                "target": "https://ok.example/", "status": "ok", "reason": None,
                "shortlink": False, "http_status": 200, "final_url": None, "redirects": [],
            },
        ],
        "errors": [
            {"file": "articles/bad.md", "message": "binary file (NUL bytes), not read", "fatal": True}
        ],
        "files": ["articles/pentagon.md", "articles/z.md", "articles/bad.md"],
    }  # fmt: skip


def test_fields_in_the_spec_order_top_and_per_link() -> None:
    document = report_to_dict(REPORT)
    assert list(document) == ["version", "tool", "summary", "links", "errors", "files"]
    assert list(document["summary"]) == [
        *("files", "links", "unique_targets", "statuses", "failed"),
        "fail_on",  # added for `linkcheck merge`, after the SPEC's fields
    ]
    assert all(list(link) == SPEC_FIELDS for link in document["links"])


def test_statuses_are_counted_in_a_stable_order_and_zeros_left_out() -> None:
    shuffled = Report(files=("a.md",), results=(SHORTLINK, PLACEHOLDER, SHORTLINK))
    statuses = report_to_dict(shuffled)["summary"]["statuses"]
    assert list(statuses.items()) == [("placeholder", 1), ("redirected", 2)]


def test_failed_is_the_exit_code() -> None:
    passing = Report(files=("a.md",), results=(SHORTLINK,))
    assert report_to_dict(passing)["summary"]["failed"] is False
    only_redirects_fail = Report(
        files=("a.md",), results=(SHORTLINK,), fail_on=frozenset({Status.REDIRECTED})
    )
    assert report_to_dict(only_redirects_fail)["summary"]["failed"] is True


def test_an_empty_run() -> None:
    document = report_to_dict(Report(files=(), results=()))
    assert document["summary"] == {
        "files": 0,
        "links": 0,
        "unique_targets": 0,
        "statuses": {},
        "failed": False,
        "fail_on": ["broken", "placeholder", "invalid", "timeout", "unreachable"],
    }
    assert (document["links"], document["errors"]) == ([], [])


def test_later_capabilities_add_fields_only_when_asked() -> None:
    flaky = occurrence(
        "a.md", 1, 1, Kind.INLINE, "https://x.example/", Outcome(Status.TIMEOUT, "slow", flaky=True)
    )
    report = Report(
        files=("articles/pentagon.md", "a.md"),
        results=(
            replace(
                SHORTLINK, fix=FixNote("https://news.example/story", "shortlink", applied=True)
            ),
            flaky,
        ),
    )
    by_file = {x["file"]: x for x in report_to_dict(report)["links"]}
    assert by_file["articles/pentagon.md"]["fix"] == {
        "to": "https://news.example/story",
        "why": "shortlink",
        "applied": True,
    }
    assert by_file["a.md"]["flaky"] is True
    assert "fix" not in by_file["a.md"] and "flaky" not in by_file["articles/pentagon.md"]


def test_written_as_utf8_json_with_a_trailing_newline() -> None:
    out = StringIO()
    write_json(REPORT, out)
    text = out.getvalue()
    assert json.loads(text) == report_to_dict(REPORT)
    assert "café “quoted”" in text  # not \u escapes: UTF-8 as the SPEC says
    assert text.startswith('{\n  "version": 1,\n  "tool": "linkcheck 0.1.0",\n  "summary": {\n')
    assert text.endswith("}\n") and not text.endswith("\n\n")


def test_the_bytes_of_a_small_report() -> None:
    out = StringIO()
    write_json(Report(files=("a.md",), results=(PLACEHOLDER,)), out)
    assert out.getvalue() == (
        "{\n"
        '  "version": 1,\n'
        '  "tool": "linkcheck 0.1.0",\n'
        '  "summary": {\n'
        '    "files": 1,\n'
        '    "links": 1,\n'
        '    "unique_targets": 0,\n'
        '    "statuses": {\n'
        '      "placeholder": 1\n'
        "    },\n"
        '    "failed": true,\n'
        '    "fail_on": [\n'
        '      "broken",\n'
        '      "placeholder",\n'
        '      "invalid",\n'
        '      "timeout",\n'
        '      "unreachable"\n'
        "    ]\n"
        "  },\n"
        '  "links": [\n'
        '    {"file": "articles/pentagon.md", "line": 14, "column": 84, "kind": "autolink", '
        '"text": "http://", "url": "http://", "target": null, "status": "placeholder", '
        '"reason": "URL has no host", "shortlink": false, "http_status": null, '
        '"final_url": null, "redirects": []}\n'
        "  ],\n"
        '  "errors": [],\n'
        '  "files": [\n'
        '    "a.md"\n'
        "  ]\n"
        "}\n"
    )


def test_hostile_strings_are_json_escaped_and_survive_a_round_trip() -> None:
    hostile = 'x\x1b[31m"}\n],\u202e\u2028\x00'
    evil = occurrence("e\nvil.md", 1, 1, Kind.INLINE, hostile, Outcome(Status.BROKEN, hostile))
    out = StringIO()
    write_json(Report(files=("e\nvil.md",), results=(evil,)), out)
    text = out.getvalue()
    assert "\x1b" not in text and "\x00" not in text
    assert '\\u001b[31m\\"}\\n],' in text
    (link,) = json.loads(text)["links"]
    assert (link["file"], link["url"], link["text"], link["reason"]) == (
        "e\nvil.md",
        hostile,
        hostile,
        hostile,
    )


def test_each_row_is_exactly_what_json_dumps_makes_of_it() -> None:
    # Rows are assembled from pieces encoded once per file and per target; whatever the
    # sharing, each line must be the plain encoding of that occurrence.
    shared = Outcome(
        Status.TIMEOUT,
        'no response "in time"\t\x1b',
        final_url="https://a.example/é",
        redirects=(Redirect(308, "https://a.example/é"),),
        flaky=True,
    )
    hostile = 'x\x1b[31m"}\n],\u202e\u2028'
    moved = FixNote("https://c.example/", "moved", applied=False)
    archived = Archived("https://web.archive.org/x", "20150930000000")
    rows = (
        occurrence("d/é.md", 2, 5, Kind.IMAGE, hostile, shared, text="", target=None, fix=moved),
        occurrence(
            "d/é.md", 9, 1, Kind.REFERENCE, "https://a.example/", shared, shortlink=True,
            archive=archived,
        ),
        occurrence("z.md", 1, 1, Kind.HTML, "https://b.example/", Outcome(Status.BROKEN, "404")),
    )  # fmt: skip
    report = Report(files=("d/é.md", "z.md"), results=rows)
    out = StringIO()
    write_json(report, out)
    lines = out.getvalue().split("\n")
    start = lines.index('  "links": [') + 1

    def expected(result: LinkResult) -> dict[str, object]:
        link, o = result.link, result.outcome
        row: dict[str, object] = {
            "file": link.file, "line": link.line, "column": link.column,
            "kind": link.kind.value, "text": link.text, "url": link.url,
            "target": result.target, "status": o.status.value, "reason": o.reason,
            "shortlink": result.shortlink, "http_status": o.http_status,
            "final_url": o.final_url,
            "redirects": [{"status": r.status, "url": r.url} for r in o.redirects],
        }  # fmt: skip
        if o.flaky:
            row["flaky"] = True
        return row

    first, second, third = (expected(r) for r in rows)
    first["fix"] = {"to": "https://c.example/", "why": "moved", "applied": False}
    second["archive"] = {"url": "https://web.archive.org/x", "timestamp": "20150930000000"}
    assert lines[start : start + 4] == [
        f"    {json.dumps(first, ensure_ascii=False)},",
        f"    {json.dumps(second, ensure_ascii=False)},",
        f"    {json.dumps(third, ensure_ascii=False)}",
        "  ],",
    ]
