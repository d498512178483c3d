"""The SPEC's JSON report: one object, every occurrence, machine-readable.

Indented at the top, one line per link: as readable as full indentation, and fast.
A report can hold 100,000 occurrences of a few thousand targets, so each row is put
together from pieces encoded once — the file name once per file, an outcome's fields
once per target — instead of handing 100,000 dicts to the encoder (3× slower; and
json's `indent` falls back to pure Python, 5× slower again).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring  # the C one, no \u escapes
from typing import TextIO

from .._models import Cause, LinkResult, Outcome, Report, Status, by_position
from .._version import __version__
from ._years import citations_by_year


def write_json(report: Report, stream: TextIO, *, color: bool = False) -> None:
    for chunk in _document(report):
        stream.write(chunk)


@dataclass(frozen=True, slots=True)
class Totals:
    """The summary's figures over every row, for a report whose rows are not held."""

    links: int
    unique_targets: int
    counts: Counter[Status]
    failed: bool
    #: As `Report.unverified`: why rows are `unverified`, and how many each, most first.
    unverified: tuple[tuple[str, int], ...] = ()


def write_json_streamed(
    report: Report, rows: Iterable[LinkResult], totals: Totals, stream: TextIO
) -> None:
    """The JSON report of `report` (its own rows unused) with `rows`, already sorted by
    position and redacted, written as they come: what `linkcheck merge` writes without
    holding a million rows. Byte for byte what `write_json` writes for the same rows."""
    for chunk in _document(report, rows, totals, by_value=True):
        stream.write(chunk)


def _document(
    report: Report,
    rows: Iterable[LinkResult] | None = None,
    totals: Totals | None = None,
    *,
    by_value: bool = False,
) -> Iterator[str]:
    if totals is None:
        counts = report.counts
        totals = Totals(
            len(report.results), report.unique_targets, counts, report.failed, report.unverified
        )
    head = {
        "version": 1,
        "tool": f"linkcheck {__version__}",
        "summary": _summary(report, totals),
    }
    tail = _tail(report)
    yield "{\n"
    for key, value in head.items():
        yield f"  {_field(key, value)},\n"
    results = sorted(report.results, key=by_position) if rows is None else rows
    # Row by row, not joined into one string: 100,000 rows are tens of MB twice over.
    lines = _rows(results, by_value)
    first = next(lines, None)
    if first is None:
        yield '  "links": [],\n'
    else:
        yield f'  "links": [\n    {first}'
        for line in lines:
            yield f",\n    {line}"
        yield "\n  ],\n"
    yield ",\n".join(f"  {_field(key, value)}" for key, value in tail.items())
    yield "\n}\n"


def _summary(report: Report, totals: Totals) -> dict[str, object]:
    counts = totals.counts
    summary: dict[str, object] = {
        "files": len(report.files),
        "links": totals.links,
        "unique_targets": totals.unique_targets,
        "statuses": {s.value: counts[s] for s in Status if counts[s]},
        "failed": totals.failed,
        # Only when the run was interrupted (Ctrl-C, SIGTERM): not every target checked.
        **({"partial": True} if report.partial else {}),
    }
    if report.generators is not None:
        summary["generator"] = generator_summary(report.generators)
    # Added for `linkcheck merge`, which recomputes `failed` from the rows.
    summary["fail_on"] = [s.value for s in Status if s in report.fail_on]
    if unverified := totals.unverified:
        # Said once for the run (SPEC, "Certain or silent"): how many, and why.
        summary["unverified"] = [{"why": why, "count": n} for why, n in unverified]
    if report.shard is not None:
        summary["shard"] = {"index": report.shard.index, "total": report.shard.total}
    if report.dates:
        # Rescue, drift and preservation: per year of the articles' dates (SPEC).
        summary["citations_by_year"] = citations_by_year(report)
    if report.drift is not None:
        summary["drift"] = {
            "compared": report.drift.compared,
            "drifted": report.drift.drifted,
            "not_judged": dict(report.drift.not_judged),
        }
    return summary


def _tail(report: Report) -> dict[str, object]:
    """What follows the rows: unreadable files, the articles' dates, the files read."""
    tail: dict[str, object] = {
        # Files that could not be read, or only with a fallback encoding (not in the SPEC's
        # minimum; consumers ignore fields they do not know).
        "errors": [
            {"file": i.file, "message": i.message, "fatal": i.fatal} for i in report.file_issues
        ],
    }
    if report.dates:
        # With --archive: each article's date, the date its citations are rescued as of.
        tail["articles"] = [
            {"file": f, "date": d, "date_source": s} for f, (d, s) in sorted(report.dates.items())
        ]
    # Every file read, as named in `links`: for `linkcheck merge` (summary.files counts them).
    tail["files"] = list(report.files)
    return tail


def _field(key: str, value: object) -> str:
    if isinstance(value, list):
        return _array(key, map(_dumps, value))
    if isinstance(value, dict):
        nested = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        return f"{_dumps(key)}: {nested}"
    return f"{_dumps(key)}: {_dumps(value)}"


def _array(key: str, items: Iterable[str]) -> str:
    """A list of already encoded items, one to a line."""
    body = ",\n    ".join(items)
    return f"{_dumps(key)}: [\n    {body}\n  ]" if body else f"{_dumps(key)}: []"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _rows(results: Iterable[LinkResult], by_value: bool = False) -> Iterator[str]:
    """Each occurrence as one line of JSON, keys in the SPEC's order. An outcome is
    encoded once per target: known by its identity when the rows share their outcomes
    (a run's report), by its value when each row has its own (`by_value`: rows read
    back, whose outcomes die as they are written, so an identity could come back as
    another outcome's); the encodings kept are bounded, for rows that do not end."""
    file_name, file = None, ""
    outcomes: dict[object, tuple[str, str]] = {}
    for result in results:
        link, outcome = result.link, result.outcome
        if link.file != file_name:  # the rows come by file: the last one's name is enough
            file_name, file = link.file, encode_basestring(link.file)
        key = outcome if by_value else id(outcome)
        parts = outcomes.get(key)
        if parts is None:
            if len(outcomes) >= _ENCODED_OUTCOMES:
                outcomes.clear()
            parts = outcomes[key] = _outcome_parts(outcome)
        target = "null" if result.target is None else encode_basestring(result.target)
        shortlink = "true" if result.shortlink else "false"
        added = (
            result.archive is not None
            or result.fix is not None
            or not link.url
            or result.drift is not None
            or result.preserved is not None
        )
        extra = _occurrence_extra(result) if added else ""
        if link.unused:  # a definition nothing cites (absent otherwise, as the SPEC says)
            extra = ', "unused": true' + extra
        yield (
            f'{{"file": {file}, "line": {link.line}, "column": {link.column}, '
            f'"kind": "{link.kind.value}", "text": {encode_basestring(link.text)}, '
            f'"url": {encode_basestring(link.url)}, "target": {target}, {parts[0]}, '
            f'"shortlink": {shortlink}, {parts[1]}{extra}}}'
        )


#: Outcome encodings a report keeps at once (a run's distinct targets, usually fewer).
_ENCODED_OUTCOMES = 65_536


def _outcome_parts(outcome: Outcome) -> tuple[str, str]:
    """The outcome's fields before and after `shortlink`, encoded once per target."""
    before = {"status": outcome.status.value, "reason": outcome.reason}
    after: dict[str, object] = {
        "http_status": outcome.http_status,
        "final_url": outcome.final_url,
        "redirects": [{"status": r.status, "url": r.url} for r in outcome.redirects],
    }
    if outcome.flaky:
        after["flaky"] = True
    if outcome.cause is Cause.FRAGMENT_UNVERIFIED:
        after["fragment"] = "not verified"
    return _dumps(before)[1:-1], _dumps(after)[1:-1]


def _occurrence_extra(result: LinkResult) -> str:
    """The fields later capabilities add to a row: `label`, `archive` and `fix`."""
    extra: dict[str, object] = {}
    label = result.link.label
    if label is not None and not result.link.url:
        # What reports show for a reference with no destination: read back by merge.
        extra["label"] = label
    found = result.archive
    if found is not None:
        archived = {"url": found.url, "timestamp": found.timestamp}
        extra["archive"] = None if found.url is None else archived
    note = result.fix
    if note is not None:
        extra["fix"] = {"to": note.to, "why": note.why, "applied": note.applied}
    drift = result.drift
    if drift is not None:
        extra["drift"] = {
            "similarity": drift.similarity,
            "archived_url": drift.archived_url,
            "title_then": drift.title_then,
            "title_now": drift.title_now,
        }
    kept = result.preserved
    if kept is not None:
        extra["preserved"] = (
            {"url": kept.url, "timestamp": kept.timestamp}
            if kept.url is not None
            else {"error": kept.error, "permanent": kept.permanent}
        )
    return f", {_dumps(extra)[1:-1]}" if extra else ""


def generator_summary(used: tuple[tuple[str, str], ...]) -> dict[str, object]:
    """`{"name", "from"}` of the generator used (`github`, from null, when none was);
    with several sites in one run, the outermost one, and all of them under `sites`."""
    if not used:
        return {"name": "github", "from": None}
    name, config = used[0]
    found: dict[str, object] = {"name": name, "from": config}
    if len(used) > 1:
        found["sites"] = [{"name": n, "from": c} for n, c in used]
    return found
