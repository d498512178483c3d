"""The resolver through httpx's own connection pool and through aiohttp's, on the same
URLs of the local bench server: wall time, CPU time (this process's: the resolver's, not
the server's) per request, and the outcomes (which must agree).

    python bench/transports.py [--urls 3000] [--latency 0.05] [--per-host 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import httpx

from linkcheck import Options, Outcome
from linkcheck._remote import RemoteChecks, default_transport

HERE = Path(__file__).resolve().parent


async def resolve_remote(
    urls: list[str], options: Options, transport: httpx.AsyncBaseTransport
) -> dict[str, Outcome]:
    """The remote stage alone: an Outcome per URL."""
    checks = RemoteChecks(options, transport)
    try:
        checks.add_all(urls)
        return await checks.results()
    finally:
        await checks.close()


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=3000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--per-host", type=int, default=8)
    args = parser.parse_args()
    server = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "server.py"),
            "--hosts",
            "20",
            "--latency",
            str(args.latency),
            "--max-seconds",
            "600",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        ports = json.loads(server.stdout.readline())["ports"]
        weights = [1 / (i + 1) for i in range(len(ports))]
        total = sum(weights)
        urls, n = [], 0
        for port, weight in zip(ports, weights, strict=True):  # skewed, like the corpus
            for _ in range(round(args.urls * weight / total)):
                kind = ("ok", "ok", "ok", "gone", "r/2")[n % 5]
                urls.append(f"http://127.0.0.1:{port}/{kind}/{n}")
                n += 1
        options = Options(max_concurrency=64, max_per_host=args.per_host, retries=0)
        results = {}
        for name, make in (
            (
                "httpx pool (AsyncHTTPTransport)",
                lambda: httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=64)),
            ),
            ("aiohttp pool (AiohttpTransport)", lambda: default_transport(options)),
        ):
            stats = f"http://127.0.0.1:{ports[0]}/__"  # loopback only
            urllib.request.urlopen(stats + "reset", timeout=10).close()
            started, used = time.perf_counter(), cpu()
            outcomes = asyncio.run(resolve_remote(urls, options, make()))
            wall, used = time.perf_counter() - started, cpu() - used
            with urllib.request.urlopen(stats + "stats", timeout=10) as answer:
                requests = sum(json.load(answer).values())
            results[name] = {u: o.status for u, o in outcomes.items()}
            print(
                f"{name:34} {len(urls)} URLs, {requests} requests: {wall:6.2f} s wall, "
                f"{used:6.2f} s CPU, {1000 * used / requests:.2f} ms CPU a request",
                flush=True,
            )
        first, second = results.values()
        print("outcomes agree" if first == second else "OUTCOMES DIFFER")
    finally:
        server.kill()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
