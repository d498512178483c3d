"""The result cache across runs, the flaky policy, and --changed-since."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkcheck import Cause, Outcome, Redirect, Status
from linkcheck._cache import ResultCache
from linkcheck._cli import run
from linkcheck._config import parse_duration
from linkcheck._flaky import apply_flaky_policy
from linkcheck._git import GitError, changed_files
from servers import Route, serve

OK = Outcome(Status.OK, None, 200)
MOVED = Outcome(
    Status.REDIRECTED,
    "redirected 1 time",
    200,
    "https://b.test/",
    (Redirect(301, "https://b.test/"),),
)
DEAD = Outcome(Status.BROKEN, "404 Not Found", 404, cause=Cause.HTTP_STATUS)
SLOW = Outcome(Status.TIMEOUT, "no response within 10 s (3 tries)", cause=Cause.TIMEOUT)


def test_fresh_working_results_are_reused_and_failures_are_not(tmp_path: Path) -> None:
    cache, warning = ResultCache.open(tmp_path / "c" / "cache.db")
    assert warning is None
    assert (tmp_path / "c" / ".gitignore").read_text().endswith("*\n")
    with cache:
        cache.store(
            {"https://a.test/": OK, "https://m.test/": MOVED, "https://d.test/": DEAD}, now=1000
        )
        urls = ["https://a.test/", "https://m.test/", "https://d.test/", "https://new.test/"]
        assert cache.lookup(urls, now=1000 + 3600, max_age=86400) == {
            "https://a.test/": OK,
            "https://m.test/": MOVED,
        }
        assert cache.lookup(urls, now=1000 + 90000, max_age=86400) == {}
        assert cache.lookup(urls, now=1001, max_age=86400, failures=True)["https://d.test/"] == DEAD


def test_history_keeps_the_last_five_outcomes(tmp_path: Path) -> None:
    with ResultCache.open(tmp_path / "cache.db")[0] as cache:
        for moment, outcome in enumerate([OK, OK, SLOW, OK, DEAD, SLOW, SLOW]):
            cache.store({"https://a.test/": outcome}, now=moment)
        assert cache.history("https://a.test/") == [
            Status.TIMEOUT, Status.TIMEOUT, Status.BROKEN, Status.OK, Status.TIMEOUT,
        ]  # fmt: skip


def test_no_password_is_ever_stored(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    with ResultCache.open(path)[0] as cache:
        cache.store({"https://ed:hunter2@a.test/x": OK}, now=1)
        assert cache.lookup(["https://ed:hunter2@a.test/x"], now=2, max_age=10) == {
            "https://ed:hunter2@a.test/x": OK
        }
    assert b"hunter2" not in path.read_bytes()


@pytest.mark.parametrize("junk", [b"not a database at all" * 100, b""])
def test_a_corrupt_or_foreign_file_is_rebuilt_with_one_warning(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(junk)
    cache, warning = ResultCache.open(path)
    with cache:
        cache.store({"https://a.test/": OK}, now=1)
    if junk:
        assert warning is not None and "moved to cache.db.broken and rebuilt" in warning
        assert (tmp_path / "cache.db.broken").read_bytes() == junk
    else:
        assert warning is None  # an empty file is a new database


def test_two_processes_share_one_cache_file(tmp_path: Path) -> None:
    script = """
import sys
from linkcheck import Outcome, Status
from linkcheck._cache import ResultCache
name = sys.argv[1]
with ResultCache.open(sys.argv[2])[0] as cache:
    for i in range(200):
        cache.store({f"https://{name}.test/{i}": Outcome(Status.OK, None, 200)}, now=i)
        cache.lookup([f"https://{name}.test/{i}"], now=i, max_age=10)
"""
    path = str(tmp_path / "cache.db")
    workers = [subprocess.Popen([sys.executable, "-c", script, name, path]) for name in ("a", "b")]
    assert [w.wait(timeout=60) for w in workers] == [0, 0]
    with ResultCache.open(path)[0] as cache:
        urls = [f"https://{n}.test/{i}" for n in "ab" for i in range(200)]
        assert len(cache.lookup(urls, now=200, max_age=1000)) == 400


def test_flaky_policy() -> None:
    worked = [Status.OK, Status.OK]
    flaky = apply_flaky_policy(SLOW, worked, threshold=3)
    assert flaky.flaky
    assert flaky.reason == (
        "no response within 10 s (3 tries) "
        "(flaky: failed 1 check in a row after working; fails the run at 3)"
    )
    assert apply_flaky_policy(SLOW, [Status.TIMEOUT, *worked], 3).flaky
    assert not apply_flaky_policy(SLOW, [Status.TIMEOUT, Status.TIMEOUT, *worked], 3).flaky
    assert not apply_flaky_policy(SLOW, [], 3).flaky  # never worked: no benefit of the doubt
    assert not apply_flaky_policy(DEAD, worked, 3).flaky  # a 404 is hard evidence
    gone = Outcome(Status.UNREACHABLE, "DNS lookup failed for a.test", cause=Cause.DNS)
    assert not apply_flaky_policy(gone, worked, 3).flaky
    assert apply_flaky_policy(
        Outcome(Status.BROKEN, "503 Service Unavailable", 503, cause=Cause.HTTP_STATUS), worked, 3
    ).flaky


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("3600", 3600), ("45s", 45), ("30m", 1800), ("12h", 43200), ("1d", 86400), ("2w", 1209600)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_a_bad_duration_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("x\n")
    assert run(["--cache-max-age", "soon", "a.md"]) == 2
    assert "--cache-max-age: 'soon' is not a duration" in capsys.readouterr().err


def test_a_warm_run_sends_no_request_and_a_flaky_link_does_not_fail_it(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    # Pages that take 0.4 s to answer: a cold run waits for them, a warm one asks nothing.
    routes = {"/a": Route(delay=0.4), "/b": Route(delay=0.4), "/dead": Route(404)}
    with serve(routes) as server:
        (tmp_path / "a.md").write_text(f"[a]({server.url('/a')}) [b]({server.url('/b')})\n")
        args = ["--format", "json", "--no-progress", "--retries", "0", "--timeout", "0.5", "a.md"]
        started = time.monotonic()
        assert run(args) == 0
        cold = time.monotonic() - started
        assert sum(server.hits.values()) == 2
        started = time.monotonic()
        assert run(args) == 0
        warm = time.monotonic() - started
        assert sum(server.hits.values()) == 2  # nothing more was asked
        assert (tmp_path / ".linkcheck" / "cache.db").exists()
        # Now /b times out: it worked before, so one failure is reported as flaky.
        routes["/b"] = Route(delay=1.5)
        capsys.readouterr()
        assert run([*args[:-1], "--cache-max-age", "0", "a.md"]) == 0
        report = json.loads(capsys.readouterr().out)
        b = next(x for x in report["links"] if x["url"].endswith("/b"))
        assert (b["status"], b["flaky"], report["summary"]["failed"]) == ("timeout", True, False)
    assert cold >= 0.4 and warm < cold, (warm, cold)


# ------------------------------------------------------------------ changed since


def git(cwd: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
        "HOME": str(cwd),
    }
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=env,
    )


def test_changed_since_checks_only_changed_articles(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init")
    for name in ("old.md", "edited.md", "deleted.md"):
        (tmp_path / name).write_text("[x](#)\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-m", "one")
    git(tmp_path, "tag", "base")
    (tmp_path / "edited.md").write_text("[y](#)\n")
    (tmp_path / "new.md").write_text("[z](#)\n")
    (tmp_path / "deleted.md").unlink()
    assert changed_files("base", tmp_path) == {
        tmp_path.resolve() / "edited.md",
        tmp_path.resolve() / "new.md",
    }
    assert run(["--offline", "--format", "json", "--changed-since", "base", "."]) == 1
    assert [x["file"] for x in json.loads(capsys.readouterr().out)["links"]] == [
        "edited.md",
        "new.md",
    ]


def test_changed_since_outside_a_repository_or_with_a_bad_ref(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GitError, match="not a git repository"):
        changed_files("main", tmp_path)
    git(tmp_path, "init")
    (tmp_path / "a.md").write_text("x\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-m", "one")
    assert run(["--offline", "--changed-since", "nope", "a.md"]) == 2
    assert capsys.readouterr().err == "linkcheck: error: unknown revision 'nope'\n"


def test_two_linkcheck_runs_at_once_share_a_cache_and_both_report_fully(tmp_path: Path) -> None:
    routes = {f"/p{i}": Route(delay=0.01) for i in range(40)} | {"/dead": Route(404)}
    with serve(routes) as server:
        for n in range(4):
            links = " ".join(f"[p]({server.url(f'/p{i}')})" for i in range(n, 40, 4))
            (tmp_path / f"a{n}.md").write_text(f"{links} <{server.url('/dead')}>\n")
        command = [sys.executable, "-m", "linkcheck", "--format", "json", "--no-progress",
                   "--cache-path", str(tmp_path / "shared.db"), str(tmp_path)]  # fmt: skip
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, cwd=tmp_path) for _ in range(2)]
        outputs = [run.communicate(timeout=60)[0] for run in runs]
    for process, output in zip(runs, outputs, strict=True):
        report = json.loads(output)
        assert process.returncode == 1
        assert report["summary"]["statuses"] == {"broken": 4, "ok": 40}


def test_cache_failures_reuses_failures_too(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    with serve({"/dead": Route(404)}) as server:
        (tmp_path / "a.md").write_text(f"<{server.url('/dead')}>\n")
        args = ["--no-progress", "--retries", "0", "a.md"]
        assert run(args) == 1
        assert run(args) == 1
        assert server.hits[("GET", "/dead")] == 2  # failures are rechecked by default
        assert run([*args, "--cache-failures"]) == 1
        assert server.hits[("GET", "/dead")] == 2
    assert "404 Not Found" in capsys.readouterr().out


# ------------------------------------------------------------------ extraction cache


def test_unchanged_articles_are_not_parsed_again(tmp_path: Path, monkeypatch) -> None:
    import linkcheck
    import linkcheck._extract._articles as articles

    monkeypatch.chdir(tmp_path)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.md").write_text(f"# {name}\n\n[x](#) [y](b.md#b) <http://>\n")
    options = linkcheck.Options(offline=True, cache_path=str(tmp_path / "cache.db"))
    cold = linkcheck.check(["."], options)
    parsed: list[str] = []
    real_extract = articles.extract_as
    monkeypatch.setattr(
        articles,
        "extract_as",
        lambda fmt, text, file, *dialect: (
            parsed.append(file) or real_extract(fmt, text, file, *dialect)
        ),
    )
    (tmp_path / "c.md").write_text("# c\n\n[changed](a.md)\n")
    warm = linkcheck.check(["."], options)
    assert parsed == ["c.md"]
    assert warm.results[:6] == cold.results[:6]  # a.md and b.md, from the cache, as they were


def test_articles_parsed_on_several_processes_match_one_process_and_fill_the_cache(
    tmp_path: Path, monkeypatch
) -> None:
    import os

    import linkcheck
    import linkcheck._extract._articles as articles

    monkeypatch.chdir(tmp_path)
    for n in range(12):
        (tmp_path / f"a{n:02}.md").write_text(
            f"# Part {n}\n\n> See [next](a{n + 1:02}.md#part-{n + 1}) and\n"
            f"> bit.ly/x{n} or [r][{n}].\n\n[{n}]: https://r.example/{n}\n"
        )
    one = linkcheck.check(["."], linkcheck.Options(offline=True))
    monkeypatch.setattr(articles, "FILES_PER_WORKER", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    options = linkcheck.Options(offline=True, cache_path=str(tmp_path / "cache.db"))
    several = linkcheck.check(["."], options)
    assert several.results == one.results and len(one.results) == 12 * 3

    def parse_again(fmt: str, text: str, file: str, *dialect: str) -> None:
        raise AssertionError(f"{file} parsed again")

    monkeypatch.setattr(articles, "extract_as", parse_again)
    assert linkcheck.check(["."], options).results == one.results


def test_the_extraction_cache_round_trips_every_field() -> None:
    from linkcheck import extract
    from linkcheck._extract import dump_article, load_article

    for path in sorted((Path(__file__).parents[1] / "fixtures").rglob("*.md")):
        article = extract(path.read_text(encoding="utf-8"), "x.md")
        assert load_article(dump_article(article), "x.md") == article


def test_parse_workers_start_before_the_last_article_is_read(tmp_path: Path, monkeypatch) -> None:
    """Cold runs: the workers get the first chunk of articles as soon as it is read, not
    after every article was (they idled meanwhile); the report is the same."""
    import os

    import linkcheck
    import linkcheck._extract._articles as articles

    monkeypatch.chdir(tmp_path)
    for n in range(200):
        (tmp_path / f"a{n:03}.md").write_text(f"# Part {n}\n\nSee [next](a{n + 1:03}.md).\n")
    one = linkcheck.check(["."], linkcheck.Options(offline=True))
    monkeypatch.setattr(articles, "FILES_PER_WORKER", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    reads: list[str] = []
    read = articles.read_source
    monkeypatch.setattr(
        articles, "read_source", lambda source, *a: reads.append(source.display) or read(source, *a)
    )
    read_at_submit: list[int] = []
    submit = articles._Parsing._submit

    def submitted(self: object, batch: list) -> None:
        read_at_submit.append(len(reads))
        submit(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(articles._Parsing, "_submit", submitted)
    several = linkcheck.check(["."], linkcheck.Options(offline=True))
    assert several.results == one.results and len(reads) == 200
    assert len(read_at_submit) > 1 and read_at_submit[0] < 200
