"""Stage 5: turn a Report into what a person or a machine reads.

Every writer has the same shape, so the CLI can send any format to any stream.
"""

from __future__ import annotations

from typing import Protocol, TextIO

from .._models import Report
from .github import write_github
from .html import write_html
from .json import write_json
from .junit import write_junit
from .markdown import write_markdown
from .sarif import write_sarif
from .text import write_text


class Writer(Protocol):
    def __call__(self, report: Report, stream: TextIO, *, color: bool) -> None: ...


WRITERS: dict[str, Writer] = {
    "text": write_text,
    "json": write_json,
    "github": write_github,
    "sarif": write_sarif,
    "junit": write_junit,
    "markdown": write_markdown,
    "html": write_html,
}
