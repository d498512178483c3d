"""Hostile servers and hostile files: every run finishes, within stated time and memory,
and says what went wrong. The bounds here are the ones docs/reliability.md states."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import hostile_server

pytestmark = pytest.mark.slow

# timeout 1 s, 2 tries, Retry-After capped at 1 s: a hostile answer costs ~4 s at most.
FLAGS = ["--timeout", "1", "--retries", "1", "--max-retry-wait", "1", "--check-fragments",
         "--no-cache", "--no-progress", "--format", "json", "--max-per-host", "16"]  # fmt: skip

EXPECTED = {
    "/drip": ("timeout", "no response within 1 s (2 tries)"),
    "/endless#section": ("broken", "no anchor #section in the page"),
    "/endless": ("ok", None),
    "/bomb#section": ("broken", "no anchor #section in the page"),
    "/chain/0": ("unreachable", "more than 20 redirects"),
    "/loop": ("unreachable", "redirect loop after 1 hop"),
    "/reset": ("unreachable", None),
    "/not-http": ("unreachable", "the server's answer is not valid HTTP"),
    "/huge-header": ("unreachable", "the server's response headers are too large"),
    "/year": ("rate_limited", "429 Too Many Requests after 2 tries"),
    "/storm": ("rate_limited", "429 Too Many Requests after 2 tries"),
}


# A small process runs linkcheck and reports its peak RSS: a child forked straight from
# pytest would count pytest's own memory in its peak.
_MEASURE = """
import json, os, subprocess, sys, threading, time
started = time.perf_counter()
with open(sys.argv[1], "wb") as out:
    child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL)
    timer = threading.Timer(120, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
print(json.dumps([os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss / 1024]))
"""


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """Exit code, stdout, wall seconds and peak RSS (MB) of one linkcheck process."""
    out = cwd / "stdout.json"
    command = [sys.executable, "-c", _MEASURE, str(out), sys.executable, "-m", "linkcheck", *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=150, check=True)
    code, wall, rss = json.loads(done.stdout)
    return code, out.read_text(), wall, rss


def test_hostile_servers_give_honest_statuses_within_bounds(tmp_path: Path) -> None:
    with hostile_server() as base:
        lines = [f"- [{path}]({base}{path})" for path in EXPECTED]
        (tmp_path / "a.md").write_text("\n".join(lines) + "\n")
        code, out, wall, rss = run_measured([*FLAGS, "a.md"], tmp_path)
    report = json.loads(out)
    got = {row["url"].removeprefix(base): (row["status"], row["reason"]) for row in report["links"]}
    for path, (status, reason) in EXPECTED.items():
        assert got[path][0] == status, (path, got[path])
        if reason is not None:
            assert got[path][1] == reason, (path, got[path])
    print(f"hostile servers: {wall:.1f} s, peak RSS {rss:.0f} MB")  # shown with pytest -s
    assert code == 1
    # Each case costs at most timeout x tries plus backoff (~4.5 s) and they run at once.
    assert wall < 12, wall
    assert rss < 200, rss


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the certificate")
def test_a_self_signed_certificate_is_named(tmp_path: Path) -> None:
    with hostile_server(tls_dir=tmp_path) as base:
        (tmp_path / "a.md").write_text(f"[x]({base}/)\n")
        code, out, wall, _ = run_measured([*FLAGS, "a.md"], tmp_path)
    (row,) = json.loads(out)["links"]
    assert (row["status"], row["reason"]) == ("unreachable", "TLS certificate is self-signed")
    assert code == 1
    assert wall < 10


def test_hostile_files_are_reported_and_the_rest_is_checked(tmp_path: Path) -> None:
    files = tmp_path / "articles"
    files.mkdir()
    (files / "good.md").write_text("[ok](good.md) [x](#)\n")
    (files / "binary.md").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    (files / "latin1.md").write_bytes("Caf\xe9 [x](good.md)\n".encode("latin-1"))
    (files / "utf16.md").write_bytes("[u](good.md)\n".encode("utf-16"))
    (files / "bom.md").write_bytes(b"\xef\xbb\xbf[b](good.md)\n")
    (files / "crlf.md").write_bytes(b"one\r\n[c](good.md)\rlone cr\r\n")
    (files / "nul.md").write_bytes(b"[n](good.md)\x00\n")
    with open(files / "huge.md", "wb") as huge:  # larger than --max-file-size
        huge.write(b"[h](good.md)\n" * 200_000)
    (files / "brackets.md").write_text("[" * 50_000 + "]" * 50_000 + "\n[k](good.md)\n")
    (files / "many.md").write_text("".join(f"[l{i}](good.md) " for i in range(100_000)))
    (files / "line.md").write_text("https://a.example/x " * 50_000)
    os.symlink(files, files / "loop")
    code, out, wall, rss = run_measured(
        [
            "--offline",
            "--no-progress",
            "--format",
            "json",
            "--max-file-size",
            "2000000",
            "articles",
        ],
        tmp_path,
    )
    report = json.loads(out)
    problems = {e["file"]: (e["message"], e["fatal"]) for e in report["errors"]}
    assert problems == {
        "articles/binary.md": ("binary file (NUL bytes), not read", True),
        "articles/huge.md": ("file is larger than 2 MiB (see --max-file-size)", True),
        "articles/latin1.md": ("not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252", False),
        "articles/nul.md": ("binary file (NUL bytes), not read", True),
    }
    checked = {row["file"] for row in report["links"]}
    assert checked == {
        "articles/good.md", "articles/latin1.md", "articles/utf16.md", "articles/bom.md",
        "articles/crlf.md", "articles/brackets.md", "articles/many.md", "articles/line.md",
    }  # fmt: skip
    crlf = next(row for row in report["links"] if row["file"] == "articles/crlf.md")
    assert (crlf["line"], crlf["column"]) == (2, 1)
    assert report["summary"]["links"] == 2 + 1 + 1 + 1 + 1 + 1 + 100_000 + 50_000
    print(f"hostile corpus: {wall:.1f} s, peak RSS {rss:.0f} MB")  # shown with pytest -s
    assert code == 1
    assert wall < 60, wall
    assert rss < 600, rss
