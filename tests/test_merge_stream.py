"""`linkcheck merge --format json` streams: it writes what the in-memory merge writes,
byte for byte, without holding the rows (a million rows are a job's whole memory)."""

from __future__ import annotations

import json
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkcheck import FileIssue, Kind, Link, LinkResult, Outcome, Redirect, Report, Status
from linkcheck._cli import command
from linkcheck._merge import merge_files, write_merged_json
from linkcheck._models import Archived, FixNote
from linkcheck._report import WRITERS
from linkcheck._report.json import write_json
from linkcheck._shard import Shard


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(command, args, catch_exceptions=False)


def _row(file: str, line: int, url: str, outcome: Outcome, **extra: object) -> LinkResult:
    return LinkResult(Link(file, line, 1, Kind.INLINE, "t", url), url, False, outcome, **extra)  # type: ignore[arg-type]


OK = Outcome(Status.OK, None, 200)
GONE = Outcome(Status.BROKEN, "404 Not Found", 404)
MOVED = Outcome(
    Status.REDIRECTED, None, 200, "https://b.example/x", (Redirect(301, "https://b.example/x"),)
)


def _shards(
    tmp_path: Path, dates: tuple[tuple[str, tuple[str | None, str]], ...] = ()
) -> list[str]:
    """Three shard reports with everything a row or a report can carry."""
    files = ("a.md", "b.md", "c.md", "d.md")
    rows = [
        [
            _row("a.md", 1, "https://a.example/1", OK),
            _row("a.md", 9, "https://a.example/2", GONE, archive=Archived()),
            _row("c.md", 2, "https://user:secret@a.example/3", OK),  # redacted as written
            _row("c.md", 3, "https://a.example/?token=abc", OK),
        ],
        [
            _row("a.md", 2, "https://b.example/1", MOVED),
            _row("a.md", 2, "https://b.example/1", MOVED),  # a tie: stays in shard order
            _row(
                "b.md", 1, "https://b.example/2", Outcome(Status.TIMEOUT, "no answer", flaky=True)
            ),
            _row(
                "d.md",
                5,
                "https://b.example/3",
                OK,
                fix=FixNote("https://b.example/4", "moved", False),
            ),
            _row("d.md", 6, "https://b.example/5", Outcome(Status.UNVERIFIED, "a hook decides")),
            _row("d.md", 7, "https://b.example/6", Outcome(Status.UNVERIFIED, "a plugin decides")),
        ],
        [],  # a shard with no links of its own
    ]
    paths = []
    for index, results in enumerate(rows, 1):
        report = Report(
            files=files,
            results=tuple(results),
            file_issues=(FileIssue("e.md", "binary"), FileIssue("b.md", "cp1252", fatal=False)),
            dates=dict(dates),
            shard=Shard(index, 3),
            generators=(("jekyll", "_config.yml"),),
        )
        path = tmp_path / f"shard-{index}.json"
        with open(path, "w", encoding="utf-8") as stream:
            WRITERS["json"](report, stream, color=False)
        paths.append(str(path))
    return paths


def _in_memory(paths: list[str]) -> str:
    written = StringIO()
    WRITERS["json"](merge_files(paths), written, color=False)
    return written.getvalue()


def _streamed(paths: list[str]) -> tuple[str, bool]:
    written = StringIO()
    failed = write_merged_json(paths, written)
    return written.getvalue(), failed


def test_the_streamed_merge_writes_the_in_memory_merge_byte_for_byte(tmp_path: Path) -> None:
    paths = _shards(tmp_path)
    text, failed = _streamed(paths)
    assert text == _in_memory(paths)
    summary = json.loads(text)["summary"]
    assert failed is True and summary["unique_targets"] == 9
    assert [u["why"] for u in summary["unverified"]] == ["a hook decides", "a plugin decides"]
    # in any order of the files, as the in-memory merge
    assert _streamed(paths[::-1])[0] == _in_memory(paths[::-1])


def test_dated_articles_merge_as_in_memory(tmp_path: Path) -> None:
    """--archive dated the articles: the summary counts citations per year of them."""
    paths = _shards(tmp_path, (("a.md", ("2015-06-01", "front matter")),))
    text, _ = _streamed(paths)
    assert text == _in_memory(paths)
    assert json.loads(text)["summary"]["citations_by_year"]["2015"]["dead"] == 1


def test_a_report_laid_out_by_another_tool_and_one_out_of_order_still_merge(
    tmp_path: Path,
) -> None:
    paths = _shards(tmp_path)
    expected = _in_memory(paths)
    # re-indented (jq .): loaded whole
    document = json.loads(Path(paths[1]).read_text())
    Path(paths[1]).write_text(json.dumps(document, indent=2))
    assert _streamed(paths)[0] == expected
    # rows out of order: the merge sorts them, as before
    document["links"].reverse()
    Path(paths[1]).write_text(json.dumps(document, indent=2))
    assert _streamed(paths)[0] == expected


def test_a_broken_report_leaves_the_output_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = _shards(tmp_path)
    lines = Path(paths[1]).read_text().splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if "b.example/2" in line)
    lines[cut] = lines[cut][:40] + "\n"  # a row cut short
    Path(paths[1]).write_text("".join(lines))
    Path("merged.json").write_text("before\n")
    result = invoke(["merge", "--format", "json", "-o", "merged.json", *paths])
    assert result.exit_code == 2
    assert result.stderr.startswith("linkcheck: error: ") and result.stderr.count("\n") == 1
    assert "shard-2.json is not a linkcheck JSON report" in result.stderr
    assert Path("merged.json").read_text() == "before\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_the_command_streams_to_a_file_and_to_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = _shards(tmp_path)
    to_file = invoke(["merge", "--format", "json", "-o", "merged.json", *paths])
    to_stdout = invoke(["merge", "--format", "json", *paths])
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert Path("merged.json").read_text() == to_stdout.stdout == _in_memory(paths)
    assert "secret" not in to_stdout.stdout


def _big_shards(tmp_path: Path, rows: int) -> list[str]:
    """Two shard reports of `rows` rows in all, every row citing one of 50 URLs."""
    paths = []
    for index in (1, 2):
        results = tuple(
            _row(f"story-{n // 10:06d}.md", n % 10 + 1, f"https://h{index}.example/{n % 25}", OK)
            for n in range(rows // 2)
        )
        report = Report(files=(), results=results, shard=Shard(index, 2))
        path = tmp_path / f"big-{index}.json"
        with open(path, "w", encoding="utf-8") as stream:
            write_json(report, stream)
        paths.append(str(path))
    return paths


class _Discarded(StringIO):
    """An output that keeps nothing: what is measured is the merge, not its output."""

    def write(self, text: str) -> int:
        return len(text)


def _peak(folder: Path, rows: int) -> int:
    folder.mkdir()
    paths = _big_shards(folder, rows)
    tracemalloc.start()
    try:
        write_merged_json(paths, _Discarded())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_merge_holds_no_row_it_has_written(tmp_path: Path) -> None:
    """Ten times the rows, about the same memory: the in-memory merge held ~1 KB more
    per row (~18 MB more here)."""
    small = _peak(tmp_path / "small", 2_000)
    large = _peak(tmp_path / "large", 20_000)
    assert large < small + 1_000_000, (small, large)  # 18,000 rows more: < 60 bytes each


def test_a_report_from_a_pipe_is_read_once(tmp_path: Path) -> None:
    """`linkcheck merge <(cat shard-1.json) …`: a pipe cannot be read twice."""
    import os
    import threading

    paths = _shards(tmp_path)
    expected = _in_memory(paths)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    content = Path(paths[0]).read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            pipe.write(content)

    merged: list[str] = []
    feeder = threading.Thread(target=feed, daemon=True)
    merger = threading.Thread(
        target=lambda: merged.append(_streamed([str(fifo), *paths[1:]])[0]), daemon=True
    )
    feeder.start()
    merger.start()
    merger.join(timeout=20)  # bounded: a second read of the pipe waits for ever
    assert merged == [expected]
