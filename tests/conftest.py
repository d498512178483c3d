"""What every test module shares: one factory for report rows."""

from __future__ import annotations

from typing import Any

from linkcheck import Kind, Link, LinkResult, Outcome, Status
from linkcheck._models import Archived, FixNote

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
