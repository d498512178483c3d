"""GitHub Actions workflow commands: one `::error`/`::warning` per problem, located."""

from __future__ import annotations

from typing import TextIO

from .._models import Report
from ._common import message, reported
from .text import inert


def _gh_data(value: str) -> str:
    # GitHub's own escapes first; what other control characters remain are made visible.
    return inert(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def write_github(report: Report, stream: TextIO, *, color: bool = False) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    for result, level in reported(report):
        link = result.link
        props = ",".join(
            [
                f"file={_gh_property(link.file)}",
                f"line={link.line}",
                f"col={link.column}",
                f"title={_gh_property('linkcheck: ' + result.status.value)}",
            ]
        )
        stream.write(f"::{level} {props}::{_gh_data(message(result))}\n")
    for issue in report.file_issues:
        level = "error" if issue.fatal else "warning"
        stream.write(f"::{level} file={_gh_property(issue.file)}::{_gh_data(issue.message)}\n")
