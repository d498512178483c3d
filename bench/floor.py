"""The floor on this machine: a bare client GETting every URL of a ground truth, no
parsing, no verdicts, nothing but the requests under the same limits.

    python bench/floor.py ground_truth.json --concurrency 64 --per-host 8
    python bench/floor.py ground_truth.json --per-host 64 --through httpx --cpu

Prints the wall seconds as JSON (with --cpu, also the CPU seconds and requests made).
Redirects are followed by the client itself. `--through httpx` sends each request as
linkcheck does, an `httpx.Request` to httpx-aiohttp's transport, read as an
`httpx.Response`: the floor of linkcheck's stack, against aiohttp's alone. The physical
limit assumes a server that answers in exactly its latency; this shows what the bench
server and the machine's two cores allow a client that does nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def fetch_all(
    urls: list[str], concurrency: int, per_host: int, through_httpx: bool = False
) -> tuple[float, int]:
    """Wall seconds to GET every URL (and its redirects), and the requests made."""
    slots = asyncio.Semaphore(concurrency)
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
            host = hosts.setdefault(urlsplit(url).netloc, asyncio.Semaphore(per_host))
            async with host, slots:
                await (via_httpx(url) if through_httpx else bare(url))

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
    args = parser.parse_args()
    urls = list(json.loads(args.truth.read_text()))
    used = cpu()
    wall, made = asyncio.run(
        fetch_all(urls, args.concurrency, args.per_host, args.through == "httpx")
    )
    if args.cpu:
        print(json.dumps({"wall": wall, "cpu": cpu() - used, "requests": made}))
    else:
        print(json.dumps(wall))


if __name__ == "__main__":
    main()
