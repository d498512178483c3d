"""Config files: where they are found, how each key is read, and one-line errors."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import trustme

from linkcheck import HostRule, Options, Status
from linkcheck._config import (
    CLI_KEYS,
    ConfigError,
    find_config,
    load_settings,
)
from linkcheck._shard import Shard

DOCS = Path(__file__).resolve().parents[1] / "docs" / "config.md"


def load_options(flags: dict[str, object], config_file: str | None, cwd: Path) -> Options:
    return load_settings(flags, config_file, cwd).options


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def error(text: str, tmp_path: Path, flags: dict[str, object] | None = None) -> str:
    write(tmp_path / "linkcheck.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_settings(flags or {}, None, tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- finding the file ------------------------------------------------------------------


def test_found_from_the_current_folder_upward(tmp_path: Path) -> None:
    top = write(tmp_path / "linkcheck.toml", "offline = true\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == top
    assert load_options({}, None, deep).offline is True


def test_linkcheck_toml_before_pyproject_in_one_folder_and_nearest_folder_first(
    tmp_path: Path,
) -> None:
    write(tmp_path / "linkcheck.toml", "timeout = 1\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.linkcheck]\ntimeout = 2\n")
    write(tmp_path / "sub" / "linkcheck.toml", "timeout = 3\n")
    assert load_options({}, None, tmp_path / "sub").timeout == 3
    (tmp_path / "sub" / "linkcheck.toml").unlink()
    assert load_options({}, None, tmp_path / "sub").timeout == 2


def test_a_pyproject_without_the_table_does_not_count(tmp_path: Path) -> None:
    write(tmp_path / "linkcheck.toml", "timeout = 1\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n[tool.ruff]\n")
    assert load_options({}, None, tmp_path / "sub").timeout == 1


def test_no_file_anywhere_means_defaults(tmp_path: Path) -> None:
    settings = load_settings({}, None, tmp_path)
    assert (settings.options, settings.cli, settings.config_file) == (Options(), {}, None)


def test_explicit_file_wins_over_discovery_and_pyproject_uses_its_table(tmp_path: Path) -> None:
    write(tmp_path / "linkcheck.toml", "timeout = 1\n")
    write(tmp_path / "ci" / "pyproject.toml", "timeout = 9\n[tool.linkcheck]\ntimeout = 5\n")
    settings = load_settings({}, "ci/pyproject.toml", tmp_path)
    assert (settings.options.timeout, settings.config_file) == (5.0, "ci/pyproject.toml")


# --- precedence and paths ----------------------------------------------------------------


def test_command_line_wins_key_by_key(tmp_path: Path) -> None:
    write(tmp_path / "linkcheck.toml", 'timeout = 5\nmax_concurrency = 4\nformat = "json"\n')
    settings = load_settings({"timeout": 1.5, "verbose": True}, None, tmp_path)
    assert (settings.options.timeout, settings.options.max_concurrency) == (1.5, 4)
    assert settings.cli == {"format": "json", "verbose": True}


def test_paths_in_a_file_are_relative_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    write(
        tmp_path / "linkcheck.toml",
        'root_dir = "site"\ncache_path = "c/db"\noutput = "r.json"\nreport = ["sarif:out/x.sarif"]\n',
    )
    settings = load_settings({}, None, tmp_path / "sub")
    assert settings.options.root_dir == str(tmp_path / "site")
    assert settings.options.cache_path == str(tmp_path / "c" / "db")
    assert settings.cli["output"] == str(tmp_path / "r.json")
    assert settings.cli["report"] == [("sarif", str(tmp_path / "out" / "x.sarif"))]


def test_paths_on_the_command_line_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    options = load_options({"root_dir": "site"}, None, tmp_path)
    assert options.root_dir == str(tmp_path / "site")


# --- every key ---------------------------------------------------------------------------


FULL = """
exclude_path = ["drafts", "*.draft.md"]
root_dir = "."
max_file_size = 1000
offline = true
exclude = ["^https://twitter\\\\.com/"]
include = ["twitter\\\\.com/keep"]
shorteners = ["go.corp.example"]
exclude_private = true
check_fragments = true
timeout = 7
max_concurrency = 32
max_per_host = 2
host_interval = 0.25
retries = 0
retry_backoff = 1
max_retry_wait = 5
max_redirects = 3
accept = "200..299,403"
user_agent = "bot/1"
cache_path = "cache.db"
cache_max_age = "12h"
cache_failures = true
flaky_threshold = 5
changed_since = "origin/main"
soft_404 = true
archive = true
archive_url = "https://mirror.example"
archive_interval = 2
article_date = "2015-06-01"
date_order = "mdy"
drift = true
drift_threshold = 0.4
preserve = true
preserve_interval = 3
preserve_wait = 30
fix_drift = true
fix_preserved = "robust-links"
ia_access_key = "ak"
ia_secret_key = "sk"
fail_on = ["broken", "blocked"]
recursive = true
max_depth = 3
max_pages = 50
ignore_robots = true
strict = true
hidden = true
no_ignore = true
generator = "mdbook"
remap = ["^https://old\\\\.example/ https://new.example/", ["^/v1/", "/v2/"]]
fallback_extensions = ["md", "html"]
index_files = ["index.md"]
base_url = "https://docs.example/"
extensions = [".MD", "txt"]
site = "."
shard = "2/3"
no_proxy_env = true
github_token = "gh-t0k"
github_hosts = ["github.example"]
insecure = true
ca_cert = "ca.pem"
cookie_jar = "cookies.txt"

[headers]
X-From = "ci"

[[hosts]]
match = "Docs.Internal.example"
headers = { Authorization = "Bearer ${LC_TEST_TOKEN}" }
max_concurrency = 2
interval = 0.5
"""


def test_every_options_field_is_a_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LC_TEST_TOKEN", "t0k")
    write(tmp_path / "linkcheck.toml", FULL)
    trustme.CA().cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    options = load_options({}, None, tmp_path)
    assert options == Options(
        exclude_path=("drafts", "*.draft.md"),
        root_dir=str(tmp_path),
        max_file_size=1000,
        offline=True,
        exclude=(r"^https://twitter\.com/",),
        include=(r"twitter\.com/keep",),
        shorteners=("go.corp.example",),
        exclude_private=True,
        check_fragments=True,
        timeout=7.0,
        max_concurrency=32,
        max_per_host=2,
        host_interval=0.25,
        retries=0,
        retry_backoff=1.0,
        max_retry_wait=5.0,
        max_redirects=3,
        accept=((200, 299), (403, 403)),
        user_agent="bot/1",
        headers=(("X-From", "ci"),),
        hosts=(HostRule("docs.internal.example", (("Authorization", "Bearer t0k"),), 2, 0.5),),
        cache_path=str(tmp_path / "cache.db"),
        cache_max_age=43200.0,
        cache_failures=True,
        flaky_threshold=5,
        changed_since="origin/main",
        soft_404=True,
        archive=True,
        archive_url="https://mirror.example",
        archive_interval=2.0,
        article_date="2015-06-01",
        date_order="mdy",
        drift=True,
        drift_threshold=0.4,
        preserve=True,
        preserve_interval=3.0,
        preserve_wait=30.0,
        fix_drift=True,
        fix_preserved="robust-links",
        ia_access_key="ak",
        ia_secret_key="sk",
        fail_on=frozenset({Status.BROKEN, Status.BLOCKED}),
        recursive=True,
        max_depth=3,
        max_pages=50,
        ignore_robots=True,
        strict=True,
        hidden=True,
        no_ignore=True,
        generator="mdbook",
        remap=((r"^https://old\.example/", "https://new.example/"), ("^/v1/", "/v2/")),
        fallback_extensions=("md", "html"),
        index_files=("index.md",),
        base_url="https://docs.example/",
        extensions=("md", "txt"),
        site=str(tmp_path),
        shard=Shard(2, 3),
        no_proxy_env=True,
        github_token="gh-t0k",
        github_hosts=("github.example",),
        insecure=True,
        ca_cert=str(tmp_path / "ca.pem"),
        cookie_jar=str(tmp_path / "cookies.txt"),
    )
    # The test covers every field: a new one must be added above, and readable.
    assert {f.name for f in dataclasses.fields(Options)} <= set(
        re.findall(r"^(\w+) =", FULL, re.M)
    ) | {"headers", "hosts"}


@pytest.mark.parametrize(
    ("raw", "ranges"),
    [
        ("200..299,403", ((200, 299), (403, 403))),
        ([200, "300 .. 308"], ((200, 200), (300, 308))),
        ("999", ((999, 999),)),
    ],
)
def test_accept_as_a_string_or_a_list(tmp_path: Path, raw, ranges) -> None:
    assert load_options({"accept": raw}, None, tmp_path).accept == ranges


def test_fail_on_as_a_comma_list_or_a_list(tmp_path: Path) -> None:
    assert load_options({"fail_on": "broken, timeout"}, None, tmp_path).fail_on == {
        Status.BROKEN,
        Status.TIMEOUT,
    }
    assert load_options({"fail_on": []}, None, tmp_path).fail_on == frozenset()


def test_header_flags_and_env_variables(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LC_TEST_TOKEN", "s3cret")
    options = load_options({"headers": ["X-A: 1: 2", "X-B:"]}, None, tmp_path)
    assert options.headers == (("X-A", "1: 2"), ("X-B", ""))
    write(tmp_path / "linkcheck.toml", '[headers]\nX-T = "a${LC_TEST_TOKEN}b"\n')
    assert load_options({}, None, tmp_path).headers == (("X-T", "as3cretb"),)


# --- errors: one line, file and key ---------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max_concurency = 3", "linkcheck.toml: unknown key 'max_concurency' (did you mean 'max_concurrency'?)"),
        ("zzz = 3", "linkcheck.toml: unknown key 'zzz'"),
        ("timeout = 'soon'", "linkcheck.toml: 'timeout' must be a number, not 'soon'"),
        ("timeout = 0", "linkcheck.toml: 'timeout' must be a number > 0, not 0"),
        ("timeout = nan", "linkcheck.toml: 'timeout' must be a number, not nan"),
        ("host_interval = -1", "linkcheck.toml: 'host_interval' must be a number ≥ 0, not -1"),
        ("max_concurrency = 0", "linkcheck.toml: 'max_concurrency' must be a whole number ≥ 1, not 0"),
        ("retries = 1.5", "linkcheck.toml: 'retries' must be a whole number ≥ 0, not 1.5"),
        ("retries = true", "linkcheck.toml: 'retries' must be a whole number ≥ 0, not True"),
        ("offline = 'yes'", "linkcheck.toml: 'offline' must be true or false, not 'yes'"),
        ("user_agent = 3", "linkcheck.toml: 'user_agent' must be a string, not 3"),
        ("exclude_path = [1]", "linkcheck.toml: 'exclude_path' must be a list of strings, not [1]"),
        ("include = ['[']", "linkcheck.toml: 'include' has a bad regex '[': unterminated character set at position 0"),
        ("fail_on = 'broken,oops'", "linkcheck.toml: 'fail_on' has unknown status 'oops' (one of: broken, placeholder, "),
        ("fail_on = 3", "linkcheck.toml: 'fail_on' must be a list of statuses, not 3"),
        ("accept = '2xx'", "linkcheck.toml: 'accept' has '2xx'; use codes and ranges like 200..299,403"),
        ("accept = [true]", "linkcheck.toml: 'accept' has 'True'; use codes and ranges like 200..299,403"),
        ("root_dir = 'nowhere'", "linkcheck.toml: 'root_dir' is not a folder: nowhere"),
        ("cache_max_age = 'soon'", "linkcheck.toml: 'cache_max_age': 'soon' is not a duration like 3600, 30m, 12h or 1d"),
        ("article_date = '2015-13-01'", "linkcheck.toml: 'article_date' must be a date YYYY-MM-DD, not '2015-13-01'"),
        ("date_order = 'ymd'", "linkcheck.toml: 'date_order' must be one of dmy, mdy, not 'ymd'"),
        ("headers = ['x']", "linkcheck.toml: 'headers' #1 has no ':'; use 'Name: value' (the value is not shown)"),
        ("headers = { 'Bad Name' = 'x' }", "linkcheck.toml: 'headers' has a bad header name 'Bad Name'"),
        ("headers = { X = 1 }", "linkcheck.toml: 'headers' must be a table of strings"),
        ("hosts = 3", "linkcheck.toml: 'hosts' must be an array of tables ([[hosts]])"),
        ("[[hosts]]\nheaders = {}", 'linkcheck.toml: every [[hosts]] needs match = "host"'),
        ("[[hosts]]\nmatch = 'a.example'\nmax_concurrency = 0", "linkcheck.toml: [[hosts]] 'a.example': 'max_concurrency' must be a whole number ≥ 1"),
        ("[[hosts]]\nmatch = 'a.example'\ninterval = 'often'", "linkcheck.toml: [[hosts]] 'a.example': 'interval' must be seconds ≥ 0"),
        ("[[hosts]]\nmatch = 'a.example'\nmax_conc = 1", "linkcheck.toml: unknown key 'max_conc' in [[hosts]] (did you mean 'max_concurrency'?)"),
        ("[tool.linkcheck]\noffline = true", "linkcheck.toml: unknown key 'tool' ([tool.linkcheck] is read from a pyproject.toml only; elsewhere, write its keys at the top level)"),
        ("[tool.other]\nx = 1", "linkcheck.toml: unknown key 'tool'"),
        ("format = 'pdf'", "linkcheck.toml: 'format' must be one of csv, github, html, json, junit, markdown, sarif, text, not 'pdf'"),
        ("report = ['pdf:x']", "linkcheck.toml: 'report' takes FORMAT:PATH with FORMAT one of "),
        ("verbose = 1", "linkcheck.toml: 'verbose' must be true or false, not 1"),
        ("output = 1", "linkcheck.toml: 'output' must be a path, not 1"),
        ("offline = ", "linkcheck.toml: invalid TOML: Invalid value (at line 1, column 11)"),
        ("[a]\nx = 1\n[a]", "linkcheck.toml: invalid TOML: Cannot declare ('a',) twice (at line 3, column 3)"),
    ],
)  # fmt: skip
def test_config_errors_are_one_line_naming_file_and_key(tmp_path: Path, toml, message) -> None:
    assert error(toml + "\n", tmp_path).startswith(message)


def test_a_missing_variable_is_named_and_no_value_is_shown(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("LC_NOT_SET", raising=False)
    monkeypatch.setenv("LC_SET", "visible-secret")
    message = error('[headers]\nX = "${LC_SET}${LC_NOT_SET}"\n', tmp_path)
    assert message == "linkcheck.toml: 'headers': header 'X' uses ${LC_NOT_SET}, which is not set"


def test_a_header_value_cannot_smuggle_a_line_break(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LC_SET", "a\r\nX-Evil: 1")
    assert error('[headers]\nX = "${LC_SET}"\n', tmp_path) == (
        "linkcheck.toml: 'headers': header 'X' has a line break in its value"
    )


def test_a_file_in_a_pyproject_is_named_as_such(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.linkcheck]\nofline = true\n")
    with pytest.raises(
        ConfigError, match=r"^pyproject.toml: unknown key 'ofline' \(did you mean 'offline'\?\)$"
    ):
        load_settings({}, None, tmp_path)


def test_a_file_outside_the_current_folder_is_named_by_its_path(tmp_path: Path) -> None:
    write(tmp_path / "linkcheck.toml", "offline = 1\n")
    with pytest.raises(ConfigError) as caught:
        load_settings({}, None, tmp_path / "deep" / "er")
    assert (
        str(caught.value)
        == f"{tmp_path.as_posix()}/linkcheck.toml: 'offline' must be true or false, not 1"
    )


def test_flags_are_named_as_flags(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^--max-per-host must be a whole number ≥ 1, not 0$"):
        load_settings({"max_per_host": 0}, None, tmp_path)
    with pytest.raises(ConfigError, match=r"^--shortener must be a list of strings"):
        load_settings({"shorteners": [3]}, None, tmp_path)


# --- the documentation keeps up ---------------------------------------------------------


def test_docs_name_every_key_once() -> None:
    """docs/config.md's table: `--flag` / `key` (or a lone `key`) in the first cell."""
    rows = [line for line in DOCS.read_text().splitlines() if line.startswith("| `")]
    documented = []
    for row in rows:
        cell = row.split(" | ")[0]
        documented += re.findall(r"/ `(\w+)`$", cell) or re.findall(r"^\| `(\w+)`$", cell)
    keys = {f.name for f in dataclasses.fields(Options)} | set(CLI_KEYS)
    assert sorted(documented) == sorted(keys)
