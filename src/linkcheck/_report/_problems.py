"""Which occurrences a person's report lists, how bad each is, and what rescues it.

The HTML and markdown reports both read the report through this module, so the rule
for "what is a problem" is written once, on top of the one severity rule
(`LinkResult.level`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from urllib.parse import urlsplit

from .._models import FixNote, Level, LinkResult, Report


class Rank(IntEnum):
    """How bad a listed occurrence is; lower is worse (reports list the worst first)."""

    ERROR = 0  # fails the run
    WARNING = 1  # worth a look, does not fail the run (rate_limited, blocked, flaky)
    NOTICE = 2  # works, but has a suggested fix, an archived copy, or is a shortlink

    @property
    def label(self) -> str:
        return self.name.lower()


_RANK_OF_LEVEL = {Level.ERROR: Rank.ERROR, Level.WARNING: Rank.WARNING}


@dataclass(frozen=True, slots=True)
class Problem:
    """One occurrence as a person's report lists it."""

    result: LinkResult
    rank: Rank

    @property
    def fix(self) -> FixNote | None:
        return self.result.fix

    @property
    def archive(self) -> tuple[str, str] | None:
        """The archived copy found, as (url, YYYY-MM-DD); None also when none was (see
        `archive_looked_up`)."""
        archive = self.result.archive
        if archive is None or archive.url is None or archive.day is None:
            return None
        return archive.url, archive.day

    @property
    def archive_looked_up(self) -> bool:
        return self.result.archive is not None

    @property
    def host(self) -> str:
        return host_of(self.result)


def problems(report: Report) -> list[Problem]:
    """Every occurrence a person should see, in report order: failing ones, warnings
    (drifted citations among them), and working ones with a fix proposal, an archived
    copy, a capture asked for (--preserve) or an expanded shortlink."""
    fail_on = report.fail_on
    listed = []
    for result in report.results:
        level = result.level(fail_on)
        if level is not None:
            listed.append(Problem(result, _RANK_OF_LEVEL[level]))
        elif (
            result.fix is not None
            or result.archive is not None
            or result.preserved is not None
            or expands(result)
        ):
            listed.append(Problem(result, Rank.NOTICE))
    return listed


def worst_first(listed: list[Problem]) -> Iterator[tuple[Rank, str, list[Problem]]]:
    """(rank, file, problems) groups: every error before any warning before any notice;
    within a rank, files in name order and problems in source order."""
    groups: dict[tuple[Rank, str], list[Problem]] = {}
    for problem in listed:
        groups.setdefault((problem.rank, problem.result.link.file), []).append(problem)
    for rank, file in sorted(groups):
        rows = groups[(rank, file)]
        rows.sort(key=lambda p: (p.result.link.line, p.result.link.column))
        yield rank, file, rows


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
