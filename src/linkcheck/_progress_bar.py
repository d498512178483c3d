"""The progress bar itself (rich), imported only when a terminal shows one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from ._api import Progress as ProgressSink


class _RichProgress:
    """Two bars: articles parsed, then remote targets checked."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._files: TaskID | None = None
        self._targets: TaskID | None = None

    def files_found(self, total: int) -> None:
        self._files = self._progress.add_task("articles", total=total)

    def file_done(self) -> None:
        if self._files is not None:
            self._progress.advance(self._files)

    def targets_found(self, total: int) -> None:
        self._targets = self._progress.add_task("links", total=total)

    def target_done(self) -> None:
        if self._targets is not None:
            self._progress.advance(self._targets)


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="dim")


@contextmanager
def progress_bar(console: Console | None = None) -> Iterator[ProgressSink]:
    columns = (
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=True) as bar:
        yield _RichProgress(bar)
