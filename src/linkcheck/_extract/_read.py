"""Reading an article's bytes into text: never raises for a bad file."""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Callable
from functools import partial
from typing import BinaryIO

from .._models import FileIssue, Source
from .._regular import NotRegularFile, regular_descriptor

_SNIFF = 8192
_CHUNK = 1024 * 1024  # read in pieces: a limit of 1 TiB must not allocate 1 TiB up front


def read_source(
    source: Source, max_size: int, stdin: BinaryIO | None = None
) -> tuple[str | None, FileIssue | None]:
    """Return the decoded text (None when the file cannot be used) and any issue to report.

    UTF-8 with or without BOM; UTF-16 with BOM; otherwise cp1252 with a non-fatal issue
    saying so. Binary (NUL bytes), unreadable and oversized files give None and a fatal issue.
    """
    try:
        data = _read_bytes(source, max_size, stdin)
    except _TooLarge:
        return None, FileIssue(
            source.display, f"file is larger than {_size(max_size)} (see --max-file-size)"
        )
    except OSError as error:
        return None, FileIssue(source.display, _os_reason(error))
    return decode(data, source.display)


def decode(data: bytes, display: str) -> tuple[str | None, FileIssue | None]:
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), None
            except UnicodeDecodeError:
                return None, FileIssue(display, f"not valid {codec.upper()} despite its BOM")
    if b"\0" in data[:_SNIFF]:
        return None, FileIssue(display, "binary file (NUL bytes), not read")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        bad = data[error.start]
        text = data.decode("cp1252", errors="replace")
        message = f"not valid UTF-8 (byte 0x{bad:02x} at offset {error.start}); decoded as cp1252"
        return text, FileIssue(display, message, fatal=False)


class _TooLarge(Exception):
    pass


def _read_bytes(source: Source, max_size: int, stdin: BinaryIO | None) -> bytes:
    if source.path is None:
        return _read_up_to((stdin if stdin is not None else sys.stdin.buffer).read, max_size)
    # A raw descriptor, not a file object: an article is read whole, once, and the
    # buffered reader's set-up cost more than the read itself on small files.
    descriptor, status = regular_descriptor(source.path)
    try:
        if status.st_size > max_size:
            raise _TooLarge
        return _read_up_to(partial(os.read, descriptor), max_size)
    finally:
        os.close(descriptor)


def _read_up_to(read: Callable[[int], bytes], max_size: int) -> bytes:
    """At most `max_size` bytes from `read` (a stream's, or `os.read` on a descriptor),
    in pieces; _TooLarge if there are more."""
    pieces, size = [], 0
    while piece := read(min(_CHUNK, max_size - size + 1)):
        pieces.append(piece)
        size += len(piece)
        if size > max_size:
            raise _TooLarge
    return b"".join(pieces)


def _os_reason(error: OSError) -> str:
    if isinstance(error, NotRegularFile):
        return str(error)
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, FileNotFoundError):
        return "file vanished before it could be read"
    return error.strerror or type(error).__name__


def _size(count: int) -> str:
    units = ("bytes", "KiB", "MiB", "GiB")
    value, unit = float(count), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.0f} {units[unit]}"
