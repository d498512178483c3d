"""Sharding: `--shard I/N` checks one shard's hosts, `linkcheck merge` joins the shards'
JSON reports into exactly the report (and exit code) of the unsharded run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner, Result

from linkcheck import (
    Category,
    Classified,
    FileIssue,
    Kind,
    Link,
    LinkResult,
    Options,
    Outcome,
    Redirect,
    Report,
    Status,
    __version__,
    check,
    check_links,
    save_links,
)
from linkcheck._cli import command
from linkcheck._models import Archived, FixNote
from linkcheck._report import WRITERS
from linkcheck._report.json import write_json
from linkcheck._report.load import report_from_dict
from linkcheck._shard import Shard, ShardError, parse_shard, shard_of_host
from servers import Route, Server, redirect, serve

#: Six loopback addresses, six hosts to a client: their shards of 3 are 1, 1, 2, 2, 2, 3.
HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.7", "127.0.0.9", "127.0.0.10"]


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(command, args, catch_exceptions=False)


def one_error(result: Result) -> str:
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("linkcheck: error: ").rstrip("\n")


# --- which shard ----------------------------------------------------------------------


def test_a_host_has_one_shard_on_every_machine() -> None:
    # sha1 of the lowercased host: these values are the same in every process and release.
    assert [shard_of_host(h, 3) for h in HOSTS] == [1, 1, 2, 2, 2, 3]
    assert shard_of_host("Example.COM", 4) == shard_of_host("example.com", 4) == 1
    assert {shard_of_host(h, 1) for h in HOSTS} == {1}


def item(category: Category, target: str | None) -> Classified:
    return Classified(Link("a.md", 1, 1, Kind.INLINE, "x", target or ""), category, target)


def test_remote_links_by_host_and_everything_else_in_shard_1() -> None:
    remote = item(Category.REMOTE, "http://127.0.0.10:8080/a")  # shard 3 of 3
    same_host = item(Category.REMOTE, "https://127.0.0.10/other")
    local = item(Category.LOCAL, "b.md")
    placeholder = item(Category.PLACEHOLDER, None)
    owners = [
        [i for i in (1, 2, 3) if Shard(i, 3).owns(x)]
        for x in (remote, same_host, local, placeholder)
    ]
    assert owners == [[3], [3], [1], [1]]


@pytest.mark.parametrize(
    ("text", "environ", "shard"),
    [
        ("2/4", {}, Shard(2, 4)),
        (" 1/1 ", {}, Shard(1, 1)),
        ("auto", {"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "5"}, Shard(3, 5)),
        ("auto/4", {"JOB_COMPLETION_INDEX": "0"}, Shard(1, 4)),
        ("auto/4", {"JOB_COMPLETION_INDEX": "3"}, Shard(4, 4)),
        ("auto/2", {"CI_NODE_INDEX": "2"}, Shard(2, 2)),
    ],
)
def test_shards_given_or_read_from_the_job_engine(
    text: str, environ: dict[str, str], shard: Shard
) -> None:
    assert parse_shard(text, environ) == shard


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        ("0/3", {}, "'0/3': shard 0 is not between 1 and 3"),
        ("4/3", {}, "'4/3': shard 4 is not between 1 and 3"),
        ("1/0", {}, "'1/0': the number of shards must be at least 1, not 0"),
        ("two", {}, "'two' is not a shard: use I/N (e.g. 2/4), auto or auto/N"),
        (
            "auto",
            {},
            "auto needs CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel:) "
            "or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with auto/N)",
        ),
        (
            "auto",
            {"CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "2"},
            "CI_NODE_INDEX must be a whole number, not 'x'",
        ),
        (
            "auto",
            {"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "2"},
            "CI_NODE_INDEX/CI_NODE_TOTAL: shard 3 is not between 1 and 2",
        ),
        (
            "auto",
            {"JOB_COMPLETION_INDEX": "1"},
            "JOB_COMPLETION_INDEX is set but not the total: use auto/N",
        ),
        (
            "auto/2",
            {"JOB_COMPLETION_INDEX": "2"},
            "JOB_COMPLETION_INDEX: shard 3 is not between 1 and 2",
        ),
    ],
)
def test_a_bad_shard_is_one_line(text: str, environ: dict[str, str], message: str) -> None:
    with pytest.raises(ShardError) as caught:
        parse_shard(text, environ)
    assert str(caught.value) == message


def test_a_bad_shard_on_the_command_line_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("CI_NODE_INDEX", "CI_NODE_TOTAL", "JOB_COMPLETION_INDEX"):
        monkeypatch.delenv(name, raising=False)
    assert (
        one_error(invoke(["--shard", "3/2", "."]))
        == "--shard: '3/2': shard 3 is not between 1 and 2"
    )
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "7")
    assert one_error(invoke(["--shard", "auto/4", "."])) == (
        "--shard: JOB_COMPLETION_INDEX: shard 8 is not between 1 and 4"
    )
    (tmp_path / "linkcheck.toml").write_text('shard = "auto"\n')
    assert one_error(invoke(["."])) == (
        "linkcheck.toml: 'shard': JOB_COMPLETION_INDEX is set but not the total: use auto/N"
    )


# --- sharded runs merged equal the single run ------------------------------------------


@pytest.fixture
def hosts() -> Iterator[list[Server]]:
    """A loopback server on each of HOSTS: working pages, a 404, redirects, a 500."""
    with ExitStack() as stack:
        servers = []
        for number, host in enumerate(HOSTS):
            routes = {
                "/ok": Route(200, {"Content-Type": "text/html"}, b"<p>ok</p>"),
                "/gone": Route(404),
                "/moved": redirect("/ok"),
                "/error": Route(500),
            }
            servers.append(stack.enter_context(serve(routes, host=host, lifetime=60)))
            if number:  # each host's /away leads to the previous host: redirects cross hosts
                routes["/away"] = redirect(servers[number - 1].url("/ok"), 302)
        yield servers


def corpus(root: Path, servers: list[Server]) -> None:
    (root / "news").mkdir()
    for number, server in enumerate(servers):
        lines = [f"# Story {number}", ""]
        for path in ("/ok", "/gone", "/moved", "/error", "/away", "/ok#top"):
            lines.append(f"Cited [{path}]({server.url(path)}) and <{server.url('/ok')}>.")
        other = servers[(number + 1) % len(servers)]
        lines += [
            f"Also {other.url('/gone')} in running text.",
            "[READ MORE](#) and <http://> and [the index](../index.md) and [gone](../nope.md)",
            f"[undefined][nowhere], [ref][r], mailto:desk@news.example, [skip]({server.url('/skip')})",
            "",
            f"[r]: {server.url('/moved')}",
            f"[unused]: {server.url('/ok')}",
        ]
        (root / "news" / f"story-{number}.md").write_text("\n".join(lines) + "\n")
    (root / "index.md").write_text("# Index\n\nSee [the first story](news/story-0.md#story-0).\n")
    (root / "news" / "binary.md").write_bytes(b"\x00\x01not markdown")


COMMON = ["--no-cache", "--no-progress", "--retries", "0", "--timeout", "5", "--exclude", "/skip$"]


def test_three_shards_merged_are_the_single_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hosts: list[Server]
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus(tmp_path, hosts)
    single = invoke([*COMMON, "--format", "json", "-o", "single.json", "."])
    shards = [
        invoke([*COMMON, "--shard", f"{i}/3", "--format", "json", "-o", f"shard-{i}.json", "."])
        for i in (1, 2, 3)
    ]
    merged = invoke(
        ["merge", "--format", "json", "-o", "merged.json", *(f"shard-{i}.json" for i in (1, 2, 3))]
    )

    # Nothing legitimately differs: the merged report is the single run's, byte for byte.
    assert (tmp_path / "merged.json").read_text() == (tmp_path / "single.json").read_text()
    assert single.exit_code == merged.exit_code == 1
    report = json.loads((tmp_path / "single.json").read_text())
    statuses = report["summary"]["statuses"]
    assert statuses == {
        "broken": 31, "placeholder": 12, "redirected": 17, "ok": 61, "excluded": 6, "skipped": 6,
    }  # fmt: skip
    assert report["errors"] == [
        {"file": "news/binary.md", "message": "binary file (NUL bytes), not read", "fatal": True}
    ]

    # Each shard checked only its own hosts, every host was checked by one shard, and
    # local and network-free links were shard 1's.
    remote_hosts: list[set[str]] = []
    for i in (1, 2, 3):
        document = json.loads((tmp_path / f"shard-{i}.json").read_text())
        assert document["summary"]["shard"] == {"index": i, "total": 3}
        assert document["files"] == report["files"] and document["errors"] == report["errors"]
        rows = document["links"]
        remote_hosts.append({urlsplit(r["target"]).hostname for r in rows if _remote(r)})
        others = [r for r in rows if not _remote(r)]
        assert bool(others) == (i == 1)
        assert shards[i - 1].exit_code == 1  # every shard has a 404 of its own
    assert remote_hosts == [{HOSTS[0], HOSTS[1]}, {HOSTS[2], HOSTS[3], HOSTS[4]}, {HOSTS[5]}]


def _remote(row: dict[str, object]) -> bool:
    return str(row["target"]).startswith("http://") and row["status"] != "excluded"


def test_merge_writes_any_format_with_the_single_runs_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hosts: list[Server]
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus(tmp_path, hosts)
    passing = [*COMMON, "--fail-on", "timeout", "--exclude-path", "binary.md"]
    single = invoke([*passing, "--format", "sarif", "."])
    for i in (1, 2):
        invoke([*passing, "--shard", f"{i}/2", "--format", "json", "-o", f"s{i}.json", "."])
    merged = invoke(
        ["merge", "--format", "sarif", "--report", "text:merged.out", "s1.json", "s2.json"]
    )
    assert (single.exit_code, merged.exit_code) == (0, 0)
    assert merged.stdout == single.stdout
    text = invoke([*passing, "."]).stdout
    assert (tmp_path / "merged.out").read_text() == text
    assert text.endswith(
        "133 links in 7 files: 31 broken, 12 placeholder, 17 redirected, 61 ok, 6 excluded, 6 skipped — passed\n"
    )


# --- merge's input and its command line -------------------------------------------------


def shard_report(tmp_path: Path, name: str, shard: str | None, fail_on: str = "broken") -> str:
    (tmp_path / "a.md").write_text("[x](#)\n")
    args = ["--offline", "--no-cache", "--format", "json", "-o", name, "--fail-on", fail_on]
    assert invoke([*args, *(["--shard", shard] if shard else []), "a.md"]).exit_code in (0, 1)
    return name


def test_merge_refuses_what_is_not_one_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = shard_report(tmp_path, "one.json", "1/3")
    two = shard_report(tmp_path, "two.json", "2/3")
    three = shard_report(tmp_path, "three.json", "3/3")
    plain = shard_report(tmp_path, "plain.json", None)
    other = shard_report(tmp_path, "other.json", "2/3", fail_on="broken,placeholder")
    (tmp_path / "notes.json").write_text('{"version": 1, "tool": "lychee"}')
    (tmp_path / "broken.json").write_text(
        '{"version": 1, "tool": "linkcheck 0.1.0", "summary": {}, "links": [{"file": 3}]}'
    )
    (tmp_path / "text.json").write_bytes(b"\xff\xfe not json")
    (tmp_path / "copy.json").write_bytes((tmp_path / plain).read_bytes())
    (tmp_path / "two-again.json").write_bytes((tmp_path / two).read_bytes())
    cases = {
        (one, two): "shard 3 of 3 missing: merge every shard",
        (one, two, "two-again.json", three): "two-again.json and two.json are both shard 2/3",
        (one, two, two, three): "two.json is given twice (as two.json too)",
        # The same unsharded report twice would double every row.
        (plain, plain): "plain.json is given twice (as plain.json too)",
        (plain, "copy.json"): "copy.json and plain.json both report a.md:1:1: they are not "
        "parts of one run",
        (one, plain): "plain.json is not a shard's report, but one.json is",
        (one, other, three): "other.json fails on other statuses than one.json (fail_on)",
        ("notes.json",): "notes.json is not a linkcheck JSON report: no 'tool': 'linkcheck …'",
        ("broken.json",): "broken.json is not a linkcheck JSON report: 3 is not a string",
        ("missing.json",): "cannot read missing.json: No such file or directory",
    }
    for files, message in cases.items():
        assert one_error(invoke(["merge", *files])) == message
        # The streamed JSON merge refuses the same, before it writes anything.
        assert one_error(invoke(["merge", "--format", "json", *files])) == message
    assert one_error(invoke(["merge", "text.json"])).startswith(
        "text.json is not a linkcheck JSON report: 'utf-8' codec can't decode byte 0xff"
    )
    assert one_error(invoke(["merge"])) == "Missing argument 'REPORT.json...'."
    assert invoke(["merge", one, two, three]).exit_code == 0  # `#` fails only on placeholder
    assert invoke(["merge", plain]).exit_code == 0


def test_merge_is_a_subcommand_only_as_the_first_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "merge").mkdir()
    (tmp_path / "merge" / "a.md").write_text("[x](#)\n")
    checked = invoke(["--offline", "--no-cache", "./merge"])
    assert (checked.exit_code, checked.stdout.splitlines()[-1]) == (
        1,
        "1 link in 1 file: 1 placeholder — failed",
    )
    assert invoke(["--offline", "--no-cache", "merge"]).exit_code == 1  # a path after options
    helped = invoke(["merge", "--help"])
    assert helped.stdout.startswith("Usage: linkcheck merge [OPTIONS] REPORT.json...\n")
    assert "linkcheck merge REPORT.json" in invoke(["--help"]).stdout


def test_a_json_report_reads_back_into_the_same_report() -> None:
    """Every field a writer uses survives write → load → write, byte for byte."""
    moved = Outcome(Status.REDIRECTED, http_status=200, redirects=(Redirect(301, "https://b/"),))
    results = (
        LinkResult(
            Link("a.md", 1, 5, Kind.BARE, "bit.ly/x", "bit.ly/x"), "http://bit.ly/x", True, moved,
            fix=FixNote("https://b.example/", "shortlink", True),
        ),
        LinkResult(Link("a.md", 2, 1, Kind.IMAGE, "café “x”\x1b", "img.png"), "img.png", False, Outcome(Status.OK)),
        LinkResult(
            Link("b.md", 3, 7, Kind.REFERENCE, "t", "https://slow.example/"), "https://slow.example/",
            False, Outcome(Status.TIMEOUT, "no response", flaky=True),
            archive=Archived("https://web.archive.org/web/2015/x", "20150101000000"),
        ),
        LinkResult(
            Link("b.md", 4, 1, Kind.INLINE, "t", "https://gone.example/"), "https://gone.example/",
            False, Outcome(Status.BROKEN, "404 Not Found", 404), archive=Archived(),
        ),
    )  # fmt: skip
    report = Report(
        files=("a.md", "b.md", "c.md"),
        results=results,
        file_issues=(FileIssue("c.md", "binary"), FileIssue("b.md", "cp1252", fatal=False)),
        fail_on=frozenset({Status.BROKEN, Status.TIMEOUT}),
        dates={"a.md": ("2015-06-01", "front matter"), "b.md": (None, "none")},
        shard=Shard(2, 5),
        generators=(("jekyll", "_config.yml"), ("mkdocs", "docs/mkdocs.yml")),
    )
    first = StringIO()
    write_json(report, first)
    again = StringIO()
    write_json(report_from_dict(json.loads(first.getvalue())), again)
    assert again.getvalue() == first.getvalue()


def test_a_field_added_later_is_read_into_the_link_or_outcome_it_names() -> None:
    row = {
        "file": "a.md", "line": 1, "column": 1, "kind": "reference", "text": "x", "url": "",
        "target": None, "status": "broken", "reason": "no definition", "shortlink": False,
        "http_status": None, "final_url": None, "redirects": [],
        "undefined": True, "someday": "ignored",
    }  # fmt: skip
    document = {"version": 1, "tool": "linkcheck 9.9.9", "summary": {}, "links": [row]}
    (result,) = report_from_dict(document).results
    assert (result.link.undefined, result.status) == (True, "broken")


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("format_name", sorted(WRITERS))
def test_merged_shards_write_every_format_as_the_single_run(
    format_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTML page also says how the run was made (its options), which the shards'
    JSON does not carry: for it, the same verdict and the same links, not the same bytes."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    args = ["--offline", "--no-cache", "--no-progress", "fixtures"]
    single = invoke([*args, "--format", format_name])
    for i in (1, 2, 3):
        invoke([*args, "--shard", f"{i}/3", "--format", "json", "-o", f"{i}.json"])
    merged = invoke(["merge", "--format", format_name, "1.json", "2.json", "3.json"])
    assert merged.exit_code == single.exit_code == 1
    if format_name == "html":
        assert merged.stdout.startswith("<!DOCTYPE html>")
        assert merged.stdout.count("harbour-talks.md") == single.stdout.count("harbour-talks.md")
    else:
        assert merged.stdout == single.stdout


# --- a sharded run in two stages: each article parsed once -------------------------------


@pytest.mark.parametrize("name", ["links.jsonl", "links.jsonl.gz"])
def test_two_stages_merged_are_the_single_run(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hosts: list[Server]
) -> None:
    monkeypatch.chdir(tmp_path)
    corpus(tmp_path, hosts)
    single = invoke([*COMMON, "--format", "json", "-o", "single.json", "."])
    saved = invoke([*COMMON, "--save-links", name, "."])
    assert (saved.exit_code, saved.stdout) == (0, "")
    assert "news/binary.md: binary file" in saved.stderr
    # Stage 2 reads no article: the tree may be gone (its settings stay: the same flags).
    shutil.rmtree(tmp_path / "news")
    (tmp_path / "index.md").unlink()
    shards = [
        invoke([*COMMON, "--links-from", name, "--shard", f"{i}/3", "--format", "json"])
        for i in (1, 2, 3)
    ]
    for i, shard in enumerate(shards, 1):
        assert shard.exit_code == 1
        (tmp_path / f"shard-{i}.json").write_text(shard.stdout)
    merged = invoke(
        ["merge", "--format", "json", "-o", "merged.json", *(f"shard-{i}.json" for i in (1, 2, 3))]
    )
    assert (tmp_path / "merged.json").read_text() == (tmp_path / "single.json").read_text()
    assert single.exit_code == merged.exit_code == 1
    whole = invoke([*COMMON, "--links-from", name, "--format", "json", "-o", "whole.json"])
    assert (tmp_path / "whole.json").read_text() == (tmp_path / "single.json").read_text()
    assert whole.exit_code == 1

    # Each shard's report is the one-stage shard's: its own hosts, and shard 1 the rest.
    remote_hosts = []
    for i in (1, 2, 3):
        rows = json.loads((tmp_path / f"shard-{i}.json").read_text())["links"]
        remote_hosts.append({urlsplit(r["target"]).hostname for r in rows if _remote(r)})
        assert bool([r for r in rows if not _remote(r)]) == (i == 1)
    assert remote_hosts == [{HOSTS[0], HOSTS[1]}, {HOSTS[2], HOSTS[3], HOSTS[4]}, {HOSTS[5]}]


def test_a_links_file_keeps_no_credential_and_says_what_it_could_not_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(
        "# A\n\n[signed](https://s3.example/f?X-Amz-Signature=feedface) "
        "[mine](https://me:hunter2@example.test/) [here](#a) [nope](#b)\n"
    )
    assert invoke(["--no-cache", "--save-links", "l.jsonl", "a.md"]).exit_code == 0
    written = (tmp_path / "l.jsonl").read_text()
    assert "feedface" not in written and "hunter2" not in written
    shown = invoke(["--no-cache", "--links-from", "l.jsonl", "--format", "json"])
    rows = json.loads(shown.stdout)["links"]
    assert [(r["status"], r["reason"] and r["reason"][:24]) for r in rows] == [
        ("skipped", "its URL carries a creden"),
        ("skipped", "its URL carries a creden"),
        ("ok", None),
        ("broken", "no heading or anchor #b "),
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            lambda text: text.rsplit("\n", 2)[0] + "\n",
            "l.jsonl is cut off (no end line): write it again",
        ),
        (
            lambda text: text.replace('"version":1', '"version":9', 1),
            "l.jsonl is links file version 9, this linkcheck reads version 1",
        ),
        (
            lambda text: text.replace(f'"linkcheck {__version__}"', '"linkcheck 0.0.9"', 1),
            "l.jsonl was written by linkcheck 0.0.9, not by this linkcheck",
        ),
        (
            lambda text: '{"version": 1}\n',
            "l.jsonl is not a linkcheck links file (see --save-links)",
        ),
        (lambda text: "\x00\xff", "l.jsonl is not a linkcheck links file"),
        (
            lambda text: text.replace("[0,", '["a.md",', 1),
            "l.jsonl is not a linkcheck links file: ",
        ),
        (
            lambda text: text.replace('{"end":', '{"end":9', 1),
            "l.jsonl is not a linkcheck links file: ",
        ),
    ],
)
def test_a_links_file_not_whole_or_not_ours_is_one_line(
    written, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[x](#) [y](https://a.test/)\n")
    assert invoke(["--no-cache", "--save-links", "l.jsonl", "a.md"]).exit_code == 0
    path = tmp_path / "l.jsonl"
    path.write_text(written(path.read_text()), encoding="latin-1")
    assert one_error(invoke(["--no-cache", "--links-from", "l.jsonl"])).startswith(message)


def test_a_links_file_cut_or_damaged_when_gzipped_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[x](#) [y](https://a.test/)\n")
    assert invoke(["--no-cache", "--save-links", "l.jsonl.gz", "a.md"]).exit_code == 0
    data = (tmp_path / "l.jsonl.gz").read_bytes()
    assert data[:2] == b"\x1f\x8b"
    (tmp_path / "l.jsonl.gz").write_bytes(data[: len(data) // 2])
    assert one_error(invoke(["--no-cache", "--links-from", "l.jsonl.gz"])) == (
        "l.jsonl.gz is cut off or damaged: write it again"
    )


def test_stage_2_with_other_settings_or_articles_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[x](#) [y](https://a.test/)\n")
    assert invoke(["--no-cache", "--offline", "--save-links", "l.jsonl", "a.md"]).exit_code == 0
    stage_2 = ["--no-cache", "--links-from", "l.jsonl"]
    for other in ([], ["--exclude", "a"], ["--fail-on", "ok"], ["--check-fragments"]):
        with_offline = ["--offline", *other] if other else other
        assert one_error(invoke([*stage_2, *with_offline])).startswith(
            "l.jsonl was written with other settings"
        )
    # What each job sets for itself may differ: its shard, its pacing, its cache.
    paced = ["--offline", "--links-from", "l.jsonl", "--timeout", "1", "--retries", "0"]
    for shard in ("1/2", "2/2"):
        assert invoke(["--cache-path", "c.db", *paced, "--shard", shard]).exit_code in (0, 1)
    assert one_error(invoke(["--no-cache", "--links-from", "l.jsonl", "a.md"])) == (
        "--links-from reads no article: give no PATH"
    )
    assert one_error(invoke(["--save-links", "m.jsonl", "--shard", "1/2", "a.md"])) == (
        "--save-links writes every shard's links: not with --shard"
    )
    assert one_error(invoke(["--save-links", "m.jsonl", "-o", "r.json", "a.md"])) == (
        "--save-links writes no report: not with -o or --report"
    )
    assert one_error(invoke(["--save-links", "m.jsonl", "--links-from", "l.jsonl"])) == (
        "--save-links and --links-from are the two stages: not both"
    )


SITES = Path(__file__).resolve().parent / "sites"


@pytest.mark.parametrize("folder", [FIXTURES, *sorted(p for p in SITES.iterdir() if p.is_dir())])
def test_two_stages_in_the_api_give_the_single_runs_report(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every input format, site generator, reference, footnote and anchor of the
    fixtures: stage 2's report is the single run's, from the links file alone."""
    shutil.copytree(folder, tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    options = Options(offline=True)
    expected = StringIO()
    write_json(check(["tree"], options), expected)
    issues = save_links(["tree"], "links.jsonl", options)
    shutil.rmtree(tmp_path / "tree")
    report = check_links("links.jsonl", options)
    assert report.file_issues == issues
    shown = StringIO()
    write_json(report, shown)
    assert shown.getvalue() == expected.getvalue()
    assert report.results  # something was compared
