"""The remote scheduler: who gets a freed slot."""

from __future__ import annotations

import asyncio

from linkcheck._remote._hosts import Host, Pacer
from linkcheck._remote._schedule import Schedule


def _host() -> Host:
    return Host(Pacer(0.0))


def _order(requests: list[tuple[str, bool]], left: dict[str, int], limit: int = 1) -> list[str]:
    """The order in which `requests` (host, urgent) get a slot, one global slot at a time,
    after a first request to host "first" holds the only slot while they queue."""

    async def main() -> list[str]:
        schedule = Schedule(limit)
        for key in ("first", *left):
            schedule.add(key, 8, _host())
        for key, count in left.items():
            schedule.expect(key, count)
        started: list[str] = []
        gate = asyncio.Event()

        async def one(key: str, urgent: bool, label: str) -> None:
            async with schedule.slot(key, urgent=urgent):
                started.append(label)
                if key == "first":
                    await gate.wait()
                else:
                    await asyncio.sleep(0)

        tasks = [asyncio.create_task(one("first", False, "first"))]
        await asyncio.sleep(0)
        for n, (key, urgent) in enumerate(requests):
            tasks.append(asyncio.create_task(one(key, urgent, f"{key}{n}")))
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(*tasks)
        return started

    return asyncio.run(main())


def test_a_freed_slot_goes_to_the_host_with_the_most_work_left() -> None:
    order = _order([("small", False), ("big", False), ("big", False)], {"small": 1, "big": 9})
    assert order == ["first", "big1", "big2", "small0"]


def test_a_hop_or_retry_goes_ahead_of_its_hosts_queue() -> None:
    order = _order([("big", False), ("big", True)], {"big": 5})
    assert order == ["first", "big1", "big0"]


def test_a_host_never_has_more_than_its_limit_in_flight() -> None:
    async def main() -> int:
        schedule = Schedule(64)
        schedule.add("h", 3, _host())
        busy = most = 0

        async def one() -> None:
            nonlocal busy, most
            async with schedule.slot("h"):
                busy += 1
                most = max(most, busy)
                await asyncio.sleep(0.001)
                busy -= 1

        await asyncio.gather(*(one() for _ in range(20)))
        return most

    assert asyncio.run(main()) == 3


def test_a_paced_host_waits_its_interval_without_holding_a_global_slot() -> None:
    async def main() -> list[str]:
        schedule = Schedule(1)
        schedule.add("slow", 8, Host(Pacer(0.2)))
        schedule.add("fast", 8, _host())
        schedule.expect("slow", 10)
        started: list[str] = []

        async def one(key: str) -> None:
            async with schedule.slot(key):
                started.append(key)

        await asyncio.gather(one("slow"), one("slow"), one("fast"))
        return started

    # The second "slow" must wait 0.2 s; "fast" takes the global slot meanwhile.
    assert asyncio.run(main()) == ["slow", "fast", "slow"]


def _started_at_once(limit: int, hosts: dict[str, tuple[int, int, int]]) -> list[str]:
    """The hosts that get the `limit` slots, freed one by one by requests to another
    host while these queued: `hosts` maps a host to (its own limit, its requests
    expected, its requests waiting)."""

    async def main() -> list[str]:
        schedule = Schedule(limit)
        schedule.add("first", limit, _host())
        for key, (own, left, _) in hosts.items():
            schedule.add(key, own, _host())
            schedule.expect(key, left)
        started: list[str] = []
        first_done, gate = asyncio.Event(), asyncio.Event()

        async def one(key: str) -> None:
            async with schedule.slot(key):
                started.append(key)
                await (first_done if key == "first" else gate).wait()

        tasks = [asyncio.create_task(one("first")) for _ in range(limit)]
        await asyncio.sleep(0)
        tasks += [
            asyncio.create_task(one(key))
            for key, (_, _, waiting) in hosts.items()
            for _ in range(waiting)
        ]
        await asyncio.sleep(0)
        first_done.set()
        for _ in range(limit + 2):
            await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(*tasks)
        return started[limit : 2 * limit]

    return asyncio.run(main())


def test_with_no_host_setting_the_pace_the_slots_are_spread_across_hosts() -> None:
    # Each host may take all 4 slots, and neither holds enough work to need them all.
    started = _started_at_once(4, {"a": (4, 10, 4), "b": (4, 6, 4)})
    assert sorted(started) == ["a", "a", "b", "b"]


def test_a_host_whose_own_slots_set_the_pace_gets_them_first() -> None:
    # "big": 10 requests at 2 at a time is 5 rounds; all 12 at 4 at a time are 3.
    started = _started_at_once(4, {"s1": (2, 1, 1), "big": (2, 10, 2), "s2": (2, 1, 1)})
    assert started[:2] == ["big", "big"]
