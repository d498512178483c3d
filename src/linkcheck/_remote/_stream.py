"""Remote checks that start as their URLs are found, not after the last article is parsed.

Parsing a run's articles takes a second or more; a request takes 50 ms or more and is
mostly waiting. So each page's check starts the moment its first URL is added, while
the rest of the articles are still being parsed, and `results()` waits for them all.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial

import httpx

from .._models import Outcome
from .._options import Options
from ._cookies import CookieFile
from ._fetcher import Fetcher
from ._resolver import Page, Resolver, with_fragment
from ._transport import default_transport

#: From this many pages on, a second process may make part of the requests (_fetcher.py)…
PARALLEL_FROM = 1000
#: … once this process has been on the CPU for this share of a window's wall time: a
#: second process costs more CPU in all (each answer crosses a pipe) and adds a round
#: trip to every request it makes, which pays only when this one cannot keep up.
BUSY = 0.9
#: Seconds of the window that share is measured over.
WINDOW = 0.5
#: … and only if the machine had most of a core idle over that window: the fetcher
#: spends about twice the CPU per request that it saves this process (0.9 against
#: 0.45 ms, docs/benchmarks.md), so on a core something else keeps half busy (a server
#: on the same machine, other jobs) it only adds its pipe and its imports. Measured at
#: 64 per host with the bench's server on the same two cores (0.5 of a core idle):
#: 11.48 s with the fetcher, 9.92 s without.
SPARE = 0.75
#: Checks under way at once for one host, per request it may have in flight: enough that
#: its queue in the scheduler never runs dry, while its other pages wait as bare keys. A
#: check under way holds its coroutines, its chain's state and a place in its host's
#: queue (~3 KB) for as long as it waits: started for every page at once, that was most
#: of a run's peak memory, growing with its links (docs/scale.md).
AHEAD = 2


class RemoteChecks:
    """Add URLs as they are found; `await results()` once they all are; `close()`."""

    def __init__(
        self,
        options: Options,
        transport: httpx.AsyncBaseTransport | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        self._options = options
        self._parallel = transport is None and (os.cpu_count() or 1) > 1
        #: With --cookie-jar: the file's cookies, sent and kept, and written back by close().
        self._cookies = CookieFile(options.cookie_jar) if options.cookie_jar else None
        self._resolver = Resolver(
            options, transport or default_transport(options), cookies=self._cookies
        )
        self._on_done = on_done
        # One check per page (and per "anchors wanted"), shared by all URLs citing it:
        # under way, its task; done, its result (a finished task and its bookkeeping
        # cost ~0.5 KB a page for the rest of the run).
        self._pages: dict[tuple[str, bool], asyncio.Task[Page]] = {}
        self._checked: dict[tuple[str, bool], Page] = {}
        self._started = 0
        self._cited: dict[str, tuple[str, bool]] = {}
        self._waiting: dict[tuple[str, bool], int] = {}  # URLs to count done per check
        # Per host key: checks started and not done, and pages waiting for their turn.
        self._under_way: dict[str, int] = {}
        self._later: dict[str, deque[tuple[str, bool]]] = {}
        self._deferred: set[tuple[str, bool]] = set()
        self._closing = False
        self._starting: asyncio.Task[Fetcher | None] | None = None
        #: Since when (CPU and wall clock) this process's busy share is measured, once
        #: there are enough pages for a second process to be worth its start.
        self._since: tuple[float, float, _CpuTimes | None] | None = None

    def add_all(self, urls: Iterable[str]) -> None:
        """`add` each; those with a fragment first, so that a page cited both with and
        without one is fetched once, for its anchors."""
        for url in sorted(urls, key=lambda url: "#" not in url):
            self.add(url)

    def add(self, url: str) -> None:
        """Start checking `url`'s page unless it is already under way (a page whose
        anchors are wanted after it was fetched without them is fetched again)."""
        if url in self._cited:
            return
        page, _, fragment = url.partition("#")
        wants = self._options.check_fragments and bool(fragment)
        wanted = (page, True)
        known = wanted in self._pages or wanted in self._checked or wanted in self._deferred
        key = wanted if known else (page, wants)
        self._cited[url] = key
        if key in self._checked:
            self._done(1)
            return
        task = self._pages.get(key)
        if task is None and key not in self._deferred:
            lane = self._resolver.expect(page)  # the host's work so far sets its priority
            self._started += 1
            if self._parallel and self._started == PARALLEL_FROM:
                self._since = (time.process_time(), time.perf_counter(), _machine_cpu())
            host, limit = lane if lane is not None else ("", 0)
            if lane is not None and self._under_way.get(host, 0) >= AHEAD * limit:
                self._deferred.add(key)  # started when one of its host's checks is done
                self._later.setdefault(host, deque()).append(key)
            else:
                task = self._start(key, host)
        if task is None:
            self._waiting[key] = self._waiting.get(key, 0) + 1
        elif task.done():
            self._done(1)
        else:
            self._waiting[key] = self._waiting.get(key, 0) + 1

    async def results(self) -> dict[str, Outcome]:
        """An Outcome per URL added, once every check is done."""
        while self._pages:  # each check done starts its host's next deferred one
            await asyncio.gather(*self._pages.values())
        checked = self._checked | {key: task.result() for key, task in self._pages.items()}
        outcomes = {url: with_fragment(checked[key], url) for url, key in self._cited.items()}
        # Every check is done: what they kept (each page's result, each URL's page, the
        # hops shared for the run) is not needed any more, while the run builds its
        # report rows, when its memory peaks.
        self._checked, self._cited = {}, {}
        self._resolver.forget()
        return outcomes

    def reached(self) -> dict[str, Outcome]:
        """The outcomes of the checks done so far (what a cancelled run still has)."""
        checked = self._checked | {
            key: task.result()
            for key, task in self._pages.items()
            if task.done() and not task.cancelled() and not task.exception()
        }
        return {
            url: with_fragment(checked[key], url)
            for url, key in self._cited.items()
            if key in checked
        }

    async def close(self) -> None:
        self._closing = True  # no deferred check starts now
        for task in self._pages.values():
            task.cancel()
        await asyncio.gather(*self._pages.values(), return_exceptions=True)
        if self._starting is not None:
            fetcher = await self._starting
            if fetcher is not None:
                await fetcher.close()
        await self._resolver.__aexit__()
        if self._cookies is not None:
            self._cookies.save()

    async def _check(self, page: str, wants_anchors: bool) -> Page:
        result = await self._resolver.page(page, want_anchors=wants_anchors)
        if self._options.soft_404:
            # The body's start is for the probe only: kept for the rest of the run, it
            # would be up to 64 KiB a page (1 MiB with anchors).
            result = replace(await self._resolver.probed(page, result), sample=b"")
        return result

    async def _start_fetcher(self) -> Fetcher | None:
        fetcher = await Fetcher.start(self._options)
        self._resolver.use(fetcher)
        return fetcher

    def _start(self, key: tuple[str, bool], host: str) -> asyncio.Task[Page]:
        task = self._pages[key] = asyncio.ensure_future(self._check(*key))
        task.add_done_callback(partial(self._count_done, key, host))
        self._under_way[host] = self._under_way.get(host, 0) + 1
        return task

    def _count_done(self, key: tuple[str, bool], host: str, task: asyncio.Task[Page]) -> None:
        if not task.cancelled() and task.exception() is None:
            self._checked[key] = task.result()
            del self._pages[key]
        self._under_way[host] -= 1
        later = self._later.get(host)
        if later and not self._closing:
            following = later.popleft()
            self._deferred.discard(following)
            self._start(following, host)
        self._done(self._waiting.pop(key, 0))
        if self._since is not None:
            self._start_fetcher_if_busy(*self._since)

    def _start_fetcher_if_busy(self, cpu: float, wall: float, machine: _CpuTimes | None) -> None:
        """Start the fetcher process if, over the window just ended, this process was
        short of CPU and the machine had a core to spare; else measure the next window."""
        elapsed = time.perf_counter() - wall
        if elapsed < WINDOW:
            return
        now = _machine_cpu()
        if time.process_time() - cpu >= BUSY * elapsed and idle_cores(machine, now) >= SPARE:
            self._since = None
            self._starting = asyncio.ensure_future(self._start_fetcher())
        else:
            self._since = (time.process_time(), time.perf_counter(), now)

    def _done(self, count: int) -> None:
        if self._on_done is not None:
            for _ in range(count):
                self._on_done()


#: The machine's CPU time since boot, all cores together: (idle, total), in clock ticks.
_CpuTimes = tuple[int, int]


def _machine_cpu() -> _CpuTimes | None:
    """The first line of /proc/stat as (idle, total) ticks; None where there is none
    (not Linux), and then the machine's idle share is not known."""
    try:
        with open("/proc/stat", "rb") as file:
            fields = file.readline().split()
    except OSError:
        return None
    if len(fields) < 5 or fields[0] != b"cpu":
        return None
    ticks = [int(field) for field in fields[1:9] if field.isdigit()]
    return ticks[3] + (ticks[4] if len(ticks) > 4 else 0), sum(ticks)


def idle_cores(before: _CpuTimes | None, after: _CpuTimes | None) -> float:
    """How many cores were idle, on average, between two readings of `_machine_cpu`
    (idle and I/O wait); every core when the readings are missing (not Linux: the
    process's own share decides alone, as before)."""
    cores = os.cpu_count() or 1
    if before is None or after is None or after[1] <= before[1]:
        return float(cores)
    return cores * (after[0] - before[0]) / (after[1] - before[1])
