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
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"not a regular file ({_file_type(mode)}), not read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
