"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import re
from typing import TextIO

from .._models import Report, Status
from ._common import reported
from .text import inert

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(value: str) -> str:
    """Text that renders as itself in a table cell: markdown and HTML made inert."""
    flat = inert(re.sub(r"[\r\n\t]+", " ", value))
    return _MD_SPECIAL.sub(r"\\\1", flat.replace("&", "&amp;"))


def write_markdown(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """A summary table and the problems, for PR comments and $GITHUB_STEP_SUMMARY."""
    counts = report.counts
    verdict = "❌ failed" if report.failed else "✅ passed"
    files = len(report.files)
    stream.write(f"## linkcheck: {verdict}\n\n")
    stream.write(f"{len(report.results)} links in {files} file{'s' * (files != 1)}.\n\n")
    stream.write("| status | links |\n|---|---:|\n")
    for status in Status:
        if counts[status]:
            stream.write(f"| {status.value} | {counts[status]} |\n")
    rows = reported(report)
    if rows:
        stream.write("\n### Problems\n\n| where | status | link | reason |\n|---|---|---|---|\n")
        for result, level in rows:
            link = result.link
            where = _md(f"{link.file}:{link.line}:{link.column}")
            shown = result.status.value + (" (warning)" if level == "warning" else "")
            stream.write(
                f"| {where} | {shown} | {_md(link.url or '[' + link.text + ']')} "
                f"| {_md(result.outcome.reason or '')} |\n"
            )
    if report.file_issues:
        stream.write("\n### Files not read\n\n")
        for issue in report.file_issues:
            stream.write(f"- {_md(issue.file)}: {_md(issue.message)}\n")
