"""Which waiting request goes next: per-host and global slots, granted to the host that
needs them most.

With a few hosts holding most of a run's URLs, the busiest host alone may set how long
the run takes (its requests ÷ its slots × the latency): such a host is *critical* (its
own slots drain it no sooner than all the slots drain the whole run), and it must never
wait for a global slot behind hosts whose work could be done later. So a freed slot goes
first to a critical host (the one with the most requests still expected per slot), and
otherwise to the host with the fewest requests in flight: with the work spread, each
host needs a few connections rather than a burst of as many as its limit allows (at 64
per host, 1,280 connections for 7,077 requests became about 240; each is a handshake
for the server and for this process). A redirect hop or a retry goes ahead of its host's
queue (its chain is already under way), and a host that must pace its requests (an
interval, a throttle after 429s, a Retry-After) does not hold a global slot while it
waits.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections import deque
from dataclasses import dataclass, field

from ._hosts import Host


@dataclass(eq=False)
class _Lane:
    """One host's queue: its waiters, requests in flight, and requests still expected."""

    key: str
    limit: int
    host: Host
    busy: int = 0
    left: int = 0
    waiting: deque[asyncio.Future[float]] = field(default_factory=deque)
    #: The priority of its live entry in the ready heap, or None (older entries with
    #: another priority are stale, and skipped when they come out).
    queued: tuple[int, float, int] | None = None
    timer: asyncio.TimerHandle | None = None

    def ready(self) -> bool:
        while self.waiting and self.waiting[0].done():  # cancelled while it waited
            self.waiting.popleft()
        return bool(self.waiting) and self.busy < self.limit

    def due(self) -> float:
        """Monotonic time before which the host's pacing allows no request."""
        return self.host.pacer.not_before


class Schedule:
    """`limit` requests in flight in all, each host's own limit per host."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._free = limit
        self._left = 0  # requests still expected, all hosts together
        self._lanes: dict[str, _Lane] = {}
        self._ready: list[tuple[tuple[int, float, int], int, _Lane]] = []  # (priority, order, lane)
        self._order = 0

    def add(self, key: str, limit: int, host: Host) -> None:
        if key not in self._lanes:
            self._lanes[key] = _Lane(key, max(1, limit), host)

    def expect(self, key: str, count: int = 1) -> None:
        """`count` more requests to the host `key` will be made (its priority rises)."""
        lane = self._lanes.get(key)
        if lane is not None:
            self._count(lane, lane.left + count)

    def limit(self, key: str) -> int:
        """Requests in flight at most for the host `key` (added before)."""
        return self._lanes[key].limit

    def slot(self, key: str, *, urgent: bool = False) -> _Slot:
        """`async with` it: a slot of host `key` (added before) and a global one, held
        for one request."""
        return _Slot(self, self._lanes[key], urgent)

    def _count(self, lane: _Lane, left: int) -> None:
        self._left += left - lane.left
        lane.left = left

    def _priority(self, lane: _Lane) -> tuple[int, float, int]:
        """Smallest first: a critical host by its requests left per slot, then the
        others by their requests in flight, the one with the most left first."""
        if lane.left and lane.left * self._limit >= self._left * lane.limit:
            return (0, -lane.left / lane.limit, 0)
        return (1, lane.busy, -lane.left)

    async def _acquire(self, lane: _Lane, urgent: bool) -> None:
        while True:
            # Its result: the pacing the grant itself set (the next request's turn).
            granted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
            if urgent:
                lane.waiting.appendleft(granted)
            else:
                lane.waiting.append(granted)
            self._offer(lane)
            self._dispatch()
            try:
                paced = await granted
            except asyncio.CancelledError:
                if granted.done() and not granted.cancelled():
                    self._release(lane)  # granted just as it was cancelled: give it back
                elif granted in lane.waiting:
                    lane.waiting.remove(granted)
                raise
            if lane.due() <= max(paced, time.monotonic()):
                return
            # The host was told to wait (a Retry-After, a spent quota) after this slot
            # was granted and before it was taken up: back to the front of its queue.
            self._release(lane, done=False)
            urgent = True

    def _release(self, lane: _Lane, done: bool = True) -> None:
        lane.busy -= 1
        if done:
            self._count(lane, max(0, lane.left - 1))
        self._free += 1
        self._offer(lane)
        self._dispatch()

    def _offer(self, lane: _Lane) -> None:
        if not lane.ready() or lane.timer is not None:
            return
        priority = self._priority(lane)
        if lane.queued != priority:  # none yet, or one with a priority no longer its own
            lane.queued = priority
            self._order += 1
            heapq.heappush(self._ready, (priority, self._order, lane))

    def _dispatch(self) -> None:
        now = time.monotonic()
        while self._free > 0 and self._ready:
            priority, _, lane = heapq.heappop(self._ready)
            if lane.queued != priority:
                continue  # a stale entry: the lane has a newer one, or none
            lane.queued = None
            if not lane.ready():
                continue
            if self._priority(lane) != priority:  # its work changed since it was queued
                self._offer(lane)
                continue
            due = lane.due()
            if due > now:
                lane.timer = asyncio.get_running_loop().call_later(due - now, self._wake, lane)
                continue
            granted = lane.waiting.popleft()
            lane.busy += 1
            self._free -= 1
            gap = lane.host.gap()
            paced = 0.0
            if gap > 0:
                paced = lane.host.pacer.not_before = now + gap
            granted.set_result(paced)
            self._offer(lane)

    def _wake(self, lane: _Lane) -> None:
        lane.timer = None
        self._offer(lane)
        self._dispatch()


class _Slot:
    """A class, not @asynccontextmanager: this is entered once per request, and a
    generator-based context manager costs several times as much."""

    __slots__ = ("_lane", "_schedule", "_urgent")

    def __init__(self, schedule: Schedule, lane: _Lane, urgent: bool) -> None:
        self._schedule = schedule
        self._lane = lane
        self._urgent = urgent

    async def __aenter__(self) -> None:
        await self._schedule._acquire(self._lane, self._urgent)

    async def __aexit__(self, *exc: object) -> None:
        self._schedule._release(self._lane)
