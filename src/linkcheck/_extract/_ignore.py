"""Ignore comments: which lines' links an editor switched off, ours and those of
markdown-link-check (users migrating from it have thousands).

- `<!-- linkcheck-ignore -->` alone on a line: the next non-blank line; on a line with
  other content: that line. `<!-- linkcheck-ignore-start -->` … `-end -->`: the lines
  from one to the other; a start never ended ignores the rest of the file, with a warning.
- markdown-link-check's, as it reads them: `<!-- markdown-link-check-disable -->` …
  `-enable -->` (a disable never enabled runs to the end of the file, by its design),
  `-disable-next-line` (the very next line) and `-disable-line` (its own line).

Line by line: a comment inside a line ignores the links of that whole line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

_COMMENT = re.compile(
    r"<!--\s*(linkcheck-ignore(?:-start|-end)?|markdown-link-check-"
    r"(?:disable-next-line|disable-line|disable|enable))\s*-->"
)


class _Marker(Enum):
    NEXT = "linkcheck-ignore"
    START = "linkcheck-ignore-start"
    END = "linkcheck-ignore-end"
    DISABLE = "markdown-link-check-disable"
    ENABLE = "markdown-link-check-enable"
    NEXT_LINE = "markdown-link-check-disable-next-line"
    THIS_LINE = "markdown-link-check-disable-line"


_OPENS = {_Marker.START: _Marker.END, _Marker.DISABLE: _Marker.ENABLE}


@dataclass
class Ignored:
    """0-based line -> 1-based line of the comment that switches its links off, and
    one-line warnings about the comments."""

    lines: dict[int, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def ignored_lines(
    lines: list[str], code_lines: set[int], comment: re.Pattern[str] | None = None
) -> Ignored:
    """`comment`: a format's own whole-line comment instead of HTML's (`.. linkcheck-ignore`
    in reStructuredText, `// linkcheck-ignore` in AsciiDoc); group 1 is `-start`, `-end`
    or None."""
    found = Ignored()
    region: tuple[_Marker, int] | None = None  # the open region's start, 1-based line
    pending: int | None = None  # a linkcheck-ignore waiting for its non-blank line
    next_line: int | None = None  # a disable-next-line, for the very next line
    for number, line in enumerate(lines):
        if next_line is not None:
            found.lines[number] = next_line
            next_line = None
        if number in code_lines:
            continue
        if comment is not None:
            own = comment.match(line)
            markers = [_Marker("linkcheck-ignore" + (own.group(1) or ""))] if own else []
        elif "<!--" in line:
            markers = [_Marker(m.group(1)) for m in _COMMENT.finditer(line)]
        else:
            markers = []
        if not markers:
            if region is not None:
                found.lines[number] = region[1]
            elif pending is not None and line.strip():
                found.lines[number] = pending
                pending = None
            continue
        here = number + 1
        alone = comment is not None or not _COMMENT.sub("", line).strip(" \t>")
        for marker in markers:
            if marker in _OPENS:
                region = region or (marker, here)
            elif region is not None and _OPENS[region[0]] is marker:
                found.lines.setdefault(number, region[1])  # what stands before the end
                region = None
            elif marker is _Marker.NEXT_LINE:
                next_line = here
            elif marker is _Marker.THIS_LINE or (marker is _Marker.NEXT and not alone):
                found.lines[number] = here
            elif marker is _Marker.NEXT:
                pending = here
        if region is not None:
            found.lines.setdefault(number, region[1])
    if region is not None and region[0] is _Marker.START:
        found.warnings.append(
            f"linkcheck-ignore-start on line {region[1]} has no linkcheck-ignore-end: "
            "every link after it is ignored"
        )
    return found
