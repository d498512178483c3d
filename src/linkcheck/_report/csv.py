"""The CSV report: one row per occurrence, with the JSON report's fields (RFC 4180).

A header row names the columns; rows are separated by CRLF and a field holding a comma,
a quote or a line break is quoted, as RFC 4180 says. The JSON row's nested fields are
flattened (`archive_url`, `fix_to`, …); `redirects` is the JSON array itself, so that
nothing is lost. Empty means null.

A spreadsheet that opens the file runs a cell starting with `=`, `+`, `-` or `@` (and, in
some, a tab or carriage return) as a formula, and link text comes from strangers: such a
cell is written with a `'` before it (OWASP's advice), which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TextIO

from .._models import Cause, LinkResult, Report, by_position

#: The columns, in the JSON report's order of a row's fields.
COLUMNS = (
    "file",
    "line",
    "column",
    "kind",
    "text",
    "url",
    "target",
    "status",
    "reason",
    "shortlink",
    "http_status",
    "final_url",
    "redirects",
    "flaky",
    "fragment",
    "unused",
    "label",
    "archive_url",
    "archive_timestamp",
    "fix_to",
    "fix_why",
    "fix_applied",
    # --drift and --preserve (docs/citations.md)
    "drift_similarity",
    "drift_archived_url",
    "drift_title_then",
    "drift_title_now",
    "preserved_url",
    "preserved_timestamp",
    "preserved_error",
    "preserved_permanent",
)
#: What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(report: Report, stream: TextIO, *, color: bool = False) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in sorted(report.results, key=by_position):
        writer.writerow([_cell(value) for value in _fields(result)])


def neutralised(text: str) -> str:
    """`text` as a cell a spreadsheet shows and never evaluates."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralised(value) if isinstance(value, str) else str(value)


def _fields(result: LinkResult) -> Iterator[object]:
    link, outcome = result.link, result.outcome
    yield from (link.file, link.line, link.column, link.kind.value, link.text, link.url)
    yield from (result.target, outcome.status.value, outcome.reason, result.shortlink)
    yield from (outcome.http_status, outcome.final_url)
    redirects = [{"status": r.status, "url": r.url} for r in outcome.redirects]
    yield json.dumps(redirects, ensure_ascii=False)
    yield outcome.flaky
    yield "not verified" if outcome.cause is Cause.FRAGMENT_UNVERIFIED else None
    yield link.unused
    yield None if link.url else link.label  # as in JSON: a reference with no destination
    archive = result.archive
    yield from (None, None) if archive is None else (archive.url, archive.timestamp)
    fix = result.fix
    yield from (None, None, None) if fix is None else (fix.to, fix.why, fix.applied)
    drift = result.drift
    yield from (
        (None,) * 4
        if drift is None
        else (drift.similarity, drift.archived_url, drift.title_then, drift.title_now)
    )
    kept = result.preserved
    yield from (
        (None,) * 4
        if kept is None
        else (kept.url, kept.timestamp, kept.error, None if kept.url else kept.permanent)
    )
