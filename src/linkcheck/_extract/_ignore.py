"""`<!-- linkcheck-ignore -->` comments: which lines' links an editor switched off."""

from __future__ import annotations

import re

_IGNORE = re.compile(r"^[\s>]*<!--\s*linkcheck-ignore(-start|-end)?\s*-->\s*$")


def ignored_lines(
    lines: list[str], code_lines: set[int], comment: re.Pattern[str] = _IGNORE
) -> dict[int, int]:
    """0-based line -> 1-based line of the comment that switches its links off.

    `comment` is the format's own comment (`.. linkcheck-ignore` in reStructuredText,
    `// linkcheck-ignore` in AsciiDoc); group 1 is `-start`, `-end` or None."""
    ignored: dict[int, int] = {}
    region: int | None = None
    pending: int | None = None
    for number, line in enumerate(lines):
        if number in code_lines:
            continue
        marker = comment.match(line)
        if marker:
            which = marker.group(1)
            if which == "-start":
                region = number + 1
            elif which == "-end":
                region = None
            else:
                pending = number + 1
            continue
        if region is not None:
            ignored[number] = region
        elif pending is not None and line.strip():
            ignored[number] = pending
            pending = None
    return ignored
