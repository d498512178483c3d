"""Stage 2 for Jupyter notebooks: the markdown cells' links, at their place in the file.

A notebook is JSON; its markdown cells' text is in JSON strings, escaped (`\\"`, `\\n`,
`\\u00e9`). Each cell is read by the markdown walker, and every position it finds in the
cell's text is mapped back through the escapes to the line and column of the notebook file
itself. What is an article's link: markdown cells, and raw cells whose format is
`text/markdown`. Code cells and outputs are not (an output is what a run printed, not what
the author wrote; it may hold thousands of generated links). A cell's
`![alt](attachment:name.png)` is settled by the cell itself: its `attachments` hold it or not.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import replace
from typing import Any

from .._models import Article, Kind, Link, Span
from ._dialects import Dialect
from ._markdown import extract, heading_texts


class NotebookError(ValueError):
    """The file is not a notebook that can be read (one line for a person)."""


def notebook_problem(text: str) -> str | None:
    """Why `text` is not a notebook this module can read (None when it is one)."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as error:
        return f"not a Jupyter notebook: invalid JSON ({_first_line(error)})"
    if not isinstance(notebook, dict):
        return "not a Jupyter notebook: its JSON is not an object"
    return None


def extract_notebook(text: str, file: str, dialect: Dialect = "github") -> Article:
    """Every link of a notebook's markdown cells; `line`/`column` point into the file.
    (`dialect` is the markdown's; Jupyter renders cells much as GitHub does.)"""
    notebook = _Located(text).document()
    if not isinstance(notebook, dict):
        raise NotebookError("not a Jupyter notebook (its JSON is not an object)")
    lines = _LineStarts(text)
    links: list[Link] = []
    anchors: set[str] = set()
    for cell in _cells(notebook):
        if not _is_markdown(cell):
            continue
        source = cell.get("source", "")
        parts = source if isinstance(source, list) else [source]
        if not all(isinstance(p, _String) for p in parts):
            continue
        cell_text, offsets = _joined(text, parts)
        article = extract(cell_text, file, dialect)
        attachments = cell.get("attachments")
        names = set(attachments) if isinstance(attachments, dict) else set()
        mapper = _CellMap(cell_text, offsets, lines)
        links.extend(mapper.link(link, names) for link in article.links)
        anchors |= article.anchors
        # Jupyter's (and nbconvert's) heading ids: the heading's text, spaces as `-`.
        anchors.update(t.strip().replace(" ", "-") for t in heading_texts(cell_text))
    links.sort(key=lambda link: (link.line, link.column))
    return Article(tuple(links), frozenset(anchors))


def _cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells of an nbformat 4 notebook, or of every worksheet of an nbformat 3 one."""
    cells = notebook.get("cells")
    if isinstance(cells, list):
        return [c for c in cells if isinstance(c, dict)]
    found: list[dict[str, Any]] = []
    for sheet in notebook.get("worksheets") or []:
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            found.extend(c for c in sheet["cells"] if isinstance(c, dict))
    return found


def _is_markdown(cell: dict[str, Any]) -> bool:
    kind = cell.get("cell_type")
    if kind == "markdown":
        return True
    if kind != "raw":
        return False
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return False
    return "text/markdown" in (metadata.get("format"), metadata.get("raw_mimetype"))


def _joined(text: str, parts: list[_String]) -> tuple[str, list[int]]:
    """A cell's text, with for each of its characters (and its end) the offset in the
    file where it is written. CRLF and CR become LF, as the markdown walker reads them."""
    chars: list[str] = []
    offsets: list[int] = []
    for part in parts:
        chars.append(part)
        offsets.extend(part.offsets(text)[:-1])
    end = parts[-1].offsets(text)[-1] if parts else 0
    joined = "".join(chars)
    if "\r" in joined:
        keep = [i for i, ch in enumerate(joined) if ch != "\r" or joined[i + 1 : i + 2] != "\n"]
        offsets = [offsets[i] for i in keep]
        joined = "".join(joined[i] for i in keep).replace("\r", "\n")
    if joined.startswith("\ufeff"):
        joined, offsets = joined[1:], offsets[1:]
    return joined, [*offsets, end]


class _CellMap:
    """From a cell's (line, column) to the notebook file's."""

    def __init__(self, cell_text: str, offsets: list[int], lines: _LineStarts) -> None:
        self._offsets = offsets
        self._file = lines
        self._starts = [0]
        for line in cell_text.split("\n"):
            self._starts.append(self._starts[-1] + len(line) + 1)

    def _offset(self, line: int, column: int) -> int:
        """The file offset of a 1-based (line, column) of the cell."""
        index = min(self._starts[line - 1] + column - 1, len(self._offsets) - 1)
        return self._offsets[index]

    def link(self, link: Link, attachments: set[str]) -> Link:
        line, column = self._file.position(self._offset(link.line, link.column))
        ignored_by = link.ignored_by
        if ignored_by is not None:
            ignored_by = self._file.position(self._offset(ignored_by, 1))[0]
        moved = replace(
            link, line=line, column=column, dest=self._dest(link.dest), ignored_by=ignored_by
        )
        if link.url.startswith("attachment:") and link.kind is Kind.IMAGE:
            name = link.url.removeprefix("attachment:")
            return replace(
                moved, kind=Kind.ATTACHMENT, label=name, undefined=name not in attachments
            )
        return moved

    def _dest(self, dest: Span | None) -> Span | None:
        """The destination's span in the file: only where it is written as is (no JSON
        escape inside), so that rewriting it there is byte-exact."""
        if dest is None:
            return None
        start = self._offset(dest.line, dest.start + 1)
        if dest.end == dest.start:
            line, column = self._file.position(start)
            return Span(line, column - 1, column - 1)
        # Where the character after the destination is written: every character in
        # between is written as itself only if the distance is the destination's length.
        after = self._offset(dest.line, dest.end + 1)
        if after - start != dest.end - dest.start:
            return None
        line, column = self._file.position(start)
        if self._file.position(after - 1)[0] != line:
            return None
        return Span(line, column - 1, column - 1 + dest.end - dest.start)


class _LineStarts:
    """1-based (line, column) of an offset in the notebook file (CRLF, CR, LF breaks)."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


class _String(str):
    """A JSON string that remembers where its literal starts (its opening quote)."""

    at: int

    def offsets(self, text: str) -> list[int]:
        """The file offset of each character of the string, then of its closing quote."""
        offsets = []
        i = self.at + 1
        while text[i] != '"':
            offsets.append(i)
            if text[i] != "\\":
                i += 1
            elif text[i + 1] != "u":
                i += 2
            elif _is_pair(text, i):
                i += 12  # a surrogate pair, one character
            else:
                i += 6
        offsets.append(i)
        return offsets


def _is_pair(text: str, i: int) -> bool:
    high = int(text[i + 2 : i + 6], 16)
    if not 0xD800 <= high <= 0xDBFF or text[i + 6 : i + 8] != "\\u":
        return False
    return 0xDC00 <= int(text[i + 8 : i + 12], 16) <= 0xDFFF


_WORDS = (
    ("true", True), ("false", False), ("null", None),
    ("NaN", float("nan")), ("Infinity", float("inf")), ("-Infinity", float("-inf")),
)  # fmt: skip
_BLANK = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


class _Located:
    """A JSON parser whose strings know where they are written (the standard one does
    the checking; this one only walks what it accepted)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def document(self) -> Any:
        try:
            json.loads(self._text)
        except (ValueError, RecursionError) as error:
            raise NotebookError(f"not valid JSON ({_first_line(error)})") from None
        value, _ = self._value(_BLANK.match(self._text, 0).end())  # type: ignore[union-attr]
        return value

    def _value(self, i: int) -> tuple[Any, int]:
        text = self._text
        ch = text[i]
        if ch == '"':
            value, end = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
            located = _String(value)
            located.at = i
            return located, end
        if ch == "{":
            found: dict[str, Any] = {}
            i = self._blank(i + 1)
            if text[i] == "}":
                return found, i + 1
            while True:
                key, i = self._value(i)
                i = self._blank(self._blank(i) + 1)  # the colon
                found[str(key)], i = self._value(i)
                i = self._blank(i)
                if text[i] == "}":
                    return found, i + 1
                i = self._blank(i + 1)
        if ch == "[":
            items: list[Any] = []
            i = self._blank(i + 1)
            if text[i] == "]":
                return items, i + 1
            while True:
                item, i = self._value(i)
                items.append(item)
                i = self._blank(i)
                if text[i] == "]":
                    return items, i + 1
                i = self._blank(i + 1)
        for word, value in _WORDS:
            if text.startswith(word, i):
                return value, i + len(word)
        number = _NUMBER.match(text, i)
        assert number is not None  # json.loads accepted the document
        return json.loads(number.group()), number.end()

    def _blank(self, i: int) -> int:
        return _BLANK.match(self._text, i).end()  # type: ignore[union-attr]


def _first_line(error: BaseException) -> str:
    return str(error).split("\n", 1)[0]
