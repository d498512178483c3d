"""The human report: problems first, grouped by file, then one summary line."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from .._models import WARNING_STATUSES, LinkResult, Report, Status

_STYLE = {
    Status.BROKEN: "bold red",
    Status.PLACEHOLDER: "bold magenta",
    Status.INVALID: "bold red",
    Status.TIMEOUT: "red",
    Status.UNREACHABLE: "red",
    Status.RATE_LIMITED: "yellow",
    Status.BLOCKED: "yellow",
    Status.REDIRECTED: "cyan",
    Status.OK: "green",
    Status.EXCLUDED: "dim",
    Status.SKIPPED: "dim",
}
_STATUS_WIDTH = max(len(s.value) for s in Status)

# Anything that could move the cursor, recolour the terminal or reorder text on screen:
# C0 and C1 controls, DEL, and the Unicode bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Untrusted text made safe to print: every control character shown as an escape."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def write_text(report: Report, stream: TextIO, *, color: bool, verbose: bool = False) -> None:
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
    for file in sorted(by_file):
        console.print(Text(inert(file), style="bold underline"))
        results = sorted(by_file[file], key=_problem_order(report))
        width = max(len(f"{r.link.line}:{r.link.column}") for r in results)
        for result in results:
            console.print(_line(result, width))
            where = (result.link.file, result.link.line, result.link.column)
            if where in report.archives:
                console.print(_archived(report.archives[where], width))
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
    console.print(summary(report), style="bold red" if report.failed else "bold green")


def _shown(report: Report, verbose: bool) -> list[LinkResult]:
    if verbose:
        return list(report.results)
    # Shortlinks are shown even when they work: they hide where they lead.
    return [
        r
        for r in report.results
        if r.status in report.fail_on or r.status in WARNING_STATUSES or r.shortlink
    ]


def _problem_order(report: Report) -> Callable[[LinkResult], tuple[int, int, int]]:
    """Failing links first, then warnings, each in source order."""

    def key(result: LinkResult) -> tuple[int, int, int]:
        failing = 0 if result.status in report.fail_on and not result.outcome.flaky else 1
        return failing, result.link.line, result.link.column

    return key


def _line(result: LinkResult, width: int) -> Text:
    link, outcome = result.link, result.outcome
    where = f"{link.line}:{link.column}".ljust(width)
    shown = link.url if link.url else f"[{link.text}]"
    line = Text.assemble(
        "  ",
        (where, "dim"),
        "  ",
        (outcome.status.value.ljust(_STATUS_WIDTH), _STYLE[outcome.status]),
        "  ",
        inert(shown),
    )
    if outcome.final_url and outcome.final_url != result.target:
        line.append(" → ")
        line.append(inert(outcome.final_url), style="cyan")
    if result.shortlink:
        line.append("  (shortlink)", style="yellow")
    if outcome.reason:
        line.append(" — ")
        line.append(inert(outcome.reason), style="italic")
    if outcome.flaky:
        line.append("  (flaky: not failing the run yet)", style="yellow")
    return line


def _archived(snapshot: tuple[str, str] | None, width: int) -> Text:
    indent = " " * (width + 4)
    if snapshot is None:
        return Text(f"{indent}no archived copy found", style="dim")
    url, stamp = snapshot
    day = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}"
    return Text.assemble(indent, ("archived copy: ", "dim"), (inert(url), "cyan"), f" ({day})")


def summary(report: Report) -> str:
    """One line: how many links in how many files, per status, and the verdict."""
    counts = report.counts
    files = len(report.files)
    links = len(report.results)
    parts = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
    head = f"{links} link{'s' * (links != 1)} in {files} file{'s' * (files != 1)}"
    verdict = "failed" if report.failed else "passed"
    return f"{head}: {parts or 'nothing to check'} — {verdict}"
