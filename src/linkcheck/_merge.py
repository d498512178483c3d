"""`linkcheck merge`: the reports of a sharded run joined into the report of one run.

Every shard reads every file, so the files and file errors are the same in each (kept
once); each link is in exactly one shard's report (see `_shard.py`), so the links are
the union. The exit code is recomputed from the rows and the run's `fail_on`, as the
single run would have computed it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ._errors import LinkcheckError
from ._models import Report, by_position
from ._report.load import load_report


class MergeError(LinkcheckError):
    """Reports that do not make one run: one line for the CLI, which exits 2."""


def merge_files(paths: Sequence[str]) -> Report:
    """The reports in the JSON files at `paths`, merged (ReportError, MergeError)."""
    given: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(path)
        if real in given:
            raise MergeError(f"{path} is given twice (as {given[real]} too)")
        given[real] = path
    return merge_reports([(path, load_report(path)) for path in paths])


def merge_reports(named: Sequence[tuple[str, Report]]) -> Report:
    """`named`: each report with the name its errors are reported by."""
    if not named:
        raise MergeError("no reports to merge")
    _check_shards(named)
    _check_disjoint(named)
    first_name, first = named[0]
    for name, report in named[1:]:
        if report.fail_on != first.fail_on:
            raise MergeError(f"{name} fails on other statuses than {first_name} (fail_on)")
    reports = [report for _, report in named]
    results = [result for report in reports for result in report.results]
    results.sort(key=by_position)
    return Report(
        files=tuple(dict.fromkeys(f for report in reports for f in report.files)),
        results=tuple(results),
        file_issues=tuple(dict.fromkeys(i for report in reports for i in report.file_issues)),
        fail_on=first.fail_on,
        dates={k: v for report in reports for k, v in report.dates.items()},
        shard=None,
        generators=_generators(reports),
        partial=any(r.partial for r in reports),  # one interrupted shard: the whole is partial
    )


def _generators(reports: Sequence[Report]) -> tuple[tuple[str, str], ...] | None:
    """Every site generator any shard met, in order; None when no report says."""
    said = [r.generators for r in reports if r.generators is not None]
    return tuple(dict.fromkeys(g for used in said for g in used)) if said else None


def _check_disjoint(named: Sequence[tuple[str, Report]]) -> None:
    """Each occurrence of a link in one report only: the same run's report twice (or two
    runs over the same article) would count every row of it twice."""
    seen: dict[tuple[str, int, int, str], str] = {}
    for name, report in named:
        for result in report.results:
            link = result.link
            key = (link.file, link.line, link.column, link.url)
            if seen.setdefault(key, name) != name:
                raise MergeError(
                    f"{name} and {seen[key]} both report {link.file}:{link.line}:"
                    f"{link.column}: they are not parts of one run"
                )


def _check_shards(named: Sequence[tuple[str, Report]]) -> None:
    """All shards of one run, each once; or no shards at all (plain reports are joined)."""
    sharded = [(name, r.shard) for name, r in named if r.shard is not None]
    if not sharded:
        return
    if len(sharded) != len(named):
        plain = next(name for name, r in named if r.shard is None)
        raise MergeError(f"{plain} is not a shard's report, but {sharded[0][0]} is")
    total = sharded[0][1].total
    seen: dict[int, str] = {}
    for name, shard in sharded:
        if shard.total != total:
            raise MergeError(f"{name} is shard {shard} but {sharded[0][0]} is of {total}")
        if shard.index in seen:
            raise MergeError(f"{name} and {seen[shard.index]} are both shard {shard}")
        seen[shard.index] = name
    missing = [str(i) for i in range(1, total + 1) if i not in seen]
    if missing:
        raise MergeError(f"shard {', '.join(missing)} of {total} missing: merge every shard")
