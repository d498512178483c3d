"""Which articles changed since a git ref: for checking only a pull request's files."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """One line for the CLI, which exits 2."""


def changed_files(ref: str, cwd: Path) -> set[Path]:
    """Files changed since `ref` (committed since the merge base, staged, unstaged and
    untracked), as absolute paths; deleted files are left out."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, "not a git repository: " + str(cwd)))
    _git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd, f"unknown revision '{ref}'")
    base = _git(["merge-base", ref, "HEAD"], cwd, f"no common history with '{ref}'")
    names = _git(["diff", "--name-only", "--diff-filter=d", "-z", base], cwd, "git diff failed")
    untracked = _git(
        ["ls-files", "--others", "--exclude-standard", "-z"], top, "git ls-files failed"
    )
    return {(top / name).resolve() for name in (names + "\0" + untracked).split("\0") if name}


def _git(args: list[str], cwd: Path, failure: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git could not run: {error}") from None
    if done.returncode != 0:
        raise GitError(failure)
    return done.stdout.strip()
