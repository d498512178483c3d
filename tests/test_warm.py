"""The warm path: a file whose signature (size, times, inode, device, extractor, dialect)
is the one stored when it was last read comes from the extraction cache unread. Every
way a file can change behind a signature must still be read again: no silent wrong
verdict."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import types
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import linkcheck
import linkcheck._extract._articles as articles
from linkcheck._api import NoProgress
from linkcheck._cache import SCHEMA_VERSION, ExtractionCache, ResultCache
from linkcheck._models import Report, Source, Status
from linkcheck._realpath import RealPaths


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    return tmp_path


@pytest.fixture
def trust_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago are trusted: without it, each would be too
    recent (RACY_NS) to be signed by the run right after."""
    monkeypatch.setattr(articles, "RACY_NS", 0)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles read from disk, by display name, from the moment it is asked for."""
    read: list[str] = []
    real = articles.read_source

    def counted(source: Source, *args: object) -> tuple[str | None, object]:
        read.append(source.display)
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(articles, "read_source", counted)
    return read


OPTIONS = linkcheck.Options(offline=True, cache_path="cache.db")


def run(options: linkcheck.Options = OPTIONS) -> Report:
    return linkcheck.check(["docs"], options)


def verdicts(report: Report) -> list[tuple[str, int, str, Status]]:
    return [(r.link.file, r.link.line, r.link.url, r.status) for r in report.results]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unchanged_file_is_neither_read_nor_parsed_and_says_the_same(
    folder: Path, trust_at_once: None, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder / "docs/a.md", "# A\n\n[b](b.md#b) [gone](gone.md) [top](#a)\n")
    write(folder / "docs/b.md", "# B\n\n[a][a]\n\n[a]: a.md\n")
    cold = run()
    assert sorted(reads) == ["docs/a.md", "docs/b.md"]
    reads.clear()
    monkeypatch.setattr(articles, "extract_as", _no_parse)
    warm = run()
    assert reads == []
    assert warm.results == cold.results
    assert verdicts(warm) == [
        ("docs/a.md", 3, "b.md#b", Status.OK),
        ("docs/a.md", 3, "gone.md", Status.BROKEN),
        ("docs/a.md", 3, "#a", Status.OK),
        ("docs/b.md", 3, "a.md", Status.OK),
    ]


def test_a_warm_run_that_changes_nothing_writes_nothing_to_the_cache(
    folder: Path, trust_at_once: None
) -> None:
    write(folder / "docs/a.md", "# A\n\n[self](a.md#a)\n")
    run()
    before = (folder / "cache.db").read_bytes()
    run()
    assert (folder / "cache.db").read_bytes() == before
    assert not (folder / "cache.db-wal").exists() or (folder / "cache.db-wal").stat().st_size == 0


def test_a_file_changed_in_place_with_the_same_size_and_mtime_is_read_again(
    folder: Path, trust_at_once: None, reads: list[str]
) -> None:
    article = write(folder / "docs/a.md", "# A\n\n[x](b.md)\n")
    write(folder / "docs/b.md", "# B\n")
    assert verdicts(run())[0][3] is Status.OK
    before = article.stat()
    with open(article, "r+b") as file:  # the same inode, the same size
        file.write(b"# A\n\n[x](c.md)\n")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime set back
    after = article.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    reads.clear()
    assert verdicts(run()) == [("docs/a.md", 3, "c.md", Status.BROKEN)]
    assert reads == ["docs/a.md"]  # the change time gave it away, b.md was not read


def test_a_file_replaced_by_another_of_the_same_size_and_mtime_is_read_again(
    folder: Path, trust_at_once: None
) -> None:
    article = write(folder / "docs/a.md", "# A\n\n[x](b.md)\n")
    write(folder / "docs/b.md", "# B\n")
    assert verdicts(run())[0][3] is Status.OK
    before = article.stat()
    other = write(folder / "a.md.new", "# A\n\n[x](c.md)\n")
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, article)  # as editors and `cp -p` over it do
    assert article.stat().st_ino != before.st_ino
    assert verdicts(run()) == [("docs/a.md", 3, "c.md", Status.BROKEN)]


def test_a_file_reached_through_a_link_that_now_points_elsewhere_is_read_again(
    folder: Path, trust_at_once: None
) -> None:
    write(folder / "one.md", "# Here\n\n[x](#here)\n")
    write(folder / "two.md", "# Not\n\n[x](#here)\n")
    (folder / "docs/a.md").symlink_to(folder / "one.md")
    assert verdicts(run())[0][3] is Status.OK
    (folder / "docs/a.md").unlink()
    (folder / "docs/a.md").symlink_to(folder / "two.md")
    assert verdicts(run()) == [("docs/a.md", 3, "#here", Status.BROKEN)]


def test_a_cache_from_another_extractor_version_is_not_used(
    folder: Path, trust_at_once: None, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder / "docs/a.md", "# A\n\n[x](#a)\n")
    cold = run()
    monkeypatch.setattr(articles, "EXTRACTOR_VERSION", articles.EXTRACTOR_VERSION + 1)
    parsed: list[str] = []
    real = articles.extract_as
    monkeypatch.setattr(
        articles,
        "extract_as",
        lambda fmt, text, file, *d: parsed.append(file) or real(fmt, text, file, *d),
    )
    reads.clear()
    assert run().results == cold.results
    assert (reads, parsed) == (["docs/a.md"], ["docs/a.md"])


def test_an_article_is_read_again_in_the_dialect_of_a_generator_config_that_appeared(
    folder: Path, trust_at_once: None
) -> None:
    write(folder / "docs/a.md", "# A\n\n[post]({% link b.md %})\n")
    write(folder / "docs/b.md", "# B\n")
    assert verdicts(run()) == []  # on GitHub a space ends the destination: no link
    write(folder / "docs/_config.yml", "title: site\n")  # now Jekyll builds it, Liquid first
    fresh = run(linkcheck.Options(offline=True))
    assert verdicts(fresh) == [("docs/a.md", 3, "{% link b.md %}", Status.OK)]
    assert run().results == fresh.results


@pytest.mark.parametrize(
    "corruption",
    [
        "UPDATE extracted SET payload = '[[[1, 2'",  # not JSON
        "UPDATE extracted SET payload = '[[[\"x\"]], []]'",  # JSON of another shape
        "UPDATE extracted SET payload = 7",  # not even text
        "UPDATE signatures SET key = 'no such key'",
        "UPDATE signatures SET signature = 'scrambled'",
        "UPDATE extracted SET used_at = 'yesterday'",
    ],
)
def test_a_corrupt_cache_row_is_parsed_again_and_repaired(
    folder: Path, trust_at_once: None, reads: list[str], corruption: str
) -> None:
    write(folder / "docs/a.md", "# A\n\n[x](#a) [y](gone.md)\n")
    cold = run()
    with sqlite3.connect(folder / "cache.db") as db:
        db.execute(corruption)
    assert run().results == cold.results
    reads.clear()
    assert run().results == cold.results
    assert reads == []  # the second run stored a good row again


def test_an_old_cache_schema_is_dropped_not_misread(folder: Path, trust_at_once: None) -> None:
    article = write(folder / "docs/a.md", "# A\n\n[x](#a)\n")
    run()
    with sqlite3.connect(folder / "cache.db") as db:
        # What an older layout could hold under the same key and path: a link that is
        # not in the article. It must never come back.
        db.execute("UPDATE extracted SET payload = ?", (_payload_with("https://wrong.example/"),))
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    assert article.exists()
    assert [v[2] for v in verdicts(run())] == ["#a"]
    with sqlite3.connect(folder / "cache.db") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


#: On the coarse file system of `coarse_clock`, every change happens at this time.
TICK = 1_700_000_000 * 10**9


@pytest.fixture
def coarse_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """A file system whose times never move (every change falls in the tick TICK), and
    a clock set by the function returned: what a run reads as "now", in ns."""

    real = RealPaths.resolve_stat

    def coarse(self: RealPaths, path: str) -> tuple[str, os.stat_result | None]:
        where, status = real(self, path)
        if status is None:
            return where, None
        return where, os.stat_result(tuple(status), {"st_mtime_ns": TICK, "st_ctime_ns": TICK})

    monkeypatch.setattr(RealPaths, "resolve_stat", coarse)

    def at(ns: int) -> None:
        clock = types.SimpleNamespace(time=lambda: ns / 1e9, time_ns=lambda: ns)
        monkeypatch.setattr(articles, "time", clock)

    return at


def test_a_file_changed_within_a_timestamp_tick_of_a_run_is_not_trusted(
    folder: Path, reads: list[str], coarse_clock: Callable[[int], None]
) -> None:
    """Racy git: on a file system whose times are coarse, a change made just after a
    run read the file, in the same tick, leaves size, times and inode as they were. So a
    file whose last change is not older than RACY_NS at the start of a run is not
    signed; the next run reads it again."""
    article = write(folder / "docs/a.md", "# A\n\n[x](b.md)\n")
    write(folder / "docs/b.md", "# B\n")

    def edit(target: str) -> None:
        with open(article, "r+b") as file:
            file.write(f"# A\n\n[x]({target})\n".encode())

    coarse_clock(TICK + articles.RACY_NS // 2)  # the run reads it in the tick it changed in
    assert verdicts(run())[0][2:] == ("b.md", Status.OK)
    edit("c.md")  # the same tick: nothing in the signature moves
    coarse_clock(TICK + articles.RACY_NS * 2)
    assert verdicts(run())[0][2:] == ("c.md", Status.BROKEN)  # read again, not trusted
    # That run was long enough after the change to sign it: from here it is trusted, and
    # an edit in the same tick now goes unseen. The rule is what kept the first one seen.
    reads.clear()
    assert verdicts(run())[0][2:] == ("c.md", Status.BROKEN)
    assert reads == []
    edit("b.md")
    assert verdicts(run())[0][2:] == ("c.md", Status.BROKEN)  # the miss the rule prevents


def test_on_a_coarse_file_system_a_file_replaced_in_the_same_tick_is_told_by_its_inode(
    folder: Path, coarse_clock: Callable[[int], None]
) -> None:
    article = write(folder / "docs/a.md", "# A\n\n[x](b.md)\n")
    write(folder / "docs/b.md", "# B\n")
    coarse_clock(TICK + articles.RACY_NS * 2)
    assert verdicts(run())[0][2:] == ("b.md", Status.OK)
    os.replace(write(folder / "a.md.new", "# A\n\n[x](c.md)\n"), article)
    assert verdicts(run())[0][2:] == ("c.md", Status.BROKEN)


def test_files_just_written_are_read_again_until_they_are_old_enough(
    folder: Path, reads: list[str]
) -> None:
    write(folder / "docs/a.md", "# A\n")
    run()
    reads.clear()
    run()
    assert reads == ["docs/a.md"]  # changed under RACY_NS ago: not signed yet
    with sqlite3.connect(folder / "cache.db") as db:
        assert db.execute("SELECT count(*) FROM signatures").fetchone() == (0,)


def test_a_file_that_decodes_with_a_warning_says_so_on_every_run(
    folder: Path, trust_at_once: None
) -> None:
    (folder / "docs/a.md").write_bytes(b"# Caf\xe9\n\n[x](gone.md)\n")
    for _ in range(2):
        report = run()
        assert [i.message for i in report.file_issues] == [
            "not valid UTF-8 (byte 0xe9 at offset 5); decoded as cp1252"
        ]
        assert verdicts(report) == [("docs/a.md", 3, "gone.md", Status.BROKEN)]


def test_a_file_over_a_lowered_size_limit_is_refused_though_unchanged(
    folder: Path, trust_at_once: None
) -> None:
    write(folder / "docs/a.md", "# A\n\n" + "word " * 100 + "\n")
    run()
    small = linkcheck.Options(offline=True, cache_path="cache.db", max_file_size=100)
    assert [i.message for i in run(small).file_issues] == [
        "file is larger than 100 bytes (see --max-file-size)"
    ]


def test_a_cached_article_still_gives_its_date(folder: Path, trust_at_once: None) -> None:
    write(folder / "docs/a.md", "---\ndate: 2020-05-04\n---\n# A\n\n[x](https://x.example/)\n")
    source = Source("docs/a.md", "docs/a.md")
    days: list[tuple[str, str | None]] = []

    def date_of(text: str, path: str | None) -> tuple[date | None, str]:
        days.append((text[:20], path))
        return date(2020, 5, 4), "front matter"

    async def each(cache: ExtractionCache) -> list[str]:
        parsed = articles.Articles(10**6, [], cache=cache, date_of=date_of)
        found = [link.url async for _, a in parsed.each([source], _Quiet()) for link in a.links]
        assert parsed.dates == {"docs/a.md": (date(2020, 5, 4), "front matter")}
        return found

    cache, _ = ResultCache.open(folder / "cache.db")
    with cache:
        assert asyncio.run(each(ExtractionCache(cache))) == ["https://x.example/"]
        real = articles.extract_as
        articles.extract_as = _no_parse  # type: ignore[assignment]
        try:
            assert asyncio.run(each(ExtractionCache(cache))) == ["https://x.example/"]
        finally:
            articles.extract_as = real
    assert days == [("---\ndate: 2020-05-04", "docs/a.md")] * 2


class _Quiet:
    def file_done(self) -> None:
        pass


def _no_parse(fmt: str, text: str, file: str, *dialect: str) -> None:
    raise AssertionError(f"{file} parsed again")


def _payload_with(url: str) -> str:
    from linkcheck._extract import dump_article
    from linkcheck._models import Article, Kind, Link

    return dump_article(Article((Link("docs/a.md", 3, 1, Kind.INLINE, "x", url),), frozenset()))


def test_a_run_collects_garbage_rarely_and_gives_the_callers_thresholds_back(
    folder: Path,
) -> None:
    import gc

    write(folder / "docs/a.md", "# A\n")
    seen: list[tuple[int, int, int]] = []

    class Watch(NoProgress):
        def files_found(self, total: int) -> None:
            seen.append(gc.get_threshold())

    before = gc.get_threshold()
    gc.set_threshold(700, 7, 9)
    try:
        linkcheck.check(["docs"], linkcheck.Options(offline=True), progress=Watch())
        assert seen == [(100_000, 7, 9)]
        assert gc.get_threshold() == (700, 7, 9)
    finally:
        gc.set_threshold(*before)


def test_a_file_only_linked_to_comes_from_the_cache_while_it_is_as_it_was(
    folder: Path, trust_at_once: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --changed-since most targets are only linked to: their anchors come from
    what an earlier run parsed, as long as the file is as it was then."""
    write(folder / "docs/a.md", "# A\n\n[b](b.md#usage)\n")
    target = write(folder / "docs/b.md", "# Usage\n")
    run()  # both checked: b.md parsed and signed
    real = articles.extract_as
    monkeypatch.setattr(articles, "extract_as", _no_parse)
    only_a = linkcheck.check(["docs/a.md"], OPTIONS)
    assert verdicts(only_a) == [("docs/a.md", 3, "b.md#usage", Status.OK)]
    os.utime(target, ns=(1, 1))  # as a fresh checkout: another signature, the same text
    only_a = linkcheck.check(["docs/a.md"], OPTIONS)
    assert verdicts(only_a) == [("docs/a.md", 3, "b.md#usage", Status.OK)]
    write(target, "# Usage notes\n")
    monkeypatch.setattr(articles, "extract_as", real)
    only_a = linkcheck.check(["docs/a.md"], OPTIONS)
    assert verdicts(only_a) == [("docs/a.md", 3, "b.md#usage", Status.BROKEN)]


def test_runs_in_two_threads_at_once_leave_the_collector_as_it_was(folder: Path) -> None:
    """The first to start ends first: had the second saved the first's raised threshold,
    it would put that back last, for good."""
    import gc
    import threading

    write(folder / "docs/a.md", "# A\n")

    class Hold(NoProgress):
        def __init__(self) -> None:
            self.inside, self.leave = threading.Event(), threading.Event()

        def files_found(self, total: int) -> None:
            self.inside.set()
            assert self.leave.wait(10)

    def start(hold: Hold) -> threading.Thread:
        options = linkcheck.Options(offline=True)
        thread = threading.Thread(
            target=linkcheck.check, args=(["docs"], options), kwargs={"progress": hold}
        )
        thread.start()
        assert hold.inside.wait(10)
        return thread

    before = gc.get_threshold()
    first, second = Hold(), Hold()
    threads = [start(first), start(second)]
    for hold, thread in zip((first, second), threads, strict=True):
        hold.leave.set()
        thread.join(10)
    assert gc.get_threshold() == before


@pytest.mark.usefixtures("trust_at_once")
def test_a_file_name_that_is_not_utf8_is_read_every_run_not_a_crash(folder: Path) -> None:
    """SQLite keeps names as UTF-8 text: a name with other bytes (read back by Python as
    surrogates) has no signature to store, so it is read again each run, as it is."""
    os.chdir(os.fsencode(folder / "docs"))
    with open(b"caf\xff.md", "wb") as article:
        article.write(b"[a](gone.md)\n")
    os.chdir(folder)
    first, second = run(), run()
    assert verdicts(first) == verdicts(second)
    assert [status for *_, status in verdicts(second)] == [Status.BROKEN]
