"""The human report: problems first, grouped by file, then one summary line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from .._models import Archived, Drift, Level, LinkResult, Preserved, Report, Status
from ._common import UNUSED
from ._inert import inert

_STYLE = {
    Status.BROKEN: "bold red",
    Status.PLACEHOLDER: "bold magenta",
    Status.INVALID: "bold red",
    Status.TIMEOUT: "red",
    Status.UNREACHABLE: "red",
    Status.RATE_LIMITED: "yellow",
    Status.BLOCKED: "yellow",
    Status.UNVERIFIED: "yellow",
    Status.REDIRECTED: "cyan",
    Status.OK: "green",
    Status.EXCLUDED: "dim",
    Status.SKIPPED: "dim",
}


def write_text(report: Report, stream: TextIO, *, color: bool, verbose: bool = False) -> None:
    """Problems grouped by file, each as `file:line:col  status  URL “text” — reason`,
    failing ones first; then files that could not be read; then one summary line."""
    console = Console(
        file=stream,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        soft_wrap=True,  # a URL is never broken across lines
        emoji=False,
        markup=False,
    )
    shown = _shown(report, verbose)
    by_file: dict[str, list[LinkResult]] = defaultdict(list)
    for result in shown:
        by_file[result.link.file].append(result)
    # One width for the whole report, so statuses and URLs line up from file to file.
    where_width = max((len(_where(r)) for r in shown), default=0)
    status_width = max((len(r.status.value) for r in shown), default=0)
    for file in sorted(by_file):
        for result in sorted(by_file[file], key=_problem_order(report)):
            console.print(_line(result, where_width, status_width))
            indent = " " * (where_width + status_width + 4)
            if result.archive is not None:
                console.print(_archived(result.archive, indent))
            if result.drift is not None:
                console.print(_drifted(result.drift, indent))
            if result.preserved is not None:
                console.print(_preserved(result.preserved, indent))
        console.print()
    if report.file_issues:
        console.print(Text("Files with problems", style="bold underline"))
        for issue in report.file_issues:
            kind = "error" if issue.fatal else "warning"
            console.print(
                Text.assemble(
                    "  ",
                    (inert(issue.file), "bold"),
                    f": {kind}: ",
                    inert(issue.message),
                )
            )
        console.print()
    for why, count in report.unverified:
        console.print(Text(f"unverified: {count} — {inert(why)}", style="yellow"))
    console.print(summary(report), style="bold red" if report.failed else "bold green")


def _shown(report: Report, verbose: bool) -> list[LinkResult]:
    if verbose:
        return list(report.results)
    # Shortlinks are shown even when they work: they hide where they lead.
    fail_on = report.fail_on
    return [
        r
        for r in report.results
        if r.level(fail_on) is not None or r.shortlink or r.preserved is not None
    ]


def _problem_order(report: Report) -> Callable[[LinkResult], tuple[int, int, int]]:
    """Failing links first, then warnings, then the rest, each in source order."""

    rank = {Level.ERROR: 0, Level.WARNING: 1, None: 2}

    def key(result: LinkResult) -> tuple[int, int, int]:
        return rank[result.level(report.fail_on)], result.link.line, result.link.column

    return key


def _where(result: LinkResult) -> str:
    # file:line:col, the form editors and terminals turn into a link to the spot.
    return f"{inert(result.link.file)}:{result.link.line}:{result.link.column}"


_TEXT_LIMIT = 60


def _quoted_text(text: str) -> str:
    """The visible link text, on one line and cut short: a placeholder link may wrap a
    whole paragraph."""
    flat = " ".join(text.split())
    if len(flat) > _TEXT_LIMIT:
        flat = flat[: _TEXT_LIMIT - 1] + "…"
    return f"“{inert(flat)}”"


def _line(result: LinkResult, where_width: int, status_width: int) -> Text:
    link, outcome = result.link, result.outcome
    where, status = _where(result), outcome.status.value
    line = Text.assemble(
        (where, "bold"),
        " " * (where_width - len(where) + 2),
        (status, _STYLE[outcome.status]),
        " " * (status_width - len(status) + 2),
    )
    parts: list[Text] = []
    if link.url:
        url = Text(inert(link.url))
        if result.remapped and result.target:  # --remap, --base-url: what was checked
            url.append(" ⇒ ")
            url.append(inert(result.target), style="cyan")
        if outcome.final_url and outcome.final_url != result.target:
            url.append(" → ")
            url.append(inert(outcome.final_url), style="cyan")
        parts.append(url)
    if " ".join(link.text.split()) not in ("", link.url):
        parts.append(Text(_quoted_text(link.text), style="italic"))
    if not parts:
        parts.append(Text("(empty)", style="dim"))
    if result.shortlink:
        parts.append(Text("(shortlink)", style="yellow"))
    if link.unused:
        parts.append(Text(f"({UNUSED})", style="yellow"))
    line.append_text(Text("  ").join(parts))
    if outcome.reason:
        line.append(" — ")
        line.append(inert(outcome.reason))
    return line


def _archived(snapshot: Archived, indent: str) -> Text:
    if snapshot.url is None:
        return Text(f"{indent}no archived copy found", style="dim")
    return Text.assemble(
        indent, ("archived copy: ", "dim"), (inert(snapshot.url), "cyan"), f" ({snapshot.day})"
    )


def _drifted(drift: Drift, indent: str) -> Text:
    titles = f"“{inert(drift.title_then)}” then, “{inert(drift.title_now)}” now"
    return Text.assemble(
        indent,
        ("drifted: ", "yellow"),
        f"similarity {drift.similarity:.2f} to the copy as cited, ",
        (inert(drift.archived_url), "cyan"),
        f" ({titles})",
    )


def _preserved(kept: Preserved, indent: str) -> Text:
    if kept.url is None:
        kind = "permanent" if kept.permanent else "may pass later"
        return Text(f"{indent}not preserved ({kind}): {inert(kept.error or '')}", style="dim")
    return Text.assemble(
        indent, ("preserved: ", "dim"), (inert(kept.url), "cyan"), f" ({kept.day})"
    )


def integrity_summary(report: Report) -> str:
    """What --drift and --preserve did, in one line ("" when neither ran)."""
    parts = []
    if report.drift is not None:
        drift = report.drift
        said = ", ".join(f"{n} {why}" for why, n in drift.not_judged)
        not_judged = f"; not judged: {said}" if said else ""
        parts.append(f"drift: {drift.drifted} of {drift.compared} compared{not_judged}")
    kept = [r.preserved for r in report.results if r.preserved is not None]
    if kept:
        made = sum(1 for k in kept if k.url is not None)
        parts.append(f"preserved: {made} captured, {len(kept) - made} not")
    return "; ".join(parts)


def summary(report: Report) -> str:
    """One line: how many links in how many files, per status, and the verdict."""
    counts = report.counts
    files = len(report.files)
    links = len(report.results)
    parts = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
    unread = len({i.file for i in report.file_issues if i.fatal and i.file in report.files})
    head = f"{links} link{'s' * (links != 1)} in {files} file{'s' * (files != 1)}"
    if unread:
        head += f" ({unread} not read)"
    verdict = "failed" if report.failed else "passed"
    if report.partial:
        verdict = f"interrupted, partial report — {verdict} so far"
    if report.generators:
        sites = ", ".join(f"{name} from {inert(config)}" for name, config in report.generators)
        verdict += f" (local links as built by {sites})"
    integrity = integrity_summary(report)
    if integrity:
        verdict += f" ({integrity})"
    return f"{head}: {parts or 'nothing to check'} — {verdict}"
