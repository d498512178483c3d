"""What a run holds per page while it checks: a bounded number of checks under way per
host, and hops shared for the run kept without what no verdict reads (docs/scale.md)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx

from linkcheck import Options, Status
from linkcheck._remote import _resolver
from linkcheck._remote._stream import AHEAD
from remote import resolve_remote

REMOTE = Path(_resolver.__file__).parent


def test_checks_under_way_per_host_stay_within_the_window() -> None:
    alive: list[int] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        alive.append(len(asyncio.all_tasks()))
        await asyncio.sleep(0.001)
        return httpx.Response(200, html="<title>story</title>")

    urls = [f"http://127.0.0.1:9/story-{n}" for n in range(300)]
    options = Options(max_per_host=2, retries=0)
    got = asyncio.run(resolve_remote(urls, options, transport=httpx.MockTransport(answer)))
    assert {o.status for o in got.values()} == {Status.OK}
    assert len(alive) == 300
    # The run's main task and the window's checks (AHEAD per slot), not one per page.
    assert max(alive) <= 1 + AHEAD * 2 <= 9


def test_a_shared_redirect_hop_keeps_no_body_and_only_the_headers_verdicts_read() -> None:
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.startswith("/short"):
            return httpx.Response(301, headers={"Location": "/hop", "X-Served-By": "cache-1"})
        if request.url.path == "/hop":
            headers = {"Location": "/story", "Server": "big"}
            return httpx.Response(302, headers=headers, content=b"x" * 5000)
        return httpx.Response(200, html="<title>The story</title>")

    urls = ["http://127.0.0.1:9/short-1", "http://127.0.0.1:9/short-2"]
    got = asyncio.run(
        resolve_remote(urls, Options(retries=0), transport=httpx.MockTransport(answer))
    )
    assert [o.status for o in got.values()] == [Status.REDIRECTED, Status.REDIRECTED]
    assert got[urls[0]].redirects == got[urls[1]].redirects
    assert asked.count("/hop") == 1  # shared: asked once for both chains

    full = _resolver._Answer(
        302,
        httpx.Headers({"Location": "/story", "Server": "big", "Set-Cookie": "b=2"}),
        b"x" * 5000,
        True,
        None,
    )
    kept = full.shared()
    assert kept.body == b""
    assert sorted(kept.headers.multi_items()) == [("location", "/story"), ("set-cookie", "b=2")]
    final = _resolver._Answer(
        200, httpx.Headers({"Server": "big"}), b"<title>x</title>", True, None
    )
    assert final.shared().body == final.body  # a final answer's body is judged
    assert not final.shared().headers


#: Header names read of a response before its answer exists (`Resolver.attempt`,
#: `read_bounded`), or of an answer never shared (`Resolver._raw_text`'s content-type).
_READ_BEFORE = {"content-length", "content-encoding", "content-type"}


def test_every_header_a_verdict_reads_is_kept_by_a_shared_hop() -> None:
    pattern = re.compile(
        r"""headers\.get(?:_list)?\(\s*["']([^"']+)["']|headers\[["']([^"']+)["']\](?!\s*=)"""
        r"""|["']([^"']+)["'] in (?:\w+\.)*headers"""
    )
    read = set()
    for name in ("_resolver.py", "_walls.py", "_chain.py", "_cookies.py"):
        for match in pattern.finditer((REMOTE / name).read_text()):
            read.add(next(g for g in match.groups() if g).lower())
    assert "location" in read and "x-ratelimit-reset" in read  # the scan sees them
    assert read - _READ_BEFORE <= _resolver.VERDICT_HEADERS


def test_a_shared_hop_keeps_every_other_field_of_its_answer() -> None:
    import dataclasses

    answer = _resolver._Answer(
        200, httpx.Headers({"Refresh": "0; url=/x"}), b"body", False, frozenset({"a"}), True
    )
    shared = answer.shared()
    for field in dataclasses.fields(answer):
        if field.name not in ("headers", "body"):
            assert getattr(shared, field.name) == getattr(answer, field.name), field.name
    assert shared.body == b"body" and shared.headers.get("refresh") == "0; url=/x"
