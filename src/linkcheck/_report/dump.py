"""`--dump`: every link found, where it is, what kind and what it points at; nothing checked.

The same escaping and redaction as the reports: link text and URLs come from strangers,
and a URL's credentials are shown as `***`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import TextIO

from .._models import Classified, Dump
from .._redact import redact
from .._version import __version__
from .csv import neutralised
from .text import inert

#: A dump's columns (CSV) and keys (JSON), in order.
FIELDS = ("file", "line", "column", "kind", "text", "url", "target", "category")


def _row(item: Classified) -> dict[str, object]:
    link = item.link
    return {
        "file": redact(link.file),
        "line": link.line,
        "column": link.column,
        "kind": link.kind.value,
        "text": redact(link.text),
        "url": redact(link.url),
        "target": None if item.target is None else redact(item.target),
        "category": item.category.value,
    }


def dump_text(dump: Dump, stream: TextIO) -> None:
    """`file:line:column  kind  url → target`, one link a line."""
    for item in dump.links:
        row = _row(item)
        where = f"{row['file']}:{row['line']}:{row['column']}"
        target = "" if row["target"] in (None, row["url"]) else f" → {row['target']}"
        line = f"{where}  {row['kind']}  {row['url']}{target}"
        stream.write(inert(line) + "\n")


def dump_json(dump: Dump, stream: TextIO) -> None:
    """`{"version", "tool", "files", "links": [{file, line, column, kind, text, url,
    target, category}], "errors"}`, one link a line."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    stream.write('{\n  "version": 1,\n')
    stream.write(f'  "tool": {encode(f"linkcheck {__version__}")},\n')
    stream.write(f'  "files": {encode([redact(f) for f in dump.files])},\n')
    rows = ",\n    ".join(encode(_row(item)) for item in dump.links)
    stream.write(f'  "links": [\n    {rows}\n  ],\n' if rows else '  "links": [],\n')
    errors = [{"file": redact(i.file), "message": redact(i.message)} for i in dump.file_issues]
    stream.write(f'  "errors": {encode(errors)}\n}}\n')


def dump_csv(dump: Dump, stream: TextIO) -> None:
    """A header row, then one RFC 4180 row per link (formula cells neutralised)."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for item in dump.links:
        cells = _row(item).values()
        writer.writerow(
            ["" if v is None else neutralised(v) if isinstance(v, str) else v for v in cells]
        )


#: The formats a dump is written in.
DUMPERS: dict[str, Callable[[Dump, TextIO], None]] = {
    "text": dump_text,
    "json": dump_json,
    "csv": dump_csv,
}
