"""What one request to the bench server takes, with nothing else asking: one host, a
few connections each asking in turn (the busiest host's lot at 8 per host), the round
trip as this client sees it beside the server's own time (arrival to answer).

    python bench/server_probe.py [--connections 8] [--requests 40] [--latency 0.05]

Prints JSON: medians and means in ms. On a quiet machine both are close to the latency;
the difference is the loopback and the two event loops' turns. The physical limit counts
the latency alone: at 8 per host the busiest host's 1,986 requests wait for each other,
so every millisecond beyond it costs ~0.25 s of that footing's wall, for every client.
Only 127.0.0.1 is contacted; the server stops with this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/ is a folder of scripts, not a package


async def probe(connections: int, requests: int, latency: float) -> dict[str, float]:
    server, ports = run.start_server(1, latency)
    base = f"http://127.0.0.1:{ports[0]}"
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
            trips: list[float] = []

            async def one_connection(index: int) -> None:
                for n in range(requests):
                    started = time.perf_counter()
                    async with session.get(f"{base}/ok/probe-{index}-{n}") as response:
                        await response.read()
                    trips.append(time.perf_counter() - started)

            await asyncio.gather(*(one_connection(i) for i in range(connections)))
            async with session.get(f"{base}/__timeline") as response:
                held = [end - start for start, end, _ in await response.json()]
    finally:
        server.kill()
        server.wait(timeout=10)
    return {
        "load": os.getloadavg()[0],
        "round trip ms (median)": round(1000 * statistics.median(trips), 1),
        "round trip ms (mean)": round(1000 * statistics.mean(trips), 1),
        "server ms (median)": round(1000 * statistics.median(held), 1),
        "server ms (mean)": round(1000 * statistics.mean(held), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(probe(args.connections, args.requests, args.latency))))


if __name__ == "__main__":
    main()
