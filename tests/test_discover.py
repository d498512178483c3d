"""Discovery: what git ignores is not walked (every .gitignore, negations,
.git/info/exclude), a file named on the command line is always read, dot-folders only
with --hidden, and a folder without articles is a usage error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck import Options
from linkcheck._cli import command
from linkcheck._discover import PathError, discover


def write(path: Path, text: str = "# x\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "build/\n*.draft.md\n!keep.draft.md\n")
    write(tmp_path / "docs" / ".gitignore", "generated.md\n")
    write(tmp_path / ".git" / "info" / "exclude", "local-notes.md\n")
    for name in (
        "README.md",
        "build/out.md",
        "a.draft.md",
        "keep.draft.md",
        "docs/guide.md",
        "docs/generated.md",
        "local-notes.md",
        ".github/CONTRIBUTING.md",
        ".hidden.md",
    ):
        write(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def found(paths: list[str], **options: object) -> list[str]:
    return [s.display for s in discover(paths, Options(**options))]  # type: ignore[arg-type]


def test_what_git_ignores_is_not_walked(tree: Path) -> None:
    assert found(["."]) == ["README.md", "docs/guide.md", "keep.draft.md"]


def test_tracked_files_are_walked_even_when_a_pattern_matches(tree: Path) -> None:
    git(tree, "add", "-f", "build/out.md")
    assert found(["."]) == ["README.md", "build/out.md", "docs/guide.md", "keep.draft.md"]


def test_no_ignore_and_hidden_walk_everything(tree: Path) -> None:
    assert found(["."], no_ignore=True) == [
        "README.md",
        "a.draft.md",
        "build/out.md",
        "docs/generated.md",
        "docs/guide.md",
        "keep.draft.md",
        "local-notes.md",
    ]
    assert found(["."], hidden=True) == [
        ".github/CONTRIBUTING.md",
        ".hidden.md",
        "README.md",
        "docs/guide.md",
        "keep.draft.md",
    ]


def test_a_file_named_on_the_command_line_is_always_read(tree: Path) -> None:
    assert found(["build/out.md", ".hidden.md", "docs"]) == [
        "build/out.md",
        ".hidden.md",
        "docs/guide.md",
    ]


def test_outside_git_nothing_is_ignored(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / ".gitignore", "*.md\n")
    write(tmp_path / "a.md")
    monkeypatch.chdir(tmp_path)
    assert found(["."]) == ["a.md"]


def test_a_folder_without_articles_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "empty" / "notes.png", "x")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PathError, match=r"^no articles \(\*\.md, \*\.txt\) to check in empty$"):
        discover(["empty"], Options(extensions=("md", "txt")))
    result = CliRunner().invoke(command, ["--offline", "--no-cache", "empty"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "linkcheck: error: no articles (*.md, *.markdown, *.txt, *.mdx, *.html, *.htm, *.rst,"
        " *.adoc, *.asciidoc, *.ipynb) to check in empty\n"
    )


def test_changed_since_with_nothing_changed_passes(tree: Path) -> None:
    git(tree, "add", "-A")
    git(tree, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    result = CliRunner().invoke(
        command, ["--offline", "--no-cache", "--changed-since", "HEAD", "."]
    )
    assert result.exit_code == 0, result.output
    assert "0 links in 0 files" in result.stdout


def test_walking_a_large_tree_stays_fast(tmp_path: Path, monkeypatch) -> None:
    """4,000 articles in a git work tree with ignore rules: one git call, no per-file
    process (the whole walk well under a second even on a loaded machine)."""
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "skip*/\n")
    for folder in range(40):
        for name in range(100):
            write(tmp_path / f"{'skip' if folder % 4 == 0 else 'dir'}{folder}" / f"{name}.md")
    monkeypatch.chdir(tmp_path)
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting(args, *rest, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(args))
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    assert len(found(["."])) == 3000
    assert len(calls) == 1


def test_a_symlinked_file_is_taken_once_with_what_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk takes a listed file's real path from its folder's without a call,
    except for a symlink, whose real path is what it names: a file and a symlink to it,
    walked in two folders, are one article."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a/real.md")
    (tmp_path / "b").mkdir()
    (tmp_path / "b/alias.md").symlink_to(tmp_path / "a/real.md")
    (tmp_path / "b/loop.md").symlink_to(tmp_path / "b/loop.md")  # names nothing
    found = discover(["b", "a"], Options(no_ignore=True))
    assert [s.display for s in found] == ["b/alias.md", "b/loop.md"]
