"""Stage 5: turn a Report into what a person or a machine reads.

Every writer has the same shape, so the CLI can send any format to any stream. Every
writer in WRITERS is handed the report redacted (SPEC "Secrets"): a format added here
hides credentials without a line of its own.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, TextIO

from .._models import Report
from .._redact import redact_report
from .csv import write_csv
from .github import write_github
from .html import write_html
from .json import write_json
from .junit import write_junit
from .markdown import write_markdown
from .sarif import write_sarif
from .text import write_text


class Writer(Protocol):
    def __call__(self, report: Report, stream: TextIO, *, color: bool) -> None: ...


def redacting(writer: Any) -> Any:
    """`writer`, given the report with its secrets replaced by `***`."""

    def write(report: Report, stream: TextIO, **options: Any) -> None:
        writer(redact_report(report), stream, **options)

    write.__name__ = getattr(writer, "__name__", "write")
    write.__doc__ = writer.__doc__
    return write


#: The report formats (`--format`, `--report NAME:PATH`): each a writer in WRITERS.
ReportFormat = Literal["text", "json", "github", "sarif", "junit", "markdown", "html", "csv"]

_WRITTEN_BY: dict[ReportFormat, Any] = {
    "text": write_text,
    "json": write_json,
    "github": write_github,
    "sarif": write_sarif,
    "junit": write_junit,
    "markdown": write_markdown,
    "html": write_html,
    "csv": write_csv,  # one row per occurrence, for spreadsheets
}
WRITERS: dict[ReportFormat, Writer] = {
    name: redacting(writer) for name, writer in _WRITTEN_BY.items()
}


def report_format(name: object) -> ReportFormat | None:
    """`name` (from a flag or a config file) as a report format; None if it is none."""
    return next((known for known in WRITERS if known == name), None)
