"""`linkcheck merge`: the reports of a sharded run joined into the report of one run.

Every shard reads every file, so the files and file errors are the same in each (kept
once); each link is in exactly one shard's report (see `_shard.py`), so the links are
the union. The exit code is recomputed from the rows and the run's `fail_on`, as the
single run would have computed it.
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TextIO

from ._errors import LinkcheckError
from ._models import DriftSummary, Level, LinkResult, Report, Status, by_position
from ._redact import RowRedactor, redact_issue
from ._report import WRITERS
from ._report.json import Totals, write_json_streamed
from ._report.load import ReportStream, load_report


class MergeError(LinkcheckError):
    """Reports that do not make one run: one line for the CLI, which exits 2."""


def merge_files(paths: Sequence[str]) -> Report:
    """The reports in the JSON files at `paths`, merged (ReportError, MergeError)."""
    _refuse_twice(paths)
    return merge_reports([(path, load_report(path)) for path in paths])


def _refuse_twice(paths: Sequence[str]) -> None:
    """One file given twice would count each of its rows twice."""
    given: dict[str, str] = {}
    for path in paths:
        real = os.path.realpath(path)
        if real in given:
            raise MergeError(f"{path} is given twice (as {given[real]} too)")
        given[real] = path


def write_merged_json(paths: Sequence[str], stream: TextIO) -> bool:
    """The merged JSON report of the files at `paths`, written to `stream` without
    holding their rows: read once for the summary, then once more, k-way merged by
    position (each report's rows are sorted). Whether the run failed (ReportError,
    MergeError before anything is written). Byte for byte `merge_files`' report."""
    if not paths:
        raise MergeError("no reports to merge")
    _refuse_twice(paths)
    reports = [ReportStream(path) for path in paths]
    for report in reports[1:]:
        if report.fail_on != reports[0].fail_on:
            raise MergeError(
                f"{report.path} fails on other statuses than {reports[0].path} (fail_on)"
            )
    summed = _summed(reports)
    if summed is None:  # rows out of order (not written by linkcheck), or dated articles
        held = merge_files(paths)
        WRITERS["json"](held, stream, color=False)
        return held.failed
    totals, whole = summed
    merged = heapq.merge(*(r.rows() for r in reports), key=by_position)
    shown = replace(whole, file_issues=tuple(map(redact_issue, whole.file_issues)))
    write_json_streamed(shown, map(RowRedactor(by_value=True), merged), totals, stream)
    return totals.failed


def _summed(reports: Sequence[ReportStream]) -> tuple[Totals, Report] | None:
    """Every report read once: the summary's figures, and everything but the rows
    merged; None when some report's rows are not sorted by position, or when the run
    dated its articles (--archive: the summary counts citations per year of them)."""
    fail_on = reports[0].fail_on
    counts: Counter[Status] = Counter()
    failed, links = False, 0
    targets: set[str] = set()  # the one thing held per target (not per row)
    unverified: Counter[str] = Counter()
    first_unverified: dict[str, tuple[str, int, int]] = {}  # Report.unverified's tie order
    # By position across the reports, as the rows will be written: an occurrence that two
    # reports both hold is then met twice in a row (what _check_disjoint finds, unheld).
    here: tuple[str, int, int] | None = None
    owners: dict[str, str] = {}  # at `here`: each URL's report
    twice: str | None = None  # said after the shards are checked, as merge_reports says it
    try:
        for name, result in heapq.merge(*map(_sorted_rows, reports), key=_position):
            position = by_position(result)
            if position != here:
                here, owners = position, {}
            if owners.setdefault(result.link.url, name) != name and twice is None:
                link = result.link
                twice = (
                    f"{name} and {owners[link.url]} both report {link.file}:{link.line}:"
                    f"{link.column}: they are not parts of one run"
                )
            links += 1
            counts[result.outcome.status] += 1
            if result.target is not None:
                targets.add(result.target)
            if not failed and result.level(fail_on) is Level.ERROR:
                failed = True
            if result.status is Status.UNVERIFIED:
                why = result.outcome.reason or ""
                unverified[why] += 1
                first_unverified.setdefault(why, position)
    except _Unsorted:
        return None
    rests = [(report.path, report.rest()) for report in reports]
    whole = merge_reports(rests)
    if twice is not None:
        raise MergeError(twice)
    if whole.dates:  # citations_by_year counts rows by their article's date: held
        return None
    failed = failed or any(i.fatal for i in whole.file_issues)
    whys = sorted(unverified.items(), key=lambda item: (-item[1], first_unverified[item[0]]))
    return Totals(links, len(targets), counts, failed, tuple(whys)), whole


class _Unsorted(Exception):
    """A report whose rows are not in position order (not written by linkcheck)."""


def _sorted_rows(report: ReportStream) -> Iterator[tuple[str, LinkResult]]:
    """The report's rows with its name, raising _Unsorted at the first out of order."""
    last: tuple[str, int, int] | None = None
    for result in report.rows():
        position = by_position(result)
        if last is not None and position < last:
            raise _Unsorted
        last = position
        yield report.path, result


def _position(item: tuple[str, LinkResult]) -> tuple[str, int, int]:
    return by_position(item[1])


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
        drift=_drift(reports),
    )


def _drift(reports: Sequence[Report]) -> DriftSummary | None:
    """The shards' drift counts summed (each compared only its own citations); None when
    no report compared any (the run had no --drift)."""
    said = [r.drift for r in reports if r.drift is not None]
    if not said:
        return None
    not_judged: Counter[str] = Counter()
    for drift in said:
        not_judged.update(dict(drift.not_judged))
    return DriftSummary(
        sum(d.compared for d in said),
        sum(d.drifted for d in said),
        tuple(sorted(not_judged.items())),
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
