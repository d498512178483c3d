"""A progress bar on stderr for long runs at a terminal; nothing otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ._api import NoProgress
from ._api import Progress as ProgressSink

if TYPE_CHECKING:
    from rich.console import Console


@contextmanager
def progress_display(enabled: bool, console: Console | None = None) -> Iterator[ProgressSink]:
    if not enabled:
        yield NoProgress()
        return
    # rich is imported here, not at start-up: most runs (CI, pipes, --quiet) show no bar.
    from ._progress_bar import progress_bar

    with progress_bar(console) as sink:
        yield sink
