"""Which occurrences a person's report lists, how bad each is, and what rescues it.

The HTML and markdown reports both read the report through this module, so the rule
for "what is a problem" and the place a fix or an archived copy comes from are each
written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from urllib.parse import urlsplit

from .._models import FixNote, LinkResult, Report
from ._common import reported


class Level(IntEnum):
    """How bad a listed occurrence is; lower is worse (reports list the worst first)."""

    ERROR = 0  # fails the run
    WARNING = 1  # worth a look, does not fail the run (rate_limited, blocked, flaky)
    NOTICE = 2  # works, but has a suggested fix, an archived copy, or is a shortlink

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Archived:
    """An archived copy of a dead target: its URL and its day (YYYY-MM-DD)."""

    url: str
    day: str


@dataclass(frozen=True, slots=True)
class Problem:
    """One occurrence as a person's report lists it."""

    result: LinkResult
    level: Level
    fix: FixNote | None
    #: Only when --archive looked for one: the copy found, or None.
    archive: Archived | None
    archive_looked_up: bool

    @property
    def host(self) -> str:
        return host_of(self.result)


def _levels(report: Report) -> dict[int, Level]:
    """Level of each failing or warning occurrence, by id(result).

    The one place severity is taken from (switching to a method on LinkResult is a
    change here alone).
    """
    return {id(result): Level[level.upper()] for result, level in reported(report)}


def _rescue(report: Report, result: LinkResult) -> tuple[FixNote | None, Archived | None, bool]:
    """The fix proposal and archived copy of an occurrence, and whether an archive was
    asked (the one place they are read from)."""
    link = result.link
    where = (link.file, link.line, link.column)
    fix = report.fixes.get(where)
    if where not in report.archives:
        return fix, None, False
    found = report.archives[where]
    if found is None:
        return fix, None, True
    url, stamp = found
    return fix, Archived(url, f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"), True


def problems(report: Report) -> list[Problem]:
    """Every occurrence a person should see, in report order: failing ones, warnings, and
    working ones with a fix proposal, an archived copy or an expanded shortlink."""
    levels = _levels(report)
    listed = []
    for result in report.results:
        fix, archive, looked_up = _rescue(report, result)
        level = levels.get(id(result))
        if level is None:
            if fix is None and archive is None and not expands(result):
                continue
            level = Level.NOTICE
        listed.append(Problem(result, level, fix, archive, looked_up))
    return listed


def worst_first(listed: list[Problem]) -> Iterator[tuple[Level, str, list[Problem]]]:
    """(level, file, problems) groups: every error before any warning before any notice;
    within a level, files in name order and problems in source order."""
    groups: dict[tuple[Level, str], list[Problem]] = {}
    for problem in listed:
        groups.setdefault((problem.level, problem.result.link.file), []).append(problem)
    for level, file in sorted(groups):
        rows = groups[(level, file)]
        rows.sort(key=lambda p: (p.result.link.line, p.result.link.column))
        yield level, file, rows


def expands(result: LinkResult) -> bool:
    """A shortlink whose real destination is known: worth showing even when it works."""
    final = result.outcome.final_url
    return result.shortlink and final is not None and final != result.target


def host_of(result: LinkResult) -> str:
    """The host a remote target lives on; "local" for files; "" when there is none."""
    target = result.target
    if target is None:
        return ""
    if not target.lower().startswith(("http://", "https://")):
        return "local"
    try:
        return urlsplit(target).hostname or ""
    except ValueError:  # e.g. an unclosed [IPv6 literal
        return ""
