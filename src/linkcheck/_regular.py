"""Opening a file that must be a regular one: a FIFO, socket or device named where an
article, a config or a built page was expected is refused, never read (reading it could
block the run forever). Shared by every stage that reads files from disk."""

from __future__ import annotations

import os
import stat
from typing import BinaryIO


class NotRegularFile(OSError):
    """A FIFO, socket or device where a file was expected: reading it could block forever
    or never end, so it is not read."""


def open_regular(path: str) -> BinaryIO:
    """`path` opened for reading, if it is a regular file (NotRegularFile otherwise).

    Opened without blocking, so a FIFO with no writer cannot hang the run before fstat
    says what it is."""
    descriptor, _ = regular_descriptor(path)
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def regular_descriptor(path: str) -> tuple[int, os.stat_result]:
    """A raw descriptor of `path` (the caller closes it) and its stat, if it is a regular
    file (NotRegularFile otherwise): for a reader that takes the bytes with `os.read`
    and needs no file object (an article's reading, 40,000 times a run). Left
    non-blocking: that changes nothing for a regular file."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(f"not a regular file ({_file_type(status.st_mode)}), not read")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, status


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
