"""When an article was written: the date its citations should be read as of.

Front matter `date:`, else a dateline near the top (`30/09/2015`, `2015-09-30`,
`September 30, 2015`, `30 September 2015`), else the file's first commit in git.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from ._models import DateOrder

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_MONTH_FIRST = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I)
_FRONT_DATE = re.compile(r"""^date\s*:\s*["']?(\d{4}-\d{1,2}-\d{1,2})""", re.I)
DATELINE_LINES = 15


def article_date(
    text: str,
    path: str | None,
    *,
    date_order: DateOrder = "dmy",
    override: date | None = None,
) -> tuple[date | None, str]:
    """The article's date and where it was found: "override", "front matter",
    "dateline", "git", or "none"."""
    if override is not None:
        return override, "override"
    lines = text.lstrip("\ufeff").splitlines()
    body = lines
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), 0)
        for line in lines[1:end]:
            found = _FRONT_DATE.match(line.strip())
            if found and (when := _iso(found.group(1))):
                return when, "front matter"
        body = lines[end + 1 :]
    head = [line for line in body if line.strip()][:DATELINE_LINES]
    for line in head:
        when = parse_dateline(line, date_order)
        if when is not None:
            return when, "dateline"
    if path is not None:
        when = _first_commit(Path(path))
        if when is not None:
            return when, "git"
    return None, "none"


def parse_dateline(line: str, date_order: DateOrder = "dmy") -> date | None:
    """The first date written in `line`; an ambiguous `03/04/2015` follows `date_order`."""
    if found := _ISO.search(line):
        return _iso(found.group(0))
    if found := _NUMERIC.search(line):
        first, second, year = (int(g) for g in found.groups())
        day, month = (first, second) if date_order == "dmy" else (second, first)
        if month > 12 >= day:  # only one reading is possible
            day, month = month, day
        return _valid(year, month, day)
    if found := _MONTH_FIRST.search(line):
        return _valid(int(found.group(3)), _MONTHS[found.group(1).lower()], int(found.group(2)))
    if found := _DAY_FIRST.search(line):
        return _valid(int(found.group(3)), _MONTHS[found.group(2).lower()], int(found.group(1)))
    return None


def _iso(text: str) -> date | None:
    year, month, day = (int(part) for part in text.split("-"))
    return _valid(year, month, day)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _first_commit(path: Path) -> date | None:
    try:
        done = subprocess.run(
            ["git", "log", "--diff-filter=A", "--follow", "--format=%aI", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamps = done.stdout.split()
    return _iso(stamps[-1][:10]) if done.returncode == 0 and stamps else None
