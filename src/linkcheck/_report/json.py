"""The SPEC's JSON report. (Owner: CLI/report helper.)"""

from __future__ import annotations

from typing import TextIO

from .._models import Report


def report_to_dict(report: Report) -> dict[str, object]:
    raise NotImplementedError


def write_json(report: Report, stream: TextIO, *, color: bool = False) -> None:
    raise NotImplementedError
