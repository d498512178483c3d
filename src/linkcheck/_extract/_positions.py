"""From offsets in a block's inline source back to a line and column of the file.

markdown-it gives only block line ranges; the inline rules record offsets in the block's
inline source (see _markdown.py), and `BlockLines` undoes what block parsing stripped
(block-quote markers, list indentation, surrounding blanks).
"""

from __future__ import annotations

from bisect import bisect_right

from .._models import Span


class BlockLines:
    """Maps offsets in a block's inline source back to (line, column) in the file.

    An inline source is the block's lines with container prefixes (`> `, list indent)
    and surrounding blanks removed, joined by newlines: line i of it is the tail of
    source line `first + i`, except that its last line lost trailing blanks and a
    heading lost its closing `#`s.
    """

    def __init__(
        self,
        content: str,
        first: int,
        lines: list[str],
        cursor: dict[int, int],
        cell: bool = False,
    ) -> None:
        parts = content.split("\n")
        self._starts: list[int] = []
        self._columns: list[int] = []
        offset = 0
        for i, part in enumerate(parts):
            number = first + i
            self._starts.append(offset)
            source = lines[number] if number < len(lines) else ""
            after = cursor.get(number, 0)
            column = _cell_column(part, source, after) if cell else None
            self._columns.append(_column_of(part, source, after) if column is None else column)
            offset += len(part) + 1
        self._first = first
        self._cursor = cursor
        # A table cell's `\|` reaches the inline source as `|`: each one before an offset
        # moves it one column right (a cell is one line, and every `|` in it was escaped).
        self._pipes = [i for i, ch in enumerate(content) if ch == "|"] if cell else []

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of `offset`."""
        index = bisect_right(self._starts, offset) - 1
        column = self._columns[index] + offset - self._starts[index]
        if self._pipes:
            column += bisect_right(self._pipes, offset - 1)
        return self._first + index + 1, max(column, 0) + 1

    def span(self, start: int, end: int) -> Span:
        """Where offsets [start, end) of one line of inline source stand in the file."""
        line, column = self.position(start)
        if self._pipes:
            return Span(line, column - 1, self.position(end)[1] - 1)
        return Span(line, column - 1, column - 1 + end - start)

    def consume(self, end: int) -> None:
        """Later blocks on the same source line (table cells) start after `end`."""
        line, column = self.position(end)
        self._cursor[line - 1] = column - 1


def _cell_column(part: str, source: str, after: int) -> int | None:
    """Column of a table cell's text: the first match after the previous cell."""
    # Every `|` in a cell's text was written `\|` (the table rule unescapes them).
    found = source.find(part.replace("|", "\\|") if "|" in part else part, after)
    return found if found >= 0 else None


def _column_of(part: str, source: str, after: int) -> int:
    """0-based column of source where `part` (a line of inline source) starts."""
    if part and source.endswith(part) and len(source) - len(part) >= after:
        return len(source) - len(part)
    stripped = part.lstrip(" ")
    # A tab split by list indentation turns into spaces that are not in the source.
    lead = len(part) - len(stripped)
    found = source.find(stripped, after) if stripped else -1
    if found >= 0:
        return found - lead
    trimmed = source.rstrip()
    if stripped and trimmed.endswith(stripped):
        return len(trimmed) - len(stripped) - lead
    return len(source) - len(source.lstrip(" \t>"))
