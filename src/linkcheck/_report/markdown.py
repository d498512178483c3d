"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY.

Grouped per article, the worst first: failing links, then files that could not be read,
then warnings, then working links with a suggestion. A PR comment holds at most 65,536
characters, so the summary stops before that and says how many it left for the artifact.

Link texts and URLs come from strangers: they are shown in code spans, where markdown,
HTML, autolinks and @mentions do nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TextIO

from .._models import FileIssue, Report, Status
from ._problems import Problem, Rank, expands, problems, worst_first
from .text import inert

#: GitHub's limit on a comment's body. Counted here in UTF-8 bytes, which is never
#: fewer than the characters, however GitHub counts them.
LIMIT = 65_536

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")
_TEXT_LIMIT = 80

_HEADINGS = {
    Rank.ERROR: "❌ Failing",
    Rank.WARNING: "⚠️ Warnings",
    Rank.NOTICE: "💡 Suggestions",
}


def _flat(value: str) -> str:
    return inert(re.sub(r"[\r\n\t]+", " ", value))


def _md(value: str) -> str:
    """Text that renders as itself in a table cell: markdown and HTML made inert."""
    return _MD_SPECIAL.sub(r"\\\1", _flat(value).replace("&", "&amp;"))


def _code(value: str, cell: bool = True) -> str:
    """A code span that shows `value` as written (in a table cell, or not)."""
    flat = _flat(value)
    if not flat:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    # GFM splits table cells on `|` even inside code; `\|` is its escape there.
    body = flat.replace("|", "\\|") if cell else flat
    if body[0] in "` " or body[-1] in "` ":
        body = f" {body} "  # one space each side is stripped when rendered
    return f"{fence}{body}{fence}"


def write_markdown(
    report: Report, stream: TextIO, *, color: bool = False, limit: int = LIMIT
) -> None:
    """The verdict, the counts per status, and the problems per article, worst first."""
    stream.write(_within(_head(report), _blocks(report), limit))


def _head(report: Report) -> str:
    counts = report.counts
    verdict = "❌ failed" if report.failed else "✅ passed"
    files = len(report.files)
    lines = [
        f"## linkcheck: {verdict}\n\n",
        f"{len(report.results)} links in {files} file{'s' * (files != 1)}.\n\n",
        "| status | links |\n|---|---:|\n",
    ]
    lines += [f"| {s.value} | {counts[s]} |\n" for s in Status if counts[s]]
    return "".join(lines)


# A block is (text, how many listed items it holds): a heading holds none, a row one.
Block = tuple[str, int]


def _blocks(report: Report) -> Iterator[Block]:
    listed = problems(report)
    with_rescue = any(
        p.fix is not None
        or p.archive_looked_up
        or p.result.drift is not None
        or p.result.preserved is not None
        for p in listed
    )
    by_level: dict[Rank, list[tuple[str, list[Problem]]]] = {}
    for level, file, rows in worst_first(listed):
        by_level.setdefault(level, []).append((file, rows))
    unread = [i for i in report.file_issues if i.fatal]
    warned = [i for i in report.file_issues if not i.fatal]
    for level in Rank:
        groups = by_level.get(level, [])
        if groups:
            total = sum(len(rows) for _, rows in groups)
            yield f"\n### {_HEADINGS[level]} ({total})\n", 0
            for file, rows in groups:
                yield _table_head(file, with_rescue), 0
                for problem in rows:
                    yield _row(problem, with_rescue), 1
        issues = unread if level is Rank.ERROR else warned if level is Rank.WARNING else []
        if issues:
            title = "Files not read" if level is Rank.ERROR else "Files read with a warning"
            yield f"\n### {title} ({len(issues)})\n\n", 0
            for issue in issues:
                yield _issue(issue), 1


def _table_head(file: str, with_rescue: bool) -> str:
    columns = ["line", "status", "link", "text", "reason"] + ["fix"] * with_rescue
    rule = "|".join("---:" if c == "line" else "---" for c in columns)
    return f"\n**{_code(file, cell=False)}**\n\n| {' | '.join(columns)} |\n|{rule}|\n"


def _row(problem: Problem, with_rescue: bool) -> str:
    result = problem.result
    link = result.link
    status = result.status.value + " (flaky)" * result.outcome.flaky
    text = " ".join(link.text.split())
    if text == link.url:
        text = ""
    elif len(text) > _TEXT_LIMIT:
        text = text[: _TEXT_LIMIT - 1] + "…"
    reason = _md(result.outcome.reason or "")
    if expands(result):
        expansion = f"shortlink to {_code(result.outcome.final_url or '')}"
        reason = f"{reason}; {expansion}" if reason else expansion
    shown = _code(link.url) if link.url else _code(f"[{link.label or link.text}]")
    cells = [f"{link.line}:{link.column}", status, shown, _code(text), reason]
    if with_rescue:
        cells.append(_rescue(problem))
    return f"| {' | '.join(cells)} |\n"


def _rescue(problem: Problem) -> str:
    parts = []
    if problem.fix is not None:
        done = "fixed to" if problem.fix.applied else "fix:"
        parts.append(f"{done} {_code(problem.fix.to)}")
    if problem.archive is not None:
        url, day = problem.archive
        parts.append(f"archived {day}: {_code(url)}")
    elif problem.archive_looked_up and problem.fix is None:
        parts.append("no archived copy")
    drift = problem.result.drift
    if drift is not None:
        parts.append(
            f"drifted (similarity {drift.similarity:.2f}): as cited {_code(drift.archived_url)}, "
            f"title then {_code(drift.title_then)}, now {_code(drift.title_now)}"
        )
    kept = problem.result.preserved
    if kept is not None and kept.url is not None:
        parts.append(f"preserved {kept.day}: {_code(kept.url)}")
    elif kept is not None:
        parts.append(f"not preserved: {_md(kept.error or '')}")
    return "; ".join(parts)


def _issue(issue: FileIssue) -> str:
    return f"- {_code(issue.file, cell=False)}: {_md(issue.message)}\n"


def _within(head: str, blocks: Iterator[Block], limit: int) -> str:
    """head and as many blocks as fit in `limit` bytes, then how many were left out."""
    out = [head]
    used = len(head.encode(errors="backslashreplace"))  # as the stream writes it
    reserve = len("\n… and 9999999999 more (see the artifact)\n".encode())
    pending: list[Block] = []  # headings wait for their first row
    left = 0
    for text, items in blocks:
        if left:
            left += items
            continue
        if not items:
            pending.append((text, 0))
            continue
        chunk = "".join(t for t, _ in pending) + text
        size = len(chunk.encode(errors="backslashreplace"))  # undecodable file names
        if used + size + reserve > limit:
            left = items
            continue
        out.append(chunk)
        used += size
        pending = []
    if left:
        out.append(f"\n… and {left} more (see the artifact)\n")
    return "".join(out)
