"""Which articles changed since a git ref: for checking only a pull request's files."""

from __future__ import annotations

import os
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


def work_tree_above(folder: str) -> str | None:
    """The git work tree holding `folder` (a `.git` folder or file at or above it), found
    without running git; None outside one."""
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def not_ignored(folder: str) -> list[str] | None:
    """Files under `folder` that git does not ignore (tracked, or untracked and matching
    no .gitignore, .git/info/exclude or global exclude), relative to it; None when git
    cannot tell (not a work tree, no git)."""
    if work_tree_above(folder) is None:
        return None
    args = ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    try:
        names = _git(args, Path(folder), "git ls-files failed")
    except (GitError, UnicodeDecodeError):
        return None
    return [name for name in names.split("\0") if name]


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
