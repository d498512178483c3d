"""Hand-built report rows for the report format tests."""

from __future__ import annotations

from linkcheck import Kind, Link, LinkResult, Outcome, Status


def occurrence(
    file: str,
    line: int,
    column: int,
    url: str,
    status: Status,
    reason: str | None = None,
    *,
    text: str = "the text",
    kind: Kind = Kind.INLINE,
    shortlink: bool = False,
    **outcome: object,
) -> LinkResult:
    """One occurrence of `url` at file:line:column and what its check found."""
    link = Link(file, line, column, kind, text, url)
    return LinkResult(link, url, shortlink, Outcome(status, reason, **outcome))  # type: ignore[arg-type]
