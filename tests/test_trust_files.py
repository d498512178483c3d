"""Files and processes under real conditions: FIFOs, unreadable folders, symlinks, full
disks, deep trees, hostile names — a one-line issue or error, never a hang, a traceback
or a damaged file."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck._cli import run
from linkcheck._report import WRITERS
from servers import Route, redirect, serve


def linkcheck(
    *args: str, cwd: Path, as_nobody: bool = False, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """linkcheck in its own process (bounded), as an unprivileged user if asked: root
    reads and writes anything, which would hide what a CI user meets."""
    command = [sys.executable, "-m", "linkcheck", "--no-progress", *args]
    if as_nobody and os.geteuid() == 0:  # a user who is not root is unprivileged already
        command = [*_UNPRIVILEGED, *command]
        _nobody_can_run_linkcheck()
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


# Root without the capabilities that let it read and write any file: its own folders
# stay usable (this checkout, its virtualenv, wherever they are), a mode-000 folder
# does not. A run as another user would need the checkout readable by that user.
_UNPRIVILEGED = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


@functools.cache
def _nobody_can_run_linkcheck() -> None:
    """Fail with the cause, not a puzzling assertion, where the unprivileged run cannot
    import this checkout's linkcheck."""
    probe = [*_UNPRIVILEGED, sys.executable, "-c", "import linkcheck"]
    done = subprocess.run(probe, capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        pytest.fail(
            f"an unprivileged run cannot import linkcheck with {sys.executable}: "
            f"{done.stderr.strip()}"
        )


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the unprivileged user may enter (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="linkcheck-trust-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:  # chmod and rm walk trees deeper than Python's recursion limit
        subprocess.run(["chmod", "-R", "u+rwx", str(folder)], check=False, timeout=30)
        subprocess.run(["rm", "-rf", str(folder)], check=False, timeout=30)


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


# --- 6. unreadable folders


def test_an_unreadable_folder_inside_the_tree_fails_the_run(shared: Path) -> None:
    (shared / "a.md").write_text("# A\n")
    locked = shared / "locked"
    locked.mkdir()
    (locked / "b.md").write_text("[x](#)\n")
    locked.chmod(0)
    result = linkcheck("--offline", ".", cwd=shared, as_nobody=True)
    no_traceback(result)
    assert result.returncode == 1
    assert "linkcheck: error: locked: folder not read: permission denied\n" in result.stderr


def test_an_unreadable_folder_given_is_a_usage_error(shared: Path) -> None:
    locked = shared / "locked"
    locked.mkdir()
    locked.chmod(0)
    result = linkcheck("--offline", "locked", cwd=shared, as_nobody=True)
    assert result.returncode == 2
    assert result.stderr == "linkcheck: error: cannot read folder locked: Permission denied\n"


# --- 9. FIFOs and devices


def test_a_fifo_article_or_link_target_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "a.md").write_text("[p](pipe.md#top-x) [h](pipe.html#x)\n")
    result = linkcheck(
        "--offline", "--root-dir", "/", "--format", "json", "--report", "html:r.html", ".",
        cwd=tmp_path,
    )  # fmt: skip
    no_traceback(result)
    assert result.returncode == 1
    assert "pipe.md: not a regular file (a FIFO), not read" in result.stderr
    rows = json.loads(result.stdout)["links"]
    assert [row["status"] for row in rows] == ["broken", "broken"]
    assert rows[0]["reason"] == "cannot read pipe.md to check #top-x"


def test_a_device_named_on_the_command_line_is_not_read(tmp_path: Path) -> None:
    result = linkcheck("--offline", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 1
    assert "/dev/zero: not a regular file (a device), not read" in result.stderr


# --- 10. --fix damage


@pytest.fixture
def moved():
    with serve({"/old": redirect("/new", 301), "/new": Route()}) as site:
        yield site


FIX = ["--fix", "--no-cache", "--retries", "0"]


def test_fix_rewrites_a_symlinked_articles_target_and_keeps_the_link(tmp_path: Path, moved) -> None:
    (tmp_path / "real.md").write_text(f"[a]({moved.url('/old')})\n")
    (tmp_path / "link.md").symlink_to("real.md")
    result = linkcheck(*FIX, "link.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "real.md").read_text() == f"[a]({moved.url('/new')})\n"


def test_fix_through_a_symlinked_folder_and_dot_dot_rewrites_the_file_it_read(
    tmp_path: Path, moved
) -> None:
    (tmp_path / "elsewhere" / "inner").mkdir(parents=True)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "sub").symlink_to(tmp_path / "elsewhere" / "inner")
    (tmp_path / "elsewhere" / "a.md").write_text(f"[a]({moved.url('/old')})\n")
    decoy = tmp_path / "work" / "a.md"
    decoy.write_text("# not the article read\n")
    result = linkcheck(*FIX, "sub/../a.md", cwd=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "a.md").read_text() == f"[a]({moved.url('/new')})\n"
    assert decoy.read_text() == "# not the article read\n"


def test_fix_in_a_read_only_folder_warns_and_fixes_the_rest(shared: Path, moved) -> None:
    frozen = shared / "frozen"
    frozen.mkdir()
    for folder in (shared, frozen):
        (folder / "a.md").write_text(f"[a]({moved.url('/old')})\n")
    (frozen / "a.md").chmod(0o666)
    frozen.chmod(0o555)
    result = linkcheck(*FIX, "--report", "json:r.json", ".", cwd=shared, as_nobody=True)
    no_traceback(result)
    assert result.returncode == 0
    assert (
        "linkcheck: warning: frozen/a.md: not fixed: cannot write: permission denied\n"
        in result.stderr
    )
    assert (shared / "a.md").read_text() == f"[a]({moved.url('/new')})\n"
    assert (frozen / "a.md").read_text() == f"[a]({moved.url('/old')})\n"
    fixes = {row["file"]: row["fix"]["applied"] for row in json.loads((shared / "r.json").read_text())["links"]}  # fmt: skip
    assert fixes == {"a.md": True, "frozen/a.md": False}


def test_sigterm_during_fix_leaves_no_temporary_file(tmp_path: Path, moved) -> None:
    count, body = 400, "```\n" + "x\n" * 2000 + "```\n"  # a big file, cheap to parse
    for n in range(count):
        (tmp_path / f"a{n:03}.md").write_text(f"[a]({moved.url('/old')})\n\n{body}")
    process = subprocess.Popen(
        [sys.executable, "-m", "linkcheck", "--no-progress", *FIX, "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first, deadline = tmp_path / "a000.md", time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if "/new" in first.read_text():  # the fixing has begun
                break
            time.sleep(0.005)
        process.terminate()
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert not list(tmp_path.glob(".*.tmp"))
    texts = [p.read_text() for p in tmp_path.glob("*.md")]
    assert len(texts) == count and all(text.endswith(body) for text in texts)
    fixed = sum("/new" in text for text in texts)
    if fixed < count:  # stopped half way (else the run won the race: nothing to see)
        assert process.returncode == 143, err
        assert err == "\nlinkcheck: error: interrupted\n"


# --- 11. a report over an article


@pytest.mark.parametrize(
    "flag", [["-o", "a.md"], ["--report", "json:docs/../a.md"], ["-o", "alias.json"]]
)
def test_a_report_is_never_written_over_an_article(
    tmp_path: Path, flag, monkeypatch, capsys
) -> None:
    (tmp_path / "a.md").write_text("[x](#)\n")
    (tmp_path / "alias.json").symlink_to("a.md")  # another name for the article
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run(["--offline", "--no-progress", *flag, "."]) == 2
    assert (tmp_path / "a.md").read_text() == "[x](#)\n"
    err = capsys.readouterr().err
    assert err.endswith(": it is an article being checked\n") and err.count("\n") == 1


# --- 12. one line, never a traceback


@pytest.mark.parametrize("size", [str(1024**4), str(2**63 - 1)])
def test_a_huge_max_file_size_reads_files_as_usual(tmp_path: Path, size: str) -> None:
    (tmp_path / "a.md").write_text("[x](#)\n")
    result = linkcheck("--offline", "--max-file-size", size, ".", cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 1 and "1 placeholder" in result.stdout


def test_thousands_of_nested_folders_and_paths_beyond_path_max(shared: Path) -> None:
    # In `shared`, removed by `rm -rf`: pytest's own clean-up recurses and would overflow.
    tmp_path = shared
    descriptor = os.open(tmp_path, os.O_RDONLY)
    for depth in range(2400):  # created by descriptor: the full path exceeds PATH_MAX
        os.mkdir("d", dir_fd=descriptor)
        inner = os.open("d", os.O_RDONLY, dir_fd=descriptor)
        os.close(descriptor)
        descriptor = inner
        if depth in (10, 2300):
            with open(
                os.open("x.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor), "w"
            ) as f:
                f.write("[x](#)\n")
    os.close(descriptor)
    result = linkcheck("--offline", ".", cwd=tmp_path, timeout=60)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.count("folder not read: file name too long\n") == 1
    assert "1 link in 1 file" in result.stdout


def test_malformed_rows_in_a_valid_cache_are_ignored(tmp_path: Path, monkeypatch, capsys) -> None:
    with serve({"/ok": Route()}) as site:
        (tmp_path / "a.md").write_text(f"[a]({site.url('/ok')})\n")
        monkeypatch.chdir(tmp_path)
        flags = ["--no-progress", "--retries", "0", "--cache-path", "c.db", "a.md"]
        assert run(flags) == 0
        db = sqlite3.connect(tmp_path / "c.db")
        with db:
            db.execute(
                "UPDATE checks SET status = 'weird', redirects = '{', cause = 'nope', checked_at = 'x'"
            )
            db.execute("INSERT INTO archived VALUES ('k', 'not json', 'y')")
            db.execute("UPDATE extracted SET payload = '[1, 2'")
        db.close()
        capsys.readouterr()
        assert run(flags) == 0
        assert site.hits[("GET", "/ok")] == 2  # the unreadable row was no answer
    assert "Traceback" not in capsys.readouterr().err


def test_stdout_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("[x](#)\n" * 2000)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "linkcheck", "--offline", "--format", "json", "."],
            cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True, timeout=30, check=False,
        )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == "linkcheck: error: cannot write the report: No space left on device\n"


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_undecodable_file_name_in_every_format(tmp_path: Path, name: str) -> None:
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xff.md"), "wb") as file:
        file.write(b"[x](#)\n")
    result = subprocess.run(
        [sys.executable, "-m", "linkcheck", "--offline", "--format", name, "."],
        cwd=tmp_path, capture_output=True, timeout=30, check=False,
    )  # fmt: skip
    assert b"Traceback" not in result.stderr
    assert result.returncode == 1
    assert b"caf" in result.stdout
    if name in ("json", "sarif"):
        json.loads(result.stdout)


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--header", "X-A: b\r\nX-Injected: 1", "--header: header 'X-A' has a line break in its value"),
        ("--header", "X-A: b\nc", "--header: header 'X-A' has a line break in its value"),
        ("--user-agent", "bot\r\nX-Injected: 1", "--user-agent: header 'User-Agent' has a line break in its value"),
    ],
)  # fmt: skip
def test_a_line_break_in_a_header_is_a_usage_error(flag, value, message, capsys) -> None:
    assert run(["--offline", flag, value, "."]) == 2
    assert capsys.readouterr().err == f"linkcheck: error: {message}\n"


def test_a_config_file_user_agent_with_a_line_break_is_a_config_error(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    (tmp_path / "linkcheck.toml").write_text('user_agent = "bot\\r\\nX: 1"\n')
    monkeypatch.chdir(tmp_path)
    assert run(["--offline", "."]) == 2
    assert "has a line break" in capsys.readouterr().err
