"""Reading an article's bytes into text. (Owner: discovery/local helper.)"""

from __future__ import annotations

from typing import BinaryIO

from ._models import FileIssue, Source


def read_source(
    source: Source, max_size: int, stdin: BinaryIO | None = None
) -> tuple[str | None, FileIssue | None]:
    """Return the decoded text (None when the file cannot be used) and any issue to report.

    UTF-8 with or without BOM; UTF-16 with BOM; otherwise a fallback decoding with a
    non-fatal issue saying so. Binary files (NUL bytes), unreadable and oversized files
    give None and a fatal issue. Never raises for a bad file.
    """
    raise NotImplementedError
