"""Stage 5: turn a Report into what a person or a machine reads.

Every writer has the same shape, so the CLI can send any format to any stream. Every
writer in WRITERS is handed the report redacted (SPEC "Secrets"): a format added here
hides credentials without a line of its own.
"""

from __future__ import annotations

import importlib
from typing import Any, Literal, Protocol, TextIO

from .._models import Report
from .._redact import redact_report


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

#: Each format's module and writer, imported when a report is first written in it: a
#: run that writes JSON (or replays its reports) loads no other writer, nor rich.
_WRITTEN_BY: dict[ReportFormat, tuple[str, str]] = {
    "text": (".text", "write_text"),
    "json": (".json", "write_json"),
    "github": (".github", "write_github"),
    "sarif": (".sarif", "write_sarif"),
    "junit": (".junit", "write_junit"),
    "markdown": (".markdown", "write_markdown"),
    "html": (".html", "write_html"),
    "csv": (".csv", "write_csv"),  # one row per occurrence, for spreadsheets
}


def _imported(module: str, name: str) -> Any:
    """The writer `name` of `module`, imported at its first use."""

    def write(report: Report, stream: TextIO, **options: Any) -> None:
        getattr(importlib.import_module(module, __name__), name)(report, stream, **options)

    write.__name__ = name
    return write


WRITERS: dict[ReportFormat, Writer] = {
    name: redacting(_imported(*where)) for name, where in _WRITTEN_BY.items()
}


def report_format(name: object) -> ReportFormat | None:
    """`name` (from a flag or a config file) as a report format; None if it is none."""
    return next((known for known in WRITERS if known == name), None)
