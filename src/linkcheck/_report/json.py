"""The SPEC's JSON report: one object, every occurrence, machine-readable."""

from __future__ import annotations

import json
from typing import TextIO

from .._models import LinkResult, Report, Status
from .._version import __version__


def report_to_dict(report: Report) -> dict[str, object]:
    counts = report.counts
    results = sorted(report.results, key=lambda r: (r.link.file, r.link.line, r.link.column))
    return {
        "version": 1,
        "tool": f"linkcheck {__version__}",
        "summary": {
            "files": len(report.files),
            "links": len(report.results),
            "unique_targets": report.unique_targets,
            "statuses": {s.value: counts[s] for s in Status if counts[s]},
            "failed": report.failed,
        },
        "links": [_link(r, report) for r in results],
        # Files that could not be read, or only with a fallback encoding (not in the SPEC's
        # minimum; consumers ignore fields they do not know).
        "errors": [
            {"file": i.file, "message": i.message, "fatal": i.fatal} for i in report.file_issues
        ],
        **report.extra,
    } | (
        # With --archive: each article's date, the date its citations are rescued as of.
        {
            "articles": [
                {"file": f, "date": d, "date_source": s}
                for f, (d, s) in sorted(report.dates.items())
            ]
        }
        if report.dates
        else {}
    )


def _link(result: LinkResult, report: Report) -> dict[str, object]:
    link, outcome = result.link, result.outcome
    row: dict[str, object] = {
        "file": link.file,
        "line": link.line,
        "column": link.column,
        "kind": link.kind.value,
        "text": link.text,
        "url": link.url,
        "target": result.target,
        "status": outcome.status.value,
        "reason": outcome.reason,
        "shortlink": result.shortlink,
        "http_status": outcome.http_status,
        "final_url": outcome.final_url,
        "redirects": [{"status": r.status, "url": r.url} for r in outcome.redirects],
    }
    if outcome.flaky:
        row["flaky"] = True
    where = (link.file, link.line, link.column)
    if where in report.archives:
        snapshot = report.archives[where]
        row["archive"] = (
            None if snapshot is None else {"url": snapshot[0], "timestamp": snapshot[1]}
        )
    note = report.fixes.get(where)
    if note is not None:
        row["fix"] = {"to": note.to, "why": note.why, "applied": note.applied}
    return row


def write_json(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """Indented at the top, one line per link: as readable, and it lets the C encoder do
    the work (json's `indent` falls back to pure Python, 5x slower on 100,000 links)."""
    document = report_to_dict(report)

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    stream.write("{\n")
    for index, (key, value) in enumerate(document.items()):
        comma = "," if index < len(document) - 1 else ""
        if isinstance(value, list) and value:
            stream.write(f"  {dumps(key)}: [\n")
            stream.write(",\n".join(f"    {dumps(item)}" for item in value))
            stream.write(f"\n  ]{comma}\n")
        elif isinstance(value, dict):
            nested = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            stream.write(f"  {dumps(key)}: {nested}{comma}\n")
        else:
            stream.write(f"  {dumps(key)}: {dumps(value)}{comma}\n")
    stream.write("}\n")
