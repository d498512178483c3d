"""The remote stage on a virtual clock: what the scheduling alone allows, with no CPU cost.

    python bench/schedule_sim.py --per-host 64
    python bench/schedule_sim.py --per-host 8 --ahead 1000000   # checks under way unbounded

The bench's online corpus (bench/corpus.py, the "same footing": no 429s) is resolved by
`RemoteChecks` against an in-process transport that answers each route of
bench/server.py after exactly --latency seconds of an event loop whose clock only moves
when every task waits: the run's makespan is then the scheduler's alone (per-host and
global slots, checks under way per host, redirect hops), not the machine's, and does not
change with the load of a shared machine. Printed beside it: the physical limit
max(R·L/C, R_busiest·L/H), requests made, and the requests in flight on average (all
hosts, and the busiest host). No socket is opened.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import selectors
import sys
import tempfile
from collections import Counter
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from linkcheck import Options  # noqa: E402
from linkcheck._remote import RemoteChecks  # noqa: E402
from linkcheck._remote import _stream as stream  # noqa: E402

PORTS = list(range(20001, 20021))  # never listened on: the transport answers in-process


class _Selector(selectors.DefaultSelector):
    """Never sleeps: when nothing is ready, the loop's clock jumps to the next timer."""

    loop: VirtualLoop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if not ready and timeout is not None and timeout > 0:
            self.loop.now += timeout
        return ready


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        selector = _Selector()
        super().__init__(selector)
        selector.loop = self
        self.now = 0.0

    def time(self) -> float:
        return self.now


class Routes(httpx.AsyncBaseTransport):
    """bench/server.py's routes, each answered after `latency` virtual seconds; counts
    the requests in flight over time."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.requests = 0
        self.in_flight: Counter[int] = Counter()
        self.area: Counter[int] = Counter()  # request-seconds per port
        self._since = 0.0
        self._first_429: set[str] = set()

    def _move(self, port: int, by: int) -> None:
        now = asyncio.get_running_loop().time()
        for busy_port, count in self.in_flight.items():
            self.area[busy_port] += count * (now - self._since)
        self._since = now
        self.in_flight[port] += by

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = request.url.port or 80
        self.requests += 1
        self._move(port, 1)
        try:
            await asyncio.sleep(self.latency)
        finally:
            self._move(port, -1)
        kind, *rest = request.url.path.strip("/").split("/")
        if kind == "ok":
            return httpx.Response(200, html="<html><h1 id='top'>x</h1></html>")
        if kind in ("gone", "removed", "err"):
            return httpx.Response({"gone": 404, "removed": 410, "err": 500}[kind])
        if kind == "r":
            left, ident = int(rest[0]), rest[1]
            target = f"/r/{left - 1}/{ident}" if left > 1 else f"/ok/{ident}"
            return httpx.Response(301, headers={"Location": target})
        if kind == "s":
            return httpx.Response(
                301, headers={"Location": f"http://127.0.0.1:{rest[0]}/ok/{rest[1]}"}
            )
        if kind == "rl" and request.url.path not in self._first_429:
            self._first_429.add(request.url.path)
            return httpx.Response(429, headers={"Retry-After": "1"})
        return httpx.Response(200, text="ok")


async def resolve(urls: list[str], options: Options, transport: Routes) -> float:
    checks = RemoteChecks(options, transport)
    started = asyncio.get_running_loop().time()
    try:
        checks.add_all(urls)
        await checks.results()
    finally:
        await checks.close()
    return asyncio.get_running_loop().time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-host", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--ahead", type=int, help="checks under way per host slot (_stream.AHEAD)")
    args = parser.parse_args()
    if args.ahead is not None:
        stream.AHEAD = args.ahead
    with tempfile.TemporaryDirectory() as work:
        truth = corpus.online(Path(work) / "articles", PORTS, rate_limited=False, links=8_600)
    per = corpus.minimum_requests(truth)
    limit = max(
        sum(per.values()) * args.latency / 64, max(per.values()) * args.latency / args.per_host
    )
    options = Options(max_concurrency=64, max_per_host=args.per_host, retries=2, timeout=20)
    transport = Routes(args.latency)
    loop = VirtualLoop()
    try:
        makespan = loop.run_until_complete(resolve(list(truth), options, transport))
    finally:
        loop.close()
    busiest = max(per, key=lambda host: per[host])
    print(json.dumps({
        "per_host": args.per_host, "ahead": getattr(stream, "AHEAD", None), "makespan_s": round(makespan, 3),
        "physical_limit_s": round(limit, 3), "makespan_over_limit": round(makespan / limit, 3),
        "requests": transport.requests, "corpus_minimum": sum(per.values()),
        "mean_in_flight": round(sum(transport.area.values()) / makespan, 1),
        "busiest_host_mean_in_flight": round(transport.area[int(busiest)] / makespan, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
