"""The resolver and the whole CLI against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from pathlib import Path

import pytest

from linkcheck import HostRule, Options, Status
from linkcheck._cli import run
from remote import resolve_remote
from servers import Route, free_port, redirect, serve

QUICK = Options(timeout=0.5, retries=1, retry_backoff=0.01, max_retry_wait=1)

ROUTES = {
    "/ok": Route(),
    "/slowish": Route(delay=0.05),
    "/gone": Route(404),
    "/removed": Route(410),
    "/error": Route(500),
    "/recovers": Route(first=[503]),
    "/chain": redirect("/chain2"),
    "/chain2": redirect("/chain3", 301),
    "/chain3": redirect("/ok", 308),
    "/loop": redirect("/loop"),
    "/limited": Route(first=[429], headers={"Retry-After": "1"}),
    "/nohead": Route(head_status=405),
    "/reset": Route(reset=True),
    "/slow": Route(delay=2.0),
    "/bomb": Route(
        body=gzip.compress(b"<p>" + b"A" * 20_000_000),
        headers={"Content-Encoding": "gzip", "Content-Type": "text/html"},
    ),
}


def check(urls: list[str], options: Options = QUICK) -> dict[str, tuple[Status, str | None]]:
    outcomes = asyncio.run(resolve_remote(urls, options))
    return {url: (o.status, o.reason) for url, o in outcomes.items()}


def test_every_status_against_a_real_server() -> None:
    closed = f"http://127.0.0.1:{free_port()}/x"
    with serve(ROUTES) as server:
        urls = [server.url(p) for p in ROUTES] + [closed, server.url("/bomb#nothing")]
        options = Options(timeout=0.5, retries=1, retry_backoff=0.01, check_fragments=True)
        started = time.monotonic()
        got = check(urls, options)
        elapsed = time.monotonic() - started
        u = server.url
        assert got[u("/ok")] == (Status.OK, None)
        assert got[u("/slowish")] == (Status.OK, None)
        assert got[u("/gone")] == (Status.BROKEN, "404 Not Found")
        assert got[u("/removed")] == (Status.BROKEN, "410 Gone")
        assert got[u("/error")] == (Status.BROKEN, "500 Internal Server Error")
        assert got[u("/recovers")] == (Status.OK, None)
        assert got[u("/chain")] == (Status.REDIRECTED, "redirected 3 times")
        assert got[u("/loop")] == (Status.UNREACHABLE, "redirect loop after 1 hop")
        assert got[u("/limited")] == (Status.OK, None)
        assert got[u("/nohead")] == (Status.OK, None)
        assert got[u("/reset")] == (Status.UNREACHABLE, "connection reset by the server")
        assert got[u("/slow")] == (Status.TIMEOUT, "no response within 0.5 s (2 tries)")
        assert got[closed] == (Status.UNREACHABLE, "connection refused")
        assert got[u("/bomb#nothing")] == (Status.BROKEN, "no anchor #nothing in the page")
        # One request per URL, even where redirect chains pass through pages also cited,
        # the retries excepted.
        for path in ("/ok", "/chain", "/chain2", "/chain3", "/gone"):
            assert server.hits[("GET", path)] == 1, path
        assert server.hits[("GET", "/bomb")] == 1
        assert server.hits[("GET", "/limited")] == 2
    # Timeout x tries plus the Retry-After of one second, and a little; no less than the
    # two timeouts of /slow.
    assert 1.0 <= elapsed < 5, elapsed


def test_a_429s_retry_after_is_waited_for_no_less_and_not_much_more() -> None:
    with serve({"/limited": Route(first=[429], headers={"Retry-After": "1"})}) as server:
        started = time.monotonic()
        got = check([server.url("/limited")], Options(timeout=2, retries=1, retry_backoff=0.01))
        elapsed = time.monotonic() - started
        assert server.hits[("GET", "/limited")] == 2
    assert got == {server.url("/limited"): (Status.OK, None)}
    assert 1.0 <= elapsed < 2.5, elapsed  # the second the server asked for, not the backoff


def test_a_429_slows_the_whole_host_and_successes_speed_it_up_again() -> None:
    # Through the scheduler that grants every request its slot, as the resolver uses it.
    from linkcheck._remote._hosts import Host, Pacer
    from linkcheck._remote._schedule import Schedule

    async def gaps() -> tuple[float, float, float]:
        schedule = Schedule(8)
        host = Host(Pacer(0.0))
        schedule.add("a", 8, host)

        async def request() -> None:
            async with schedule.slot("a"):
                pass

        await request()
        host.slow_down()  # a 429
        started = time.monotonic()
        await request()
        await request()
        slowed = time.monotonic() - started
        for _ in range(6):
            host.recovered()
        await request()  # the turn booked while slowed
        started = time.monotonic()
        await request()
        await request()
        return slowed, time.monotonic() - started, host.throttle

    slowed, recovered, throttle = asyncio.run(gaps())
    assert slowed >= 0.1  # the second request to the host waited for the first
    assert recovered < 0.05
    assert throttle == 0.0


def test_credentials_for_one_host_never_reach_another() -> None:
    with serve({"/landing": Route()}) as other:
        target = f"http://localhost:{other.port}/landing"
        with serve({"/start": redirect(target, 302)}) as docs:
            rule = HostRule(f"127.0.0.1:{docs.port}", (("Authorization", "Bearer s3cret"),))
            got = check([docs.url("/start")], Options(hosts=(rule,)))
            assert got[docs.url("/start")][0] is Status.REDIRECTED
            assert docs.seen_headers[0][1].get("authorization") == "Bearer s3cret"
        ((path, headers),) = other.seen_headers
        assert path == "/landing"
        assert "authorization" not in headers


def test_a_url_cited_five_times_is_requested_once(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    with serve({"/cited": Route(), "/dead": Route(404)}) as server:
        line = f"See [the source]({server.url('/cited')}) and <{server.url('/dead')}>."
        for n in range(5):
            (tmp_path / f"a{n}.md").write_text(f"# Story {n}\n\n{line}\n")
        code = run(["--format", "json", "--retries", "0", "--no-progress", "."])
        report = json.loads(capsys.readouterr().out)
        assert server.hits[("GET", "/cited")] == 1
        assert server.hits[("GET", "/dead")] == 1
    assert code == 1
    assert report["summary"]["statuses"] == {"broken": 5, "ok": 5}
    assert report["summary"]["unique_targets"] == 2
    dead = [row for row in report["links"] if row["status"] == "broken"]
    assert {(row["file"], row["line"], row["column"], row["http_status"]) for row in dead} == {
        (f"a{n}.md", 3, line.index("<") + 1, 404) for n in range(5)
    }


@pytest.mark.slow
def test_fifty_ms_latency_many_urls_run_concurrently() -> None:
    routes = {f"/p{i}": Route(delay=0.05) for i in range(200)}
    with serve(routes) as server:
        started = time.monotonic()
        got = check([server.url(p) for p in routes], Options(max_per_host=16))
        elapsed = time.monotonic() - started
    assert all(status is Status.OK for status, _ in got.values())
    assert elapsed < 200 * 0.05 / 4  # far better than one at a time


def test_a_slow_host_does_not_starve_the_others() -> None:
    # A second per slow page: the fast ones have most of it to finish, even on a loaded
    # machine, and no slow one can sneak in before it (the test is about order, not speed).
    slow_routes = {f"/s{i}": Route(delay=1.0) for i in range(4)}
    fast_routes = {f"/f{i}": Route() for i in range(12)}
    with serve(slow_routes) as slow, serve(fast_routes) as fast:
        done_at: list[float] = []
        started = time.monotonic()
        urls = [slow.url(p) for p in slow_routes] + [fast.url(p) for p in fast_routes]
        options = Options(max_concurrency=4, max_per_host=2, retries=0)
        asyncio.run(resolve_remote(urls, options, on_done=lambda: done_at.append(time.monotonic())))
    # No slow page can finish before 1 s; by then all twelve fast ones have, although
    # the slow host's pages came first and, queued ahead, would hold the others back.
    assert sum(1 for t in done_at if t - started < 0.95) == 12
    assert len(done_at) == 16


def test_a_second_process_making_part_of_the_requests_gives_the_same_outcomes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkcheck._remote import _resolver, _stream

    routes = {k: v for k, v in ROUTES.items() if k not in ("/slow", "/bomb")}
    options = Options(timeout=0.5, retries=1, retry_backoff=0.01, check_fragments=True)

    def by_path() -> dict[str, tuple[Status, str | None]]:
        with serve(routes) as server:
            paths = [*routes, "/ok#nothing"]
            got = check([server.url(p) for p in paths], options)
            return {p: got[server.url(p)] for p in paths}

    alone = by_path()
    spawned: list[object] = []
    real_start = _resolver.Fetcher.start

    async def start(options: Options) -> object:
        spawned.append(await real_start(options))
        return spawned[-1]

    monkeypatch.setattr(_stream, "PARALLEL_FROM", 1)
    monkeypatch.setattr(_stream, "BUSY", 0.0)  # as if this process were short of CPU
    monkeypatch.setattr(_stream, "SPARE", 0.0)  # … and the machine had a core to spare
    monkeypatch.setattr(_stream, "WINDOW", 0.0)
    monkeypatch.setattr(_resolver.Fetcher, "start", start)
    shared = by_path()
    assert spawned and spawned[0] is not None
    assert shared == alone
    assert alone["/gone"][0] is Status.BROKEN and alone["/recovers"][0] is Status.OK


def test_no_second_process_while_this_one_has_cpu_to_spare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkcheck._remote import _resolver, _stream

    spawned: list[object] = []

    async def start(options: Options) -> object:
        spawned.append(options)
        return None

    monkeypatch.setattr(_stream, "PARALLEL_FROM", 1)
    monkeypatch.setattr(_stream, "WINDOW", 0.1)
    monkeypatch.setattr(_resolver.Fetcher, "start", start)
    routes = {"/slow": Route(delay=0.3)}
    with serve(routes) as server:
        urls = [server.url(f"/slow?{n}") for n in range(6)]
        got = check(urls, Options(timeout=5, retries=0, max_per_host=2))
    assert all(status is Status.OK for status, _ in got.values())
    assert spawned == []  # the requests waited on the server, not on this process


def test_no_second_process_when_the_machine_has_no_core_to_spare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Short of CPU here, but every core busy (the bench's server on the same two cores):
    # a second process would only add its pipe and its imports.
    from linkcheck._remote import _resolver, _stream

    spawned: list[object] = []

    async def start(options: Options) -> object:
        spawned.append(options)
        return None

    monkeypatch.setattr(_stream, "PARALLEL_FROM", 1)
    monkeypatch.setattr(_stream, "BUSY", 0.0)  # as if this process were short of CPU
    monkeypatch.setattr(_stream, "SPARE", 1000.0)  # more idle cores than any machine has
    monkeypatch.setattr(_stream, "WINDOW", 0.0)
    monkeypatch.setattr(_resolver.Fetcher, "start", start)
    with serve({"/ok": Route(delay=0.02)}) as server:
        got = check([server.url(f"/ok?{n}") for n in range(10)], Options(timeout=5, retries=0))
    assert all(status is Status.OK for status, _ in got.values())
    assert spawned == []


def test_idle_cores_between_two_readings_of_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    from linkcheck._remote import _stream

    monkeypatch.setattr(_stream.os, "cpu_count", lambda: 2)
    assert _stream.idle_cores((100, 1000), (150, 1100)) == 1.0  # half the ticks idle
    assert _stream.idle_cores((100, 1000), (100, 1100)) == 0.0  # every core busy
    assert _stream.idle_cores(None, (100, 1100)) == 2.0  # not known: every core
    assert _stream.idle_cores((100, 1000), (100, 1000)) == 2.0  # no tick between them


def test_when_the_fetcher_process_dies_its_requests_are_made_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from linkcheck._remote import _resolver, _stream

    real_start = _resolver.Fetcher.start
    killed: list[bool] = []

    async def start_then_die(options: Options) -> object:
        fetcher = await real_start(options)
        assert fetcher is not None
        fetcher._process.kill()
        killed.append(True)
        return fetcher

    monkeypatch.setattr(_stream, "PARALLEL_FROM", 1)
    monkeypatch.setattr(_stream, "BUSY", 0.0)  # as if this process were short of CPU
    monkeypatch.setattr(_stream, "SPARE", 0.0)  # … and the machine had a core to spare
    monkeypatch.setattr(_stream, "WINDOW", 0.0)
    monkeypatch.setattr(_resolver.Fetcher, "start", start_then_die)
    routes = {"/ok": Route(delay=0.05), "/gone": Route(404)}
    with serve(routes) as server:
        urls = [server.url("/ok"), server.url("/gone")] + [
            server.url(f"/ok?{n}") for n in range(20)
        ]
        got = check(urls, Options(timeout=2, retries=0))
    assert killed
    assert got[server.url("/gone")] == (Status.BROKEN, "404 Not Found")
    assert all(got[u][0] is Status.OK for u in urls if "/ok" in u)


def test_a_request_carries_httpx_s_headers_and_nothing_of_another_request() -> None:
    # Requests go to the transport without AsyncClient.send: they must still say what
    # httpx's client says (what it accepts and can decode), and carry nothing else.
    import httpx

    from linkcheck._remote._transport import BROWSER_ACCEPT, BROWSER_ACCEPT_LANGUAGE

    routes = {"/set": Route(headers={"Set-Cookie": "seen=1"}), "/next": Route()}
    with serve(routes) as server:
        check([server.url("/set"), server.url("/next")])
        sent = dict(server.seen_headers)
    expected = {
        "host": f"127.0.0.1:{server.port}",
        "accept": BROWSER_ACCEPT,  # as a browser asks (crates.io 404s */*)
        "accept-language": BROWSER_ACCEPT_LANGUAGE,
        "accept-encoding": httpx.AsyncClient().headers["accept-encoding"],
        "connection": "keep-alive",
        "user-agent": sent["/set"]["user-agent"],
    }
    assert sent["/set"] == sent["/next"] == expected
    assert expected["user-agent"].startswith("linkcheck/")


def test_the_fetcher_process_speaks_typed_messages() -> None:
    from linkcheck import Cause
    from linkcheck._remote._fetcher import Answered, Attempt, Failed, decode, encode

    messages = [
        Attempt(1, "https://x.example/a", "https://x.example", True, "k=v", False, True),
        Answered(2, 200, (("set-cookie", "a=1"), ("set-cookie", "b=2")), True, ("top",), True, 5),
        Answered(3, 404, (), False, None, False, 0),
        Failed(4, Status.UNREACHABLE, Cause.DNS, "DNS lookup failed for x.example"),
    ]
    for message in messages:
        line = encode(message)
        assert line.endswith(b"\n") and line.count(b"\n") == 1
        assert decode(line) == message
    for stranger in (b'[1, "ok", 200]', b'{"type": "answered", "ident": 1}', b'{"type": "x"}'):
        with pytest.raises(ValueError):
            decode(stranger)
