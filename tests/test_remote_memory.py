"""What a run keeps per remote page while it goes on: not the pages' bodies (a hop is
shared with every page redirected through it, so it lives for the whole run)."""

from __future__ import annotations

import asyncio
import tracemalloc

from linkcheck import Options, Status
from linkcheck._remote import RemoteChecks
from servers import Route, redirect, serve

PAGE = b"<html><title>A story</title><h1 id='top'>x</h1>" + b"<p>words</p>" * 5000  # 60 KB


async def _held(options: Options, pages: int) -> tuple[int, int]:
    """Bytes still traced once every check is done (the checks kept open), and how many
    URLs came out ok or redirected."""
    routes = {f"/page/{n}": Route(200, {"Content-Type": "text/html"}, PAGE) for n in range(pages)}
    routes |= {f"/moved/{n}": redirect(f"/page/{n}") for n in range(pages)}
    with serve(routes, lifetime=60) as server:
        return await _checked(options, [server.url(path) for path in routes])


async def _checked(options: Options, urls: list[str]) -> tuple[int, int]:
    checks = RemoteChecks(options)
    try:
        tracemalloc.start()
        checks.add_all(urls)
        outcomes = await checks.results()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        fine = sum(o.status in (Status.OK, Status.REDIRECTED) for o in outcomes.values())
        return held, fine
    finally:
        await checks.close()


def test_a_finished_page_keeps_neither_its_body_nor_its_headers() -> None:
    """200 pages of 60 KB (and 200 redirects to them): 12 MB of bodies if they were held."""
    held, fine = asyncio.run(_held(Options(retries=0), 200))
    assert fine == 400
    assert held < 2_000_000, held
