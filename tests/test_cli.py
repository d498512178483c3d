"""The command line, in process with click's CliRunner: exit codes, formats, one-line errors.

Tests marked `full run` go through every stage (discover → report); the rest feed the
CLI a hand-built Report, so they test the CLI alone.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import linkcheck._cli as cli_module
from linkcheck import FileIssue, Kind, Link, LinkResult, Outcome, Report, Status
from linkcheck._cli import command, run
from linkcheck._report import WRITERS

ARTICLE = """Cited [READ MORE](#) and <http://> and [a file](b.md) and bit.ly/3xYz.

[spare]: https://spare.example/
"""
FIRST_LINE = ARTICLE.splitlines()[0]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "a.md").write_text(ARTICLE)
    (tmp_path / "b.md").write_text("# B\n")
    return tmp_path


def invoke(args: list[str], **kw: object) -> Result:
    # click ≥ 8.2 keeps stderr apart from stdout: result.stdout / result.stderr.
    return CliRunner().invoke(command, args, catch_exceptions=False, **kw)  # type: ignore[arg-type]


def one_error(result: Result) -> str:
    """The one line a usage or config error prints, after checking it is the only output."""
    assert (result.exit_code, result.stdout) == (2, ""), result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("linkcheck: error: ")
    return result.stderr.removeprefix("linkcheck: error: ").rstrip("\n")


# --- full runs ------------------------------------------------------------------------


def test_json_report_and_exit_1(folder: Path) -> None:
    result = invoke(["--offline", "--format", "json", "a.md"])
    assert (result.exit_code, result.stderr) == (1, "")
    report = json.loads(result.stdout)
    assert report["summary"] == {
        "files": 1,
        "links": 5,
        "unique_targets": 3,
        "statuses": {"placeholder": 2, "ok": 1, "skipped": 2},
        "failed": True,
        "generator": {"name": "github", "from": None},
        "fail_on": ["broken", "placeholder", "invalid", "timeout", "unreachable"],
    }
    assert [(x["line"], x["column"], x["kind"], x["status"]) for x in report["links"]] == [
        (1, FIRST_LINE.index("[READ") + 1, "inline", "placeholder"),
        (1, FIRST_LINE.index("<http") + 1, "autolink", "placeholder"),
        (1, FIRST_LINE.index("[a file") + 1, "inline", "ok"),
        (1, FIRST_LINE.index("bit.ly") + 1, "bare", "skipped"),
        (3, 1, "reference", "skipped"),
    ]


def test_text_report_on_stdout_is_plain_when_not_a_terminal(folder: Path) -> None:
    result = invoke(["--offline", "a.md"])
    assert result.exit_code == 1
    assert result.stdout == (
        "a.md:1:7   placeholder  #  “READ MORE” — link target is only '#'\n"
        "a.md:1:26  placeholder  http:// — URL has no host\n"
        "a.md:1:59  skipped      bit.ly/3xYz  (shortlink) — remote links are not checked with --offline\n"
        "\n"
        "5 links in 1 file: 2 placeholder, 1 ok, 2 skipped — failed\n"
    )


def test_a_passing_run_exits_0(folder: Path) -> None:
    result = invoke(["--offline", "b.md"])
    assert (result.exit_code, result.stdout) == (
        0,
        "0 links in 1 file: nothing to check — passed\n",
    )


def test_fail_on_replaces_the_failing_set(folder: Path) -> None:
    assert invoke(["--offline", "--fail-on", "broken", "a.md"]).exit_code == 0
    assert invoke(["--offline", "--fail-on", "skipped", "b.md", "a.md"]).exit_code == 1


def test_exclude_and_include(folder: Path) -> None:
    result = invoke(["--offline", "--format", "json", "--exclude", "spare|bit", "a.md"])
    statuses = {x["url"]: x["status"] for x in json.loads(result.stdout)["links"]}
    assert statuses["https://spare.example/"] == statuses["bit.ly/3xYz"] == "excluded"
    result = invoke(
        ["--offline", "--format", "json", "--exclude", "spare|bit", "--include", "bit", "a.md"]
    )
    statuses = {x["url"]: x["status"] for x in json.loads(result.stdout)["links"]}
    assert (statuses["https://spare.example/"], statuses["bit.ly/3xYz"]) == ("excluded", "skipped")


def test_output_file_and_extra_reports_in_one_run(folder: Path) -> None:
    result = invoke(
        ["--offline", "--format", "json", "-o", "r.json", "--report", "text:r.txt", "a.md"]
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert json.loads((folder / "r.json").read_text())["summary"]["links"] == 5
    assert (folder / "r.txt").read_text().endswith("2 skipped — failed\n")


def test_output_dash_is_stdout(folder: Path) -> None:
    result = invoke(["--offline", "--format", "json", "-o", "-", "a.md"])
    assert json.loads(result.stdout)["summary"]["files"] == 1


def test_stdin(folder: Path) -> None:
    result = invoke(["--offline", "--format", "json", "-"], input=b"[x](#)\n")
    assert result.exit_code == 1
    assert [(x["file"], x["status"]) for x in json.loads(result.stdout)["links"]] == [
        ("-", "placeholder")
    ]


def test_quiet_prints_no_text_report_when_nothing_failed(folder: Path) -> None:
    assert invoke(["--offline", "-q", "b.md"]).stdout == ""
    assert invoke(["--offline", "-q", "a.md"]).stdout.endswith("— failed\n")
    # A machine asked for JSON: it gets it, quiet or not.
    assert json.loads(invoke(["--offline", "-q", "--format", "json", "b.md"]).stdout)


def test_verbose_lists_every_link(folder: Path) -> None:
    lines = invoke(["--offline", "-v", "a.md"]).stdout.splitlines()
    assert "a.md:1:40  ok           b.md  “a file”" in lines
    assert (
        "a.md:3:1   skipped      https://spare.example/  “spare”  (unused definition: nothing cites it)"
        " — remote links are not checked with --offline" in lines
    )


def test_unreadable_and_undecodable_files_are_reported_and_the_run_goes_on(folder: Path) -> None:
    (folder / "latin.md").write_bytes("Caf\xe9 [x](#)\n".encode("latin-1"))
    (folder / "bin.md").write_bytes(b"\x00\x01[x](#)\x00")
    result = invoke(["--offline", "--format", "json", "latin.md", "bin.md", "b.md"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "linkcheck: warning: latin.md: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252",
        "linkcheck: error: bin.md: binary file (NUL bytes), not read",
    ]
    report = json.loads(result.stdout)
    assert [x["status"] for x in report["links"]] == ["placeholder"]
    assert report["errors"] == [
        {
            "file": "latin.md",
            "message": "not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252",
            "fatal": False,
        },
        {"file": "bin.md", "message": "binary file (NUL bytes), not read", "fatal": True},
    ]


def test_hostile_article_cannot_reach_the_terminal(folder: Path) -> None:
    (folder / "evil.md").write_text(
        "[\x1b\\[31mred \\[bold\\]x\\[/bold\\] \\[link=file:///etc/passwd\\]y\u202e](#)\n"
    )
    result = invoke(["--offline", "evil.md"])
    assert result.stdout.splitlines()[0] == (
        "evil.md:1:1  placeholder  #  “\\x1b[31mred [bold]x[/bold] [link=file:///etc/passwd]y"
        "\\u202e” — link target is only '#'"
    )


def test_config_file_is_found_upward_and_the_command_line_wins(folder: Path, monkeypatch) -> None:
    (folder / "linkcheck.toml").write_text(
        'offline = true\nformat = "json"\nfail_on = ["broken"]\n'
    )
    sub = folder / "sub"
    sub.mkdir()
    (sub / "c.md").write_text("[x](#)\n")
    monkeypatch.chdir(sub)
    result = invoke(["c.md"])
    assert (result.exit_code, json.loads(result.stdout)["summary"]["failed"]) == (0, False)
    assert invoke(["--fail-on", "placeholder", "c.md"]).exit_code == 1
    assert invoke(["--format", "text", "c.md"]).stdout.endswith("— passed\n")


def test_pyproject_table_is_read(folder: Path) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname="x"\n\n[tool.linkcheck]\noffline = true\nexclude = ["spare"]\n'
    )
    result = invoke(["--format", "json", "a.md"])
    spare = [x for x in json.loads(result.stdout)["links"] if x["url"] == "https://spare.example/"]
    assert spare[0]["status"] == "excluded"


def test_explicit_config_file(folder: Path) -> None:
    (folder / "linkcheck.toml").write_text("offline = 3\n")  # would be an error if read
    (folder / "ci.toml").write_text('offline = true\nfail_on = "broken"\n')
    assert invoke(["--config", "ci.toml", "a.md"]).exit_code == 0


# --- errors: exit 2, one line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "No such option '--bogus'. Did you mean '--verbose'?"),
        (["nope.md"], "path does not exist: nope.md"),
        (["--fail-on", "brokn", "a.md"], "--fail-on has unknown status 'brokn' (one of: broken, "),
        (["--exclude", "(", "a.md"], "--exclude has a bad regex '(': missing ), unterminated"),
        (["--accept", "2xx", "a.md"], "--accept has '2xx'; use codes and ranges like 200..299,403"),
        (["--accept", "299..200"], "--accept range '299..200' runs backwards"),
        (["--report", "pdf:x", "a.md"], "--report takes FORMAT:PATH with FORMAT one of "),
        (["--format", "pdf"], "Invalid value for '--format': 'pdf' is not one of "),
        (["--timeout", "soon"], "Invalid value for '--timeout': 'soon' is not a valid float."),
        (["--timeout", "0", "a.md"], "--timeout must be a number > 0, not 0.0"),
        (["--max-concurrency", "0"], "Invalid value for '--max-concurrency': 0 is not in the "),
        (["--header", "no colon"], "--header #1 has no ':'; use 'Name: value' (the value is not shown)"),
        (["--root-dir", "nowhere"], "--root-dir is not a folder: nowhere"),
        (["--config", "none.toml"], "none.toml: cannot read: No such file or directory"),
        (["-o", "missing/dir/r.json", "a.md"], "cannot write missing/dir/r.json: No such file or directory"),
        (["--report", "json:missing/r.json", "a.md"], "cannot write missing/r.json: No such file or directory"),
        (["-o", ".", "a.md"], "Invalid value for '-o' / '--output': File '.' is a directory."),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_and_exit_2(folder: Path, args, message) -> None:
    assert one_error(invoke(["--offline", *args])).startswith(message)


def test_an_unwritable_output_stops_the_run_before_it_starts(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_module, "check", lambda *a, **kw: pytest.fail("ran anyway"))
    one_error(invoke(["--offline", "-o", "missing/r.json", "a.md"]))


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max_concurency = 3\n", "linkcheck.toml: unknown key 'max_concurency' (did you mean 'max_concurrency'?)"),
        ("timeout = 'soon'\n", "linkcheck.toml: 'timeout' must be a number, not 'soon'"),
        ("offline = 1\n", "linkcheck.toml: 'offline' must be true or false, not 1"),
        ("exclude = [1]\n", "linkcheck.toml: 'exclude' must be a list of strings, not [1]"),
        ("exclude = ['(']\n", "linkcheck.toml: 'exclude' has a bad regex '('"),
        ("fail_on = ['brokn']\n", "linkcheck.toml: 'fail_on' has unknown status 'brokn'"),
        ("quiet = 'yes'\n", "linkcheck.toml: 'quiet' must be true or false, not 'yes'"),
        ("format = 'pdf'\n", "linkcheck.toml: 'format' must be one of "),
        ("offline = \n", "linkcheck.toml: invalid TOML: Invalid value (at line 1, column 11)"),
        ("[[hosts]]\nmach = 'a.example'\n", "linkcheck.toml: unknown key 'mach' in [[hosts]] (did you mean 'match'?)"),
    ],
)  # fmt: skip
def test_config_errors_name_the_file_and_key(folder: Path, toml, message) -> None:
    (folder / "linkcheck.toml").write_text(toml)
    assert one_error(invoke(["--offline", "a.md"])).startswith(message)


def test_a_bad_config_value_is_an_error_even_where_a_flag_wins(folder: Path) -> None:
    (folder / "linkcheck.toml").write_text("timeout = -1\n")
    assert one_error(invoke(["--offline", "--timeout", "5", "a.md"])) == (
        "linkcheck.toml: 'timeout' must be a number > 0, not -1"
    )


def test_errors_in_the_message_itself_are_inert(folder: Path) -> None:
    assert one_error(invoke(["no\x1b[2Jpe.md"])) == "path does not exist: no\\x1b[2Jpe.md"


# --- the CLI alone, over a hand-built report ------------------------------------------


def fake_report(*statuses: Status, issues: tuple[FileIssue, ...] = ()) -> Report:
    results = tuple(
        LinkResult(
            Link("a.md", n + 1, 1, Kind.INLINE, "café", f"https://x.example/{n}"),
            f"https://x.example/{n}",
            False,
            Outcome(status, None if status is Status.OK else "404 Not Found"),
        )
        for n, status in enumerate(statuses)
    )
    return Report(files=("a.md",), results=results, file_issues=issues)


@pytest.fixture
def fake_check(folder: Path, monkeypatch: pytest.MonkeyPatch):
    def use(report: Report) -> None:
        monkeypatch.setattr(cli_module, "check", lambda *a, **kw: report)

    return use


@pytest.mark.parametrize(
    ("statuses", "fail_on", "code"),
    [
        ((Status.OK,), None, 0),
        ((Status.OK, Status.BROKEN), None, 1),
        ((Status.BLOCKED, Status.RATE_LIMITED), None, 0),
        ((Status.BLOCKED,), "blocked", 1),
    ],
)
def test_exit_code_follows_the_report(fake_check, statuses, fail_on, code) -> None:
    report = fake_report(*statuses)
    if fail_on:
        report = Report(report.files, report.results, fail_on=frozenset({Status(fail_on)}))
    fake_check(report)
    result = invoke(["--format", "json"])
    assert (result.exit_code, json.loads(result.stdout)["summary"]["failed"]) == (code, bool(code))


def test_a_file_that_could_not_be_read_fails_the_run(fake_check) -> None:
    fake_check(fake_report(Status.OK, issues=(FileIssue("a.md", "permission denied"),)))
    result = invoke([])
    assert (result.exit_code, result.stderr) == (1, "linkcheck: error: a.md: permission denied\n")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_is_a_format(fake_check, name: str) -> None:
    fake_check(fake_report(Status.BROKEN))
    result = invoke(["--format", name])
    assert result.exit_code == 1
    assert result.stdout
    assert "\x1b" not in result.stdout


def test_stdout_is_utf8_for_machines_and_never_crashes_for_people(fake_check) -> None:
    fake_check(fake_report(Status.BROKEN))
    ascii_terminal = CliRunner(charset="ascii")
    result = ascii_terminal.invoke(command, ["--format", "json"], catch_exceptions=False)
    assert json.loads(result.stdout_bytes.decode("utf-8"))["links"][0]["text"] == "café"
    result = ascii_terminal.invoke(command, [], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout_bytes.decode("ascii").splitlines()[0] == (
        "a.md:1:1  broken  https://x.example/0  \\u201ccaf\\xe9\\u201d \\u2014 404 Not Found"
    )


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module._color_wanted(Terminal())
    assert not cli_module._color_wanted(StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_module._color_wanted(Terminal())


@pytest.mark.parametrize(
    ("terminal", "args", "shown"),
    [
        (False, [], False),
        (True, [], True),
        (True, ["-q"], False),
        (True, ["--no-progress"], False),
    ],
)
def test_progress_bar_only_on_a_terminal(fake_check, monkeypatch, terminal, args, shown) -> None:
    asked: list[bool] = []
    real = cli_module.progress_display

    def spy(enabled: bool):
        asked.append(enabled)
        return real(False)

    monkeypatch.setattr(cli_module, "progress_display", spy)
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: terminal)
    fake_check(fake_report(Status.OK))
    invoke(args)
    assert asked == [shown]


def test_progress_false_in_config_turns_the_bar_off(fake_check, folder, monkeypatch) -> None:
    (folder / "linkcheck.toml").write_text("progress = false\n")
    asked: list[bool] = []
    real = cli_module.progress_display
    monkeypatch.setattr(cli_module, "progress_display", lambda on: asked.append(on) or real(False))
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: True)
    fake_check(fake_report(Status.OK))
    invoke([])
    assert asked == [False]


def test_run_returns_the_exit_code(folder: Path, capsys) -> None:
    assert run(["--offline", "b.md"]) == 0
    assert run(["--bogus"]) == 2
    assert (
        capsys.readouterr().err
        == "linkcheck: error: No such option '--bogus'. Did you mean '--verbose'?\n"
    )


def test_version_and_help() -> None:
    result = invoke(["--version"])
    assert (result.exit_code, result.stdout) == (0, "linkcheck, version 0.1.0\n")
    result = invoke(["--help"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: linkcheck [OPTIONS] [PATHS]...")


def test_archive_is_ignored_offline_with_a_warning(folder: Path) -> None:
    result = invoke(["--offline", "--archive", "a.md"])
    assert result.exit_code == 1
    assert (
        result.stderr == "linkcheck: warning: --archive needs the network; ignored with --offline\n"
    )


def test_ctrl_c_is_one_line_and_exit_130(fake_check, monkeypatch) -> None:
    def interrupted(*args: object, **kw: object) -> Report:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "check", interrupted)
    result = invoke([])
    assert (result.exit_code, result.stdout) == (130, "")
    assert result.stderr.endswith("linkcheck: error: interrupted\n")
