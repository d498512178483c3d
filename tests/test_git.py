"""--changed-since on CI's shallow checkouts: never a stopped build, one warning line.

Real git in tmp_path; the "remote" is a local repository cloned over file://, so nothing
leaves the machine.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck._cli import command


def git(cwd: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }  # fmt: skip
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args],
        cwd=cwd, check=True, capture_output=True, text=True, env=env, timeout=30,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    """main: one → two (two edits b.md); branch `old` stays at one."""
    repo = tmp_path / "upstream"
    repo.mkdir()
    git(repo, "init")
    (repo / "a.md").write_text("[a](#)\n")
    (repo / "b.md").write_text("[b](b.md)\n")
    git(repo, "add", ".")
    git(repo, "commit", "-m", "one")
    git(repo, "branch", "old")
    (repo / "b.md").write_text("[b](#)\n")
    git(repo, "commit", "-am", "two")
    return repo


def shallow_clone(upstream: Path, into: Path) -> Path:
    git(into.parent, "clone", "--quiet", "--depth", "1", f"file://{upstream}", into.name)
    assert git(into, "rev-parse", "--is-shallow-repository") == "true"
    return into


def invoke(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(command, args, catch_exceptions=False)


ARGS = ["--offline", "--no-cache", "--format", "json"]


def files_of(stdout: str) -> list[str]:
    return sorted({row["file"] for row in json.loads(stdout)["links"]})


def test_a_ref_missing_from_a_shallow_clone_checks_everything_with_one_warning(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = shallow_clone(upstream, tmp_path / "clone")
    monkeypatch.chdir(clone)
    result = invoke([*ARGS, "--changed-since", "origin/old", "."])
    assert result.exit_code == 1  # a.md's placeholder, as a full run would say
    assert files_of(result.stdout) == ["a.md", "b.md"]
    assert result.stderr == (
        "linkcheck: warning: --changed-since origin/old: origin/old is not in this shallow "
        "clone; checking every article (fetch more history to check only the changed ones)\n"
    )
    assert json.loads(result.stdout)["errors"][0]["fatal"] is False


def test_no_merge_base_in_a_shallow_clone_checks_everything_with_one_warning(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = shallow_clone(upstream, tmp_path / "clone")
    git(clone, "fetch", "--quiet", "--depth", "1", "origin", "old:refs/remotes/origin/old")
    monkeypatch.chdir(clone)
    result = invoke([*ARGS, "--changed-since", "origin/old", "."])
    assert (result.exit_code, files_of(result.stdout)) == (1, ["a.md", "b.md"])
    assert result.stderr == (
        "linkcheck: warning: --changed-since origin/old: this shallow clone has no merge base "
        "with origin/old; checking every article (fetch more history to check only the "
        "changed ones)\n"
    )


def test_with_enough_history_only_the_changed_articles(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Action does on a depth-1 checkout: deepen by one commit and diff against
    the parent (for a pull request's merge commit, the base branch)."""
    clone = shallow_clone(upstream, tmp_path / "clone")
    git(clone, "fetch", "--quiet", "--deepen", "1")
    monkeypatch.chdir(clone)
    result = invoke([*ARGS, "--changed-since", "HEAD^1", "."])
    assert (result.exit_code, result.stderr, files_of(result.stdout)) == (1, "", ["b.md"])


def test_a_full_clone_still_stops_on_an_unknown_ref(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "clone", "--quiet", f"file://{upstream}", "full")
    monkeypatch.chdir(tmp_path / "full")
    result = invoke([*ARGS, "--changed-since", "origin/nope", "."])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "linkcheck: error: unknown revision 'origin/nope'\n"
