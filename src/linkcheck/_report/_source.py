"""The source line of an occurrence, read again at report time, and where its link is.

Columns count characters after CRLF and CR are read as one line break and a leading BOM
is dropped, so the line is decoded and split exactly as the extractor saw it. A file
that has gone, changed, or was stdin gives no line, never an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .._extract import (
    decode,
    normalize_source,  # the extractor's own newline and BOM rule
)
from .._models import Kind, Link
from .._redact import redact
from .._regular import open_regular

_MAX_SIZE = 20 * 1024 * 1024


class SourceLines:
    """Lines of the articles a report names; only those, each file read once."""

    def __init__(self, files: Iterable[str], max_size: int = _MAX_SIZE) -> None:
        self._allowed = {f for f in files if f != "-"}  # stdin cannot be read twice
        self._max_size = max_size
        self._lines: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        lines = self._of(file)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]

    def readable(self, file: str) -> bool:
        return self._of(file) is not None

    def _of(self, file: str) -> list[str] | None:
        if file not in self._lines:
            self._lines[file] = self._read(file)
        return self._lines[file]

    def _read(self, file: str) -> list[str] | None:
        if file not in self._allowed:
            return None
        try:
            if os.path.getsize(file) > self._max_size:
                return None
            with open_regular(file) as stream:  # a FIFO named in the report: not read
                text, _ = decode(stream.read(), file)
        except OSError:
            return None
        # Shown in a report: a credential written in the article is hidden there too.
        if text is None:
            return None
        return [redact(line) for line in normalize_source(text).split("\n")]


@dataclass(frozen=True, slots=True)
class Context:
    """A source line cut around its link: `before`, the link (`mark`), `after`.

    `cut_before`/`cut_after`: text was left out there (a very long line); `changed`: the
    line no longer starts a link at the column (the file changed since the check).
    """

    number: int
    before: str
    mark: str
    after: str
    cut_before: bool = False
    cut_after: bool = False
    changed: bool = False


_AROUND = 120  # characters kept either side of the link on a long line
_MARK_MAX = 300  # a link longer than this (a paragraph wrapped in a link) is shortened


def context(line: str, link: Link) -> Context:
    """The line with the link's characters marked, from its column."""
    start = link.column - 1
    end = link_end(line, start, link.kind, link.url)
    if end is None:
        return Context(link.line, line, "", "", changed=True)
    before, mark, after = line[:start], line[start:end], line[end:]
    cut_before = len(before) > _AROUND
    if cut_before:
        before = before[-_AROUND:]
    cut_after = len(after) > _AROUND
    if cut_after:
        after = after[:_AROUND]
    if len(mark) > _MARK_MAX:
        mark = mark[: _MARK_MAX - 60] + " … " + mark[-57:]
    return Context(link.line, before, mark, after, cut_before, cut_after)


_FIRST = {
    Kind.INLINE: "[",
    Kind.REFERENCE: "[",
    Kind.IMAGE: "!",
    Kind.AUTOLINK: "<",
    Kind.HTML: "<",
}


def link_end(line: str, start: int, kind: Kind, url: str = "") -> int | None:
    """Where the link that starts at `start` ends on this line (exclusive), or None
    when no link of that kind starts there. A link that goes on to the next line ends
    at the end of this one."""
    if not 0 <= start < len(line):
        return None
    first = _FIRST.get(kind)
    if first is not None and line[start] != first:
        return None
    if kind is Kind.BARE:
        if url and line.startswith(url, start):
            return start + len(url)
        match = _NOT_SPACE.match(line, start)  # rewritten since: up to the next space
        return match.end() if match else None
    if kind is Kind.AUTOLINK:
        close = line.find(">", start)
        return len(line) if close < 0 else close + 1
    if kind is Kind.HTML:
        close = line.find(">", start)
        if close < 0:
            return len(line)
        if line[start : start + 2].lower() == "<a":
            end_tag = _A_END.search(line, close)
            return end_tag.end() if end_tag else close + 1
        return close + 1
    return _bracketed_end(line, start + (kind is Kind.IMAGE))


_NOT_SPACE = re.compile(r"\S+")
_A_END = re.compile(r"</a\s*>", re.IGNORECASE)


def _bracketed_end(line: str, start: int) -> int | None:
    """End of `[text](dest "title")`, `[text][label]`, `[text]` or `[label]: dest`."""
    if start >= len(line) or line[start] != "[":
        return None
    close = _closing(line, start, "[", "]")
    if close is None:
        return len(line)
    after = close + 1
    if after < len(line) and line[after] == "(":
        end = _closing(line, after, "(", ")")
        return len(line) if end is None else end + 1
    if after < len(line) and line[after] == "[":
        end = _closing(line, after, "[", "]")
        return len(line) if end is None else end + 1
    if after < len(line) and line[after] == ":":  # a definition: the label and its URL
        match = _DEFINITION_DEST.match(line, after + 1)
        return match.end() if match else after + 1
    return after


_DEFINITION_DEST = re.compile(r"[ \t]*(?:<[^>]*>|\S+)")


def _closing(line: str, start: int, opener: str, closer: str) -> int | None:
    """Index of the `closer` that balances `line[start]`, skipping backslash escapes and
    code spans; None when it is not on this line."""
    depth, i = 0, start
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`" and opener == "[":
            run = len(line) - len(line[i:].lstrip("`"))
            fence = line[i:run]
            end = line.find(fence, run)
            if end >= 0:
                i = end + len(fence)
                continue
            i = run
            continue
        if ch == "<" and opener == "(":
            close = line.find(">", i)
            if close >= 0 and "\n" not in line[i:close]:
                i = close + 1
                continue
        if ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None
