"""The progress bar: shown on a terminal, silent elsewhere, never in the way."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from linkcheck._progress import progress_display


def test_progress_bar_counts_articles_and_links_on_a_terminal() -> None:
    out = StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    with progress_display(True, console) as progress:
        progress.files_found(3)
        for _ in range(3):
            progress.file_done()
        progress.targets_found(2)
        progress.target_done()
        progress.target_done()
    shown = out.getvalue()
    assert "articles" in shown and "3/3" in shown
    assert "links" in shown and "2/2" in shown


def test_no_progress_bar_when_disabled() -> None:
    out = StringIO()
    with progress_display(False, Console(file=out, force_terminal=True)) as progress:
        progress.files_found(1)
        progress.file_done()
    assert out.getvalue() == ""
