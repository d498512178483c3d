"""A progress bar on stderr for long runs at a terminal; nothing otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ._api import Progress as ProgressSink


@contextmanager
def progress_display(enabled: bool, console: Console | None = None) -> Iterator[ProgressSink]:
    from ._api import NoProgress  # with the stages: a replayed run shows no progress

    if not enabled:
        yield NoProgress()
        return
    # rich is imported here, not at start-up: most runs (CI, pipes, --quiet) show no bar.
    from ._progress_bar import progress_bar

    with progress_bar(console) as sink:
        yield sink
