"""The command line, in process: exit codes, formats, config files, one-line errors."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from linkcheck._cli import run

ARTICLE = """Cited [READ MORE](#) and <http://> and [a file](b.md) and bit.ly/3xYz.

[spare]: https://spare.example/
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(ARTICLE)
    (tmp_path / "b.md").write_text("# B\n")
    return tmp_path


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_and_exit_1(folder: Path, capsys) -> None:
    code, out, err = cli(["--offline", "--format", "json", "a.md"], capsys)
    report = json.loads(out)
    assert code == 1
    assert err == ""
    assert report["summary"] == {
        "files": 1,
        "links": 5,
        "unique_targets": 3,
        "statuses": {"placeholder": 2, "ok": 1, "skipped": 2},
        "failed": True,
    }
    first_line = ARTICLE.splitlines()[0]
    assert [(x["line"], x["column"], x["kind"], x["status"]) for x in report["links"]] == [
        (1, first_line.index("[READ") + 1, "inline", "placeholder"),
        (1, first_line.index("<http") + 1, "autolink", "placeholder"),
        (1, first_line.index("[a file") + 1, "inline", "ok"),
        (1, first_line.index("bit.ly") + 1, "bare", "skipped"),
        (3, 1, "reference", "skipped"),
    ]
    assert list(report["links"][0]) == [
        "file", "line", "column", "kind", "text", "url", "target", "status", "reason",
        "shortlink", "http_status", "final_url", "redirects",
    ]  # fmt: skip


def test_text_report_on_stdout_is_plain_when_not_a_terminal(folder: Path, capsys) -> None:
    code, out, _ = cli(["--offline", "a.md"], capsys)
    assert code == 1
    assert "\x1b[" not in out
    assert out.splitlines()[0] == "a.md"
    assert out.splitlines()[-1] == "5 links in 1 file: 2 placeholder, 1 ok, 2 skipped — failed"


def test_fail_on_changes_the_exit_code(folder: Path, capsys) -> None:
    assert cli(["--offline", "--fail-on", "broken", "a.md"], capsys)[0] == 0


def test_output_file_and_extra_reports(folder: Path, capsys) -> None:
    code, out, _ = cli(
        ["--offline", "--format", "json", "-o", "r.json", "--report", "text:r.txt", "a.md"], capsys
    )
    assert code == 1
    assert out == ""
    assert json.loads((folder / "r.json").read_text())["summary"]["links"] == 5
    assert (folder / "r.txt").read_text().endswith("— failed\n")


def test_stdin(folder: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"[x](#)\n")))
    code, out, _ = cli(["--offline", "--format", "json", "-"], capsys)
    assert code == 1
    assert json.loads(out)["links"][0]["file"] == "-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "linkcheck: error: No such option '--bogus'."),
        (["nope.md"], "linkcheck: error: path does not exist: nope.md"),
        (
            ["--fail-on", "brokn", "a.md"],
            "linkcheck: error: command line: 'fail_on' has unknown status 'brokn'",
        ),
        (
            ["--exclude", "(", "a.md"],
            "linkcheck: error: command line: 'exclude' has a bad regex '('",
        ),
        (["--accept", "2xx", "a.md"], "linkcheck: error: command line: 'accept' has '2xx'"),
        (["--report", "pdf:x", "a.md"], "linkcheck: error: --report takes FORMAT:PATH"),
        (["--timeout", "soon"], "linkcheck: error: Invalid value for '--timeout'"),
        (["-o", "missing/dir/r.json", "a.md"], "linkcheck: error: cannot write missing/dir/r.json"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(folder: Path, capsys, args, message) -> None:
    code, out, err = cli(["--offline", *args], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(message), err
    assert err.count("\n") == 1


def test_config_file_is_found_upward_and_the_command_line_wins(folder: Path, capsys) -> None:
    (folder / "linkcheck.toml").write_text(
        'offline = true\nformat = "json"\nfail_on = ["broken"]\n'
    )
    sub = folder / "sub"
    sub.mkdir()
    (sub / "c.md").write_text("[x](#)\n")
    os.chdir(sub)
    code, out, _ = cli(["c.md"], capsys)
    assert (code, json.loads(out)["summary"]["failed"]) == (0, False)
    code, out, _ = cli(["--fail-on", "placeholder", "c.md"], capsys)
    assert code == 1


def test_pyproject_table_is_read(folder: Path, capsys) -> None:
    (folder / "pyproject.toml").write_text(
        '[project]\nname="x"\n\n[tool.linkcheck]\noffline = true\nexclude = ["spare"]\n'
    )
    _, out, _ = cli(["--format", "json", "a.md"], capsys)
    spare = [x for x in json.loads(out)["links"] if x["url"] == "https://spare.example/"]
    assert spare[0]["status"] == "excluded"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max_concurency = 3\n", "linkcheck.toml: unknown key 'max_concurency' (did you mean 'max_concurrency'?)"),
        ("timeout = 'soon'\n", "linkcheck.toml: 'timeout' must be a number ≥ 0, not 'soon'"),
        ("offline = 1\n", "linkcheck.toml: 'offline' must be true or false, not 1"),
        ("exclude = [1]\n", "linkcheck.toml: 'exclude' must be a list of strings, not [1]"),
        ("offline = \n", "linkcheck.toml: invalid TOML: "),
        ("[[hosts]]\nmatch = 'a.example'\nheaders = { Authorization = 'Bearer ${NO_SUCH_VAR_X}' }\n",
         "linkcheck.toml: header 'Authorization' uses ${NO_SUCH_VAR_X}, which is not set"),
        ("[[hosts]]\nmach = 'a.example'\n", "linkcheck.toml: unknown key 'mach' in [[hosts]]"),
    ],
)  # fmt: skip
def test_config_errors_name_the_file_and_key(folder: Path, capsys, toml, message) -> None:
    (folder / "linkcheck.toml").write_text(toml)
    code, out, err = cli(["--offline", "a.md"], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"linkcheck: error: {message}"), err
    assert err.count("\n") == 1


def test_host_headers_expand_environment_variables(folder: Path, monkeypatch) -> None:
    from linkcheck._config import build_options, read_config

    monkeypatch.setenv("DOCS_TOKEN", "t0k")
    (folder / "linkcheck.toml").write_text(
        '[[hosts]]\nmatch = "docs.internal.example"\n'
        'headers = { Authorization = "Bearer ${DOCS_TOKEN}" }\nmax_concurrency = 2\n'
    )
    options = build_options(read_config(folder / "linkcheck.toml"), "linkcheck.toml", folder)
    (rule,) = options.hosts
    assert (rule.match, rule.headers, rule.max_concurrency) == (
        "docs.internal.example",
        (("Authorization", "Bearer t0k"),),
        2,
    )


def test_undecodable_file_is_warned_about_and_still_checked(folder: Path, capsys) -> None:
    (folder / "latin.md").write_bytes("Caf\xe9 [x](#)\n".encode("latin-1"))
    code, out, err = cli(["--offline", "--format", "json", "latin.md"], capsys)
    assert code == 1
    assert err == (
        "linkcheck: warning: latin.md: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252\n"
    )
    report = json.loads(out)
    assert report["links"][0]["status"] == "placeholder"
    assert report["errors"] == [
        {
            "file": "latin.md",
            "message": "not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252",
            "fatal": False,
        }
    ]


def test_version(capsys) -> None:
    code, out, _ = cli(["--version"], capsys)
    assert (code, out) == (0, "linkcheck, version 0.1.0\n")


def test_archive_is_ignored_offline_with_a_warning(folder: Path, capsys) -> None:
    code, _, err = cli(["--offline", "--archive", "a.md"], capsys)
    assert code == 1
    assert err == "linkcheck: warning: --archive needs the network; ignored with --offline\n"
