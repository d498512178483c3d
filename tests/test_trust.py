"""No silent wrong verdict: a cached verdict only under the settings that reached it,
what was checked kept through Ctrl-C and SIGTERM, user patterns that cannot stall."""

from __future__ import annotations

import dataclasses
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from linkcheck import Options
from linkcheck._cache import VERDICT_FIELDS, verdict_fingerprint
from linkcheck._cli import run
from linkcheck._options import HostRule
from linkcheck._patterns import PatternError, user_substitution
from servers import Route, redirect, serve

#: Options fields that do not change a verdict: how hard or how politely to try, what to
#: read or to classify before the cache is asked, how to report, and the cache's own
#: settings. Here, not in the product: only this test reads it, so that a new field
#: must be placed on one side or the other (docs/reliability.md says why each is where).
NOT_VERDICT_FIELDS = (
    "exclude_path", "root_dir", "max_file_size", "offline", "exclude", "include",
    "timeout", "max_concurrency", "max_per_host", "host_interval", "retries",
    "retry_backoff", "max_retry_wait", "cache_path", "cache_max_age", "cache_failures",
    "flaky_threshold", "changed_since", "archive", "archive_url", "archive_interval",
    "article_date", "date_order", "fail_on", "strict",
    # local targets and discovery; `remap` and `base_url` act on the URL before the
    # cache is asked, so the URL looked up is already the one they made
    "hidden", "no_ignore", "generator", "remap", "fallback_extensions", "index_files",
    "base_url", "extensions", "site",
    "shard",  # which hosts this run checks, not how each is judged
    "no_proxy_env",  # the way to a host, not the rules an answer is judged by
    # which pages a crawl reads; robots.txt rules make links `excluded` before the cache
    "recursive", "max_depth", "max_pages", "ignore_robots",
    # citation integrity: looked at after the verdicts, never changing one
    "drift", "drift_threshold", "preserve", "preserve_interval", "preserve_wait", "fix_drift",
    "fix_preserved", "ia_access_key", "ia_secret_key",
)  # fmt: skip


# --- 1. the result cache is keyed by what changes the verdict


def test_every_option_is_either_in_the_cache_key_or_said_not_to_be() -> None:
    """A new Options field has to be placed: one that changes verdicts and is left out
    of the key brings back issue #12's first bug."""
    fields = {field.name for field in dataclasses.fields(Options)}
    assert set(VERDICT_FIELDS) | set(NOT_VERDICT_FIELDS) == fields
    assert not set(VERDICT_FIELDS) & set(NOT_VERDICT_FIELDS)


@pytest.mark.parametrize(
    "changed",
    [
        {"check_fragments": True},
        {"soft_404": True},
        {"exclude_private": True},
        {"accept": ((200, 200),)},
        {"max_redirects": 1},
        {"user_agent": "Mozilla/5.0"},
        {"headers": (("Authorization", "Bearer a"),)},
        {"hosts": (HostRule("a.test", (("Cookie", "s=1"),)),)},
        {"shorteners": ("a.test",)},
        {"github_token": "ghp_x"},
        {"github_hosts": ("git.example",)},
    ],
)
def test_each_verdict_setting_changes_the_fingerprint(changed: dict[str, object]) -> None:
    assert verdict_fingerprint(Options(**changed)) != verdict_fingerprint(Options())  # type: ignore[arg-type]


def test_pacing_settings_do_not_change_the_fingerprint() -> None:
    paced = Options(timeout=3, retries=5, max_concurrency=2, host_interval=1, cache_max_age=5)
    assert verdict_fingerprint(paced) == verdict_fingerprint(Options())


@pytest.fixture
def site():
    page = b"<html><h1 id='here'>Here</h1></html>"
    routes = {
        "/page": Route(headers={"Content-Type": "text/html"}, body=page),
        "/hop1": redirect("/hop2"),
        "/hop2": redirect("/page"),
        "/created": Route(201),
    }
    with serve(routes) as server:
        yield server


@pytest.mark.parametrize(
    ("link", "first", "second", "verdict"),
    [
        ("/page#nowhere", [], ["--check-fragments"], "broken"),
        ("/hop1", [], ["--max-redirects", "1"], "unreachable"),
        ("/created", [], ["--accept", "200"], "broken"),
        ("/page", [], ["--exclude-private"], "excluded"),
    ],
)
def test_a_warm_cache_never_overrides_a_stricter_setting(
    site, tmp_path: Path, monkeypatch, capsys, link, first, second, verdict
) -> None:
    (tmp_path / "a.md").write_text(f"[a]({site.url(link)})\n")
    monkeypatch.chdir(tmp_path)
    flags = ["--no-progress", "--retries", "0", "--cache-path", "c.db", "--format", "json"]
    run([*flags, *first, "a.md"])
    assert json.loads(capsys.readouterr().out)["links"][0]["status"] in ("ok", "redirected")
    run([*flags, *second, "a.md"])
    assert json.loads(capsys.readouterr().out)["links"][0]["status"] == verdict
    # ... and the first settings still find their own verdict, without a request.
    site.hits.clear()
    run([*flags, *first, "a.md"])
    assert json.loads(capsys.readouterr().out)["links"][0]["status"] in ("ok", "redirected")
    assert not site.hits


def test_the_cache_holds_no_header_value(site, tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "a.md").write_text(f"[a]({site.url('/page')})\n")
    monkeypatch.chdir(tmp_path)
    run(["--no-progress", "--cache-path", "c.db", "--header", "X-Token: hdr-SECRET", "a.md"])
    capsys.readouterr()
    assert site.seen_headers[0][1]["x-token"] == "hdr-SECRET"
    assert b"hdr-SECRET" not in b"".join(p.read_bytes() for p in tmp_path.glob("c.db*"))


# --- 5. Ctrl-C and SIGTERM keep what was checked


def _ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a script's `linkcheck … &` starts it


@pytest.mark.parametrize(
    ("sent", "code", "parent"),
    [
        (signal.SIGINT, 130, None),
        (signal.SIGTERM, 143, None),
        (signal.SIGTERM, 143, _ignoring_sigint),
    ],
)
def test_an_interrupted_run_writes_a_partial_report_and_caches_what_it_checked(
    tmp_path: Path, sent: signal.Signals, code: int, parent: Callable[[], None] | None
) -> None:
    count = 40
    routes = {f"/p{n}": Route(delay=0.2) for n in range(count)}
    with serve(routes) as slow:
        (tmp_path / "a.md").write_text(
            "".join(f"[p{n}]({slow.url(f'/p{n}')})\n" for n in range(count))
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "linkcheck", "--no-progress", "--max-concurrency", "2",
             "--cache-path", "c.db", "--report", "json:r.json", "a.md"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=parent,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while sum(slow.hits.values()) < 6 and time.monotonic() < deadline:
                time.sleep(0.02)
            process.send_signal(sent)
            out, err = process.communicate(timeout=20)
        finally:
            process.kill()
    assert process.returncode == code, err
    assert "Traceback" not in err
    assert err.endswith("target(s) not checked)\n")
    document = json.loads((tmp_path / "r.json").read_text())
    assert document["summary"]["partial"] is True
    statuses = [row["status"] for row in document["links"]]
    checked = statuses.count("ok")
    assert 4 <= checked < count and statuses.count("skipped") == count - checked
    skipped = [row for row in document["links"] if row["status"] == "skipped"]
    assert {row["reason"] for row in skipped} == {"not checked: interrupted"}
    assert "interrupted, partial report" in out  # the text report says so too
    with sqlite3.connect(tmp_path / "c.db") as db:
        assert db.execute("SELECT COUNT(*) FROM checks WHERE status = 'ok'").fetchone() == (
            checked,
        )
        assert db.execute("SELECT COUNT(*) FROM checks WHERE status != 'ok'").fetchone() == (0,)


def test_ctrl_c_while_articles_are_parsed_reports_those_read_and_waits_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from linkcheck import Report, check_async
    from linkcheck._api import NoProgress
    from linkcheck._extract import _articles

    monkeypatch.setattr(_articles, "FILES_PER_WORKER", 1000)  # parsed here, one at a time
    with serve({"/slow": Route(delay=3.0)}) as slow:
        for n in range(20):
            (tmp_path / f"a{n:02}.md").write_text(f"[s]({slow.url('/slow')}?{n})\n[here](#a)\n")
        monkeypatch.chdir(tmp_path)
        tasks: list[asyncio.Task[Report]] = []

        class CtrlCAfterFiveFiles(NoProgress):
            done = 0

            def file_done(self) -> None:
                self.done += 1
                if self.done == 5:
                    tasks[0].cancel()  # what asyncio.run does on SIGINT

        async def interrupted() -> Report:
            checking = check_async(["."], Options(), progress=CtrlCAfterFiveFiles())
            tasks.append(asyncio.ensure_future(checking))
            return await tasks[0]

        started = time.monotonic()
        report = asyncio.run(interrupted())
        elapsed = time.monotonic() - started
    assert report.partial and report.unread == 15
    assert report.files == tuple(f"a{n:02}.md" for n in range(5))
    remote = [
        (r.status.value, r.outcome.reason)
        for r in report.results
        if r.link.kind.value == "inline" and r.target and r.target.startswith("http")
    ]
    local = [r.status.value for r in report.results if r.link.url == "#a"]
    # Requests under way are not waited for; the articles read are checked in full.
    assert remote == [("skipped", "not checked: interrupted")] * 5
    assert local == ["broken"] * 5
    assert elapsed < 2.5  # the slow server's answers were not waited for


def test_a_report_of_a_whole_run_has_no_partial_field(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "a.md").write_text("[x](#)\n")
    monkeypatch.chdir(tmp_path)
    run(["--offline", "--format", "json", "a.md"])
    assert "partial" not in json.loads(capsys.readouterr().out)["summary"]


# --- 15. user patterns match in linear time


def test_a_catastrophic_exclude_pattern_does_not_stall_the_run(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    (tmp_path / "a.md").write_text("https://a.test/" + "a" * 50_000 + "!\n")
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    code = run(["--offline", "--exclude", "(a+)+$", "--include", "(x+x+)+y", "a.md"])
    assert time.monotonic() - started < 10  # Python's re: longer than the universe
    assert code == 0
    capsys.readouterr()


@pytest.mark.parametrize("flag", ["--exclude", "--include"])
def test_a_pattern_without_linear_time_matching_is_a_usage_error(flag: str, capsys) -> None:
    assert run(["--offline", flag, r"(a)\1", "."]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"linkcheck: error: {flag} has a bad regex '(a)\\\\1': ")
    assert "no backreferences or lookaround" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("pattern", "template", "text"),
    [
        (r"^/docs/(.*)\.html$", r"/src/\1.md", "/docs/guide/a.html"),
        (r"(?P<host>[a-z]+)\.test", r"\g<host>.example", "https://old.test/x"),
        (r"x(y)?", r"[\1]", "x and xy"),
        (r"a", r"\\", "banana"),
        (r"(a)(b)", r"\g<2>\g<1>", "abab"),
    ],
)
def test_remap_replaces_as_python_would(pattern: str, template: str, text: str) -> None:
    assert user_substitution(pattern, template)(text) == re.sub(pattern, template, text)


def test_remap_matches_in_linear_time_and_checks_its_groups() -> None:
    started = time.monotonic()
    assert user_substitution("(a+)+$", "z")("a" * 50_000 + "!") == "a" * 50_000 + "!"
    assert time.monotonic() - started < 5
    with pytest.raises(PatternError, match="refers to group '2'"):
        user_substitution("(a)", r"\2")


def test_a_merged_report_with_an_interrupted_shard_is_partial() -> None:
    from conftest import report_to_dict
    from linkcheck._merge import merge_reports
    from linkcheck._models import Report
    from linkcheck._report.load import report_from_dict

    whole, cut = (
        Report(files=("a.md",), results=()),
        Report(files=("b.md",), results=(), partial=True),
    )
    loaded = [report_from_dict(report_to_dict(r)) for r in (whole, cut)]
    assert [r.partial for r in loaded] == [False, True]
    assert merge_reports([("a.json", loaded[0]), ("b.json", loaded[1])]).partial
    assert not merge_reports([("a.json", loaded[0])]).partial
