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
    scan = _Scan()
    for number, line in enumerate(lines):
        if scan.next_line is not None:
            scan.found.lines[number] = scan.next_line
            scan.next_line = None
        if number in code_lines:
            continue
        markers = _markers(line, comment)
        if markers:
            alone = comment is not None or not _COMMENT.sub("", line).strip(" \t>")
            scan.comments(number, markers, alone)
        else:
            scan.plain(number, line)
    return scan.ended()


@dataclass
class _Scan:
    """What the comments seen so far switch off, line by line."""

    found: Ignored = field(default_factory=Ignored)
    region: tuple[_Marker, int] | None = None  # the open region's start, 1-based line
    pending: int | None = None  # a linkcheck-ignore waiting for its non-blank line
    next_line: int | None = None  # a disable-next-line, for the very next line

    def plain(self, number: int, line: str) -> None:
        """A line with no ignore comment."""
        if self.region is not None:
            self.found.lines[number] = self.region[1]
        elif self.pending is not None and line.strip():
            self.found.lines[number] = self.pending
            self.pending = None

    def comments(self, number: int, markers: list[_Marker], alone: bool) -> None:
        """A line with ignore comments (`alone`: nothing else on it)."""
        here = number + 1
        for marker in markers:
            if marker in _OPENS:
                self.region = self.region or (marker, here)
            elif self.region is not None and _OPENS[self.region[0]] is marker:
                self.found.lines.setdefault(number, self.region[1])  # before the end
                self.region = None
            elif marker is _Marker.NEXT_LINE:
                self.next_line = here
            elif marker is _Marker.THIS_LINE or (marker is _Marker.NEXT and not alone):
                self.found.lines[number] = here
            elif marker is _Marker.NEXT:
                self.pending = here
        if self.region is not None:
            self.found.lines.setdefault(number, self.region[1])

    def ended(self) -> Ignored:
        if self.region is not None and self.region[0] is _Marker.START:
            self.found.warnings.append(
                f"linkcheck-ignore-start on line {self.region[1]} has no linkcheck-ignore-end: "
                "every link after it is ignored"
            )
        return self.found


def _markers(line: str, comment: re.Pattern[str] | None) -> list[_Marker]:
    """The ignore comments on `line`, in order: the format's own, else HTML's."""
    if comment is not None:
        own = comment.match(line)
        return [_Marker("linkcheck-ignore" + (own.group(1) or ""))] if own else []
    if "<!--" not in line:
        return []
    return [_Marker(m.group(1)) for m in _COMMENT.finditer(line)]
