"""The rot of an archive over time: per year of the articles' dates, how many citations
are dead, drifted, rescued and preserved (the JSON summary and the HTML chart)."""

from __future__ import annotations

from .._models import DEAD_STATUSES, Report

#: The counts of a year, in the order the SPEC names them and the chart draws them.
MEASURES = ("dead", "drifted", "rescued", "preserved")


def citations_by_year(report: Report) -> dict[str, dict[str, int]]:
    """`{"2015": {"dead": n, "drifted": n, "rescued": n, "preserved": n}, …}`, years in
    order; a year appears when it has a remote citation. Articles with no date are left
    out (they have no year)."""
    years: dict[str, dict[str, int]] = {}
    for result in report.results:
        target = result.target or ""
        if not target.lower().startswith(("http://", "https://")):
            continue
        day = report.dates.get(result.link.file, (None, ""))[0]
        if not day:
            continue
        counts = years.setdefault(day[:4], dict.fromkeys(MEASURES, 0))
        dead = result.status in DEAD_STATUSES
        counts["dead"] += dead
        counts["drifted"] += result.drift is not None
        counts["rescued"] += dead and result.archive is not None and result.archive.url is not None
        counts["preserved"] += result.preserved is not None and result.preserved.url is not None
    return dict(sorted(years.items()))
