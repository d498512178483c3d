"""The human report. (Owner: CLI/report helper.)"""

from __future__ import annotations

from typing import TextIO

from .._models import Report


def write_text(report: Report, stream: TextIO, *, color: bool) -> None:
    raise NotImplementedError
