"""Which articles changed since a git ref: for checking only a pull request's files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ._errors import LinkcheckError
from ._models import FileIssue, Source


class GitError(LinkcheckError):
    """One line for the CLI, which exits 2."""


class ShallowHistory(GitError):
    """A shallow clone lacks the history to tell what changed (CI's depth-1 checkout)."""


def only_changed(
    sources: list[Source], ref: str, cwd: Path, issues: list[FileIssue]
) -> list[Source]:
    """The sources changed since `ref` (stdin always counts as changed).

    In a shallow clone that lacks `ref` or the merge base, every source: checking too
    much is better than stopping the build. The fallback is one warning in `issues`.
    linkcheck fetches nothing itself (no network behind the user's back); the GitHub
    Action fetches what it needs before it runs (docs/ci.md).
    """
    try:
        changed = changed_files(ref, cwd)
    except ShallowHistory as error:
        issues.append(FileIssue(f"--changed-since {ref}", str(error), fatal=False))
        return sources
    return [s for s in sources if s.path is None or Path(s.path).resolve() in changed]


def changed_files(ref: str, cwd: Path) -> set[Path]:
    """Files changed since `ref` (committed since the merge base, staged, unstaged and
    untracked), as absolute paths; deleted files are left out."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, "not a git repository: " + str(cwd)))
    shallow = _git(["rev-parse", "--is-shallow-repository"], cwd, "git rev-parse failed") == "true"
    fallback = "checking every article (fetch more history to check only the changed ones)"
    try:
        _git(
            ["rev-parse", "--verify", "--quiet", ref + "^{commit}"],
            cwd,
            f"unknown revision '{ref}'",
        )
    except GitError as error:
        if shallow:
            raise ShallowHistory(f"{ref} is not in this shallow clone; {fallback}") from None
        raise error from None
    try:
        base = _git(["merge-base", ref, "HEAD"], cwd, f"no common history with '{ref}'")
    except GitError as error:
        if shallow:
            message = f"this shallow clone has no merge base with {ref}; {fallback}"
            raise ShallowHistory(message) from None
        raise error from None
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


def ignored_as_a_whole(folder: str) -> bool:
    """Whether git ignores `folder` itself (and so all it holds): a build's output
    folder, typically. False outside a work tree or without git."""
    if work_tree_above(folder) is None:
        return False
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-q", "."],
            cwd=folder,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


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
