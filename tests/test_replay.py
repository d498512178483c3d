"""A whole run replayed (_rows.ArticleRows.unchanged, _api.replay_written): when nothing
a run depends on changed since one that wrote the same reports to files, the CLI writes
those reports again, says the same warnings and exits the same, checking nothing. Each
dependency has a test here that fails when it is not followed: a replayed report must be
the report a run without any cache writes, byte for byte."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import linkcheck._cli as cli
import linkcheck._extract._articles as articles
from linkcheck._models import Report


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # Files written a moment ago are trusted (else each is too recent to be signed).
    monkeypatch.setattr(articles, "RACY_NS", 0)
    write(tmp_path / "docs/a.md", "# A\n\n[b](b.md#one) [gone](gone.md) [s](#a)\n")
    write(tmp_path / "docs/b.md", "# B\n\n## One\n\n[a](a.md) <https://example.com/x>\n")
    # Files outside the folder checked: read for a verdict, never as articles.
    write(tmp_path / "docs/c.md", "[c](../other/c.md#one) [g](../other/gone.md)\n")
    write(tmp_path / "other/c.md", "# C\n\n## One\n")
    # An article that is a symlink: its real folder is another (links resolve from here).
    write(tmp_path / "linked/docs/l.md", "# L\n\n[b](b.md#one) [one](#l)\n")
    (tmp_path / "docs/l.md").symlink_to(tmp_path / "linked/docs/l.md")
    return tmp_path


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per run that checked its articles (not replayed)."""
    runs: list[int] = []
    real = cli.check

    def counted(*args: object, **kwargs: object) -> Report:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "check", counted)
    return runs


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


REPORTS = ["--format", "json", "-o", "out.json", "--report", "text:out.txt"]


def run(*extra: str, cache: bool = True) -> tuple[int, dict[str, bytes]]:
    """One offline CLI run writing JSON and text reports: its exit code and reports."""
    cached = ["--cache-path", "cache.db"] if cache else ["--no-cache"]
    code = cli.run([*REPORTS, *cached, "--offline", *extra, "docs"])
    return code, {name: Path(name).read_bytes() for name in ("out.json", "out.txt")}


def kept(folder: Path) -> int:
    with sqlite3.connect(folder / "cache.db") as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE name = 'written_reports'")
        if tables.fetchone() is None:
            return 0
        return int(db.execute("SELECT count(*) FROM written_reports").fetchone()[0])


def test_a_run_where_nothing_changed_replays_the_reports_byte_for_byte(
    folder: Path, checked: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder / "docs/w.md", "# W\n<!-- linkcheck-ignore-start -->\n")  # a warning
    cold = run(cache=False)
    cold_err = capsys.readouterr().err
    assert cold[0] == 1  # gone.md is broken
    assert "warning" in cold_err
    assert run() == cold  # judged, kept
    assert capsys.readouterr().err == cold_err
    assert kept(folder) == 1
    checked.clear()
    Path("out.json").unlink()  # written again from what was kept, not left as it was
    Path("out.txt").write_text("stale")
    assert run() == cold
    assert checked == []
    assert capsys.readouterr().err == cold_err


def test_the_run_that_judges_every_article_keeps_its_reports(
    folder: Path, checked: list[int]
) -> None:
    first = run()  # no cache yet: every article judged, its rows stored, reports kept
    checked.clear()
    assert run() == first
    assert checked == []


def same_size_and_times(path: Path, text: str) -> None:
    """`path` rewritten in place with `text` (as long as before) and its modification
    time put back: its change time still moves, and the signature holds it."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def swapped_for_a_symlink(path: Path, target: Path) -> None:
    """`path` replaced by a symlink to a copy of it elsewhere with the same times: the
    walk lists it as a symlink now, and its real path is the copy's."""
    before = path.stat()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(path.read_bytes())
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    path.unlink()
    path.symlink_to(target)


def symlink_repointed(link: Path, target: Path) -> None:
    """The symlink `link` pointed at `target`, a copy of what it pointed at with the
    same times."""
    before = link.stat()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(link.read_bytes())
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    link.unlink()
    link.symlink_to(target)


EDITS: dict[str, Callable[[Path], object]] = {
    "an article's text": lambda f: write(f / "docs/b.md", "# B\n\n## One\n\n[a](a.md)\n"),
    "an anchor in the file a link points into": lambda f: write(f / "docs/b.md", "# B\n\n## Two\n"),
    "an anchor in a file that is no article": lambda f: write(f / "other/c.md", "# C\n\n## 2\n"),
    "a missing article created": lambda f: write(f / "docs/gone.md", "# Gone\n"),
    "a missing file created": lambda f: write(f / "other/gone.md", "# Gone\n"),
    "a target deleted": lambda f: (f / "other/c.md").unlink(),
    "an article added": lambda f: write(f / "docs/new.md", "[x](nowhere.md)\n"),
    "an article deleted": lambda f: (f / "docs/b.md").unlink(),
    "an article ignored by git": lambda f: write(f / "docs/.gitignore", "b.md\n"),
    "an article in a new folder": lambda f: write(f / "docs/sub/c.md", "[x](../a.md#nope)\n"),
    "a generator config appearing": lambda f: write(f / "mkdocs.yml", "site_name: x\n"),
    "a generator config above a symlinked article's real folder": lambda f: write(
        f / "linked/mkdocs.yml", "site_name: x\n"
    ),
    "an article rewritten, same size and time": lambda f: same_size_and_times(
        f / "docs/b.md", "# B\n\n## Two\n\n[a](a.md) <https://example.com/x>\n"
    ),
    "an article swapped for a symlink": lambda f: swapped_for_a_symlink(
        f / "docs/b.md", f / "elsewhere/b.md"
    ),
    "a symlinked article repointed": lambda f: symlink_repointed(
        f / "docs/l.md", f / "elsewhere/l2.md"
    ),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_dependency_ends_the_replay(folder: Path, checked: list[int], edit: str) -> None:
    subprocess.run(["git", "init", "-q"], check=True)  # so that .gitignore is read
    run()
    run()
    checked.clear()
    EDITS[edit](folder)
    assert run() == run(cache=False)
    assert len(checked) == 2  # the cached run checked too
    checked.clear()
    assert run() == run(cache=False)  # and what it kept is the new run's


def test_another_setting_or_way_of_writing_is_not_replayed(
    folder: Path, checked: list[int]
) -> None:
    run()
    checked.clear()
    run("--exclude", "example")
    run("-v")
    csv = ["--format", "csv", "-o", "out.json", "--cache-path", "cache.db", "--offline", "docs"]
    assert cli.run(csv) == 1
    assert len(checked) == 3
    assert Path("out.json").read_text().startswith("file,")


@pytest.mark.parametrize(
    "reports",
    [["--format", "json"], [*REPORTS, "--report", "html:out.html"]],
    ids=["on stdout", "with an HTML page, which says when it was made"],
)
def test_these_reports_are_not_kept(folder: Path, checked: list[int], reports: list[str]) -> None:
    for _ in range(2):
        cli.run([*reports, "--cache-path", "cache.db", "--offline", "docs"])
    assert checked == [1, 1]
    assert kept(folder) == 0


def test_a_replayed_report_is_not_written_over_an_article(folder: Path) -> None:
    run()
    Path("out.json").unlink()
    Path("out.json").symlink_to(folder / "docs/a.md")
    before = (folder / "docs/a.md").read_bytes()
    assert cli.run([*REPORTS, "--cache-path", "cache.db", "--offline", "docs"]) == 2
    assert (folder / "docs/a.md").read_bytes() == before


def test_a_kept_table_of_another_layout_is_rebuilt(folder: Path, checked: list[int]) -> None:
    run()
    with sqlite3.connect(folder / "cache.db") as db:
        db.execute("DROP TABLE written_reports")
        db.execute("CREATE TABLE written_reports (key TEXT PRIMARY KEY, meta TEXT)")
    cold = run(cache=False)
    assert run() == cold  # judged (nothing could be read back), and kept again
    checked.clear()
    assert run() == cold
    assert checked == []


def test_a_replay_marks_the_rows_it_read_as_used(folder: Path, checked: list[int]) -> None:
    """Rows last used long ago (or with a time that is none) are marked used by a
    replay that read them, so that pruning keeps them; recent ones are not written."""
    run()
    with sqlite3.connect(folder / "cache.db") as db:
        keys = [k for (k,) in db.execute("SELECT key FROM article_rows ORDER BY key")]
        db.execute("UPDATE article_rows SET used_at = 5 WHERE key = ?", (keys[0],))
        db.execute("UPDATE article_rows SET used_at = 'then' WHERE key = ?", (keys[1],))
        db.execute("UPDATE article_rows SET used_at = 1e18 WHERE key = ?", (keys[2],))
    checked.clear()
    run()
    assert checked == []
    with sqlite3.connect(folder / "cache.db") as db:
        used = dict(db.execute("SELECT key, used_at FROM article_rows").fetchall())
    assert isinstance(used[keys[0]], float) and used[keys[0]] > 5
    assert isinstance(used[keys[1]], float)
    assert used[keys[2]] == 1e18  # recent (here: in the future): left as it was


_IMPORTS_OF_A_RUN = """
import json, sys
import linkcheck._extract._articles as articles
import linkcheck._cli as cli
articles.RACY_NS = 0  # files written a moment ago are trusted, as in the tests above
code = cli.run(sys.argv[1:])
print(json.dumps([code, sorted(sys.modules)]))
"""


def test_a_replayed_run_imports_no_stage_parser_or_writer(folder: Path) -> None:
    """What a no-change run costs is mostly start-up: it decides to replay before the
    stages, the parsers (markdown-it-py, docutils, html5lib) or rich are imported."""

    def imported() -> tuple[int, set[str]]:
        args = [*REPORTS, "--cache-path", "cache.db", "--offline", "docs"]
        done = subprocess.run(
            [sys.executable, "-c", _IMPORTS_OF_A_RUN, *args],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        code, modules = json.loads(done.stdout.splitlines()[-1])
        return code, set(modules)

    first, checked = imported()  # judged: every stage
    assert {"markdown_it", "linkcheck._api", "rich"} <= checked
    code, replayed = imported()
    assert code == first
    heavy = {"markdown_it", "docutils", "html5lib", "rich", "linkcheck._api",
             "linkcheck._classify", "linkcheck._extract._markdown", "linkcheck._report.json"}  # fmt: skip
    assert not heavy & replayed
