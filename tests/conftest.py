"""What every test module shares: one factory for report rows, and a report read as the
JSON document holds it."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from linkcheck import Kind, Link, LinkResult, Outcome, Report, Status
from linkcheck._models import Archived, FixNote
from linkcheck._report.json import write_json

_SAME = object()


def make_result(
    url: str,
    status: Status | Outcome = Status.OK,
    reason: str | None = None,
    *,
    file: str = "a.md",
    line: int = 1,
    column: int = 1,
    kind: Kind | str = Kind.INLINE,
    text: str | None = None,
    target: Any = _SAME,
    shortlink: bool = False,
    archive: Archived | None = None,
    fix: FixNote | None = None,
    **outcome: Any,
) -> LinkResult:
    """A report row for `url`: the text and the target default to the URL itself; pass
    an Outcome as `status`, or a Status with the Outcome's other fields as keywords."""
    link = Link(file, line, column, Kind(kind), url if text is None else text, url)
    if not isinstance(status, Outcome):
        status = Outcome(status, reason, **outcome)
    checked = url if target is _SAME else target
    return LinkResult(link, checked, shortlink, status, archive, fix)


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON document holds it (the document is the one definition)."""
    written = StringIO()
    write_json(report, written)
    document: dict[str, Any] = json.loads(written.getvalue())
    return document


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Writes a site from {path: text} in an empty folder, the current directory (a test
    file's own `tree` fixture, where it has one, takes its place)."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
        return tmp_path

    return write
