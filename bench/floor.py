"""The floor on this machine: a bare client GETting every URL of a ground truth, no
parsing, no verdicts, nothing but the requests under the same limits.

    python bench/floor.py ground_truth.json --concurrency 64 --per-host 8
    python bench/floor.py ground_truth.json --per-host 64 --through httpx --cpu
    python bench/floor.py ground_truth.json --per-host 8 --fifo   # global slots in turn

Prints the wall seconds as JSON (with --cpu, also the CPU seconds and requests made).
Redirects are followed by the client itself. `--through httpx` sends each request as
linkcheck does, an `httpx.Request` to httpx-aiohttp's transport, read as an
`httpx.Response`: the floor of linkcheck's stack, against aiohttp's alone. The physical
limit assumes a server that answers in exactly its latency; this shows what the bench
server and the machine's two cores allow a client that does nothing else.

A freed global slot goes to the waiting request whose host has the most URLs left, as
linkcheck's scheduler gives it to the critical host: at 8 per host the busiest host
alone sets the limit, and with the slots granted in turn (`--fifo`, this client before
session 29) it waited behind other hosts' requests, so the floor measured its own
queueing as much as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import json
import resource
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Slots:
    """`limit` global slots; a freed one goes to the waiter whose host had the most URLs
    left when it began to wait (with `fifo`, to the longest waiting)."""

    def __init__(self, limit: int, left: Counter[str], fifo: bool) -> None:
        self._free = limit
        self._left = left
        self._fifo = fifo
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = 0

    async def acquire(self, host: str) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        granted = asyncio.get_running_loop().create_future()
        self._order += 1
        heapq.heappush(
            self._waiting, (0 if self._fifo else -self._left[host], self._order, granted)
        )
        await granted  # the slot is handed over by release()

    def release(self, host: str) -> None:
        self._left[host] -= 1
        while self._waiting:
            granted = heapq.heappop(self._waiting)[2]
            if not granted.done():
                granted.set_result(None)
                return
        self._free += 1


async def fetch_all(
    urls: list[str],
    concurrency: int,
    per_host: int,
    through_httpx: bool = False,
    fifo: bool = False,
) -> tuple[float, int]:
    """Wall seconds to GET every URL (and its redirects), and the requests made."""
    slots = Slots(concurrency, Counter(urlsplit(url).netloc for url in urls), fifo)
    hosts: dict[str, asyncio.Semaphore] = {}
    connector = aiohttp.TCPConnector(limit=concurrency)
    made = 0
    async with aiohttp.ClientSession(connector=connector) as session:

        async def bare(url: str) -> None:
            nonlocal made
            async with session.get(url) as response:
                made += len(response.history) + 1
                await response.read()

        transport = AiohttpTransport(client=session)
        headers = httpx.AsyncClient(transport=transport).headers  # httpx's defaults
        timeout = httpx.Timeout(20).as_dict()

        async def via_httpx(url: str) -> None:
            nonlocal made
            for _ in range(10):
                request = httpx.Request(
                    "GET", url, headers=headers, extensions={"timeout": timeout}
                )
                response = await transport.handle_async_request(request)
                made += 1
                async for _chunk in response.aiter_bytes():
                    pass
                await response.aclose()
                location = response.headers.get("location")
                if not (300 <= response.status_code < 400 and location):
                    return
                url = urljoin(url, location)

        async def one(url: str) -> None:
            netloc = urlsplit(url).netloc
            async with hosts.setdefault(netloc, asyncio.Semaphore(per_host)):
                await slots.acquire(netloc)
                try:
                    await (via_httpx(url) if through_httpx else bare(url))
                finally:
                    slots.release(netloc)

        started = time.perf_counter()
        await asyncio.gather(*(one(url) for url in urls))
        return time.perf_counter() - started, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=8)
    parser.add_argument("--through", choices=["aiohttp", "httpx"], default="aiohttp")
    parser.add_argument("--cpu", action="store_true", help="also print CPU seconds and requests")
    parser.add_argument(
        "--fifo", action="store_true", help="global slots in turn, not busiest first"
    )
    args = parser.parse_args()
    urls = list(json.loads(args.truth.read_text()))
    used = cpu()
    wall, made = asyncio.run(
        fetch_all(urls, args.concurrency, args.per_host, args.through == "httpx", args.fifo)
    )
    if args.cpu:
        print(json.dumps({"wall": wall, "cpu": cpu() - used, "requests": made}))
    else:
        print(json.dumps(wall))


if __name__ == "__main__":
    main()
