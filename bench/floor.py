"""The floor on this machine: a bare aiohttp client GETting every URL of a ground truth,
no parsing, no verdicts, nothing but the requests under the same limits.

    python bench/floor.py ground_truth.json --concurrency 64 --per-host 8

Prints the wall seconds as JSON. Redirects are followed by aiohttp itself. The physical
limit assumes a server that answers in exactly its latency; this shows what the bench
server and the machine's two cores allow a client that does nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp


async def fetch_all(urls: list[str], concurrency: int, per_host: int) -> float:
    slots = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Semaphore] = {}
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> None:
            host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(per_host))
            async with host, slots, session.get(url) as response:
                await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(one(url) for url in urls))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=8)
    args = parser.parse_args()
    urls = list(json.loads(args.truth.read_text()))
    print(json.dumps(asyncio.run(fetch_all(urls, args.concurrency, args.per_host))))


if __name__ == "__main__":
    main()
