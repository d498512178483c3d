"""Each request the resolver makes is the request httpx's own set-up would make of the same
URL and headers (the resolver builds it more cheaply: Host added once per netloc, the empty
body already read; docs/benchmarks.md)."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkcheck import Options
from linkcheck._remote._chain import without_userinfo
from linkcheck._remote._resolver import BROWSER_USER_AGENT, Resolver, _framing

URLS = [
    "http://127.0.0.1:9/a?b=c#d",
    "http://127.0.0.1:80/default-port",
    "https://example.com/",
    "https://example.com:443/same-host-default-port",
    "https://example.com:8443/other-port",
    "http://EXAMPLE.org/upper-case-host",
    "http://user:secret@example.net/userinfo",
    "https://bücher.example/idna",
    "http://[::1]:8080/ipv6",
    "https://example.com/a path/with spaces?q=ä",
]


@pytest.mark.parametrize("cookie", ["", "session=1"])
@pytest.mark.parametrize("as_browser", [False, True])
def test_each_request_is_what_httpx_would_have_built(cookie: str, as_browser: bool) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200)

    options = Options(retries=0, headers=(("X-Team", "docs"),))

    async def run() -> list[httpx.Headers]:
        async with Resolver(options, httpx.MockTransport(answer)) as resolver:
            given = []
            for url in URLS * 2:  # the second time, from what was built once per netloc
                origin = url if url != URLS[0] else "http://other.example"
                given.append(resolver._request_headers(url, origin))
                await resolver.attempt(url, origin, False, cookie, as_browser)
            return given

    given = asyncio.run(run())
    assert len(sent) == len(given) == 2 * len(URLS)
    for request, headers, url in zip(sent, given, URLS * 2, strict=True):
        headers = headers.copy()
        if cookie:
            headers["Cookie"] = cookie
        if as_browser:
            headers["User-Agent"] = BROWSER_USER_AGENT
        expected = httpx.Request("GET", without_userinfo(url), headers=headers)
        assert request.method == expected.method
        assert request.url == expected.url
        assert request.headers.raw == expected.headers.raw  # Host first, in the same order
        assert request.content == expected.content == b""
        assert request.stream is not None


def test_on_the_wire_a_get_carries_no_body_and_its_host_first() -> None:
    """Through the production transport (aiohttp's): a request whose body httpx had not
    read would go out chunked, with a Transfer-Encoding header and a body."""
    from linkcheck._remote import default_transport

    heads: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        extra = b""
        with contextlib.suppress(TimeoutError):
            extra = await asyncio.wait_for(reader.read(100), 0.2)  # a body, if one came
        heads.append(head + extra)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def run() -> int:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        options = Options(retries=0, timeout=10)
        try:
            async with Resolver(options, default_transport(options)) as resolver:
                url = f"http://127.0.0.1:{port}/page"
                answer = await resolver.attempt(url, url, False, "", False)
                assert answer.status == 200
        finally:
            server.close()
            await server.wait_closed()
        return port

    port = asyncio.run(run())
    [head] = heads
    lines = head.split(b"\r\n")
    assert lines[0] == b"GET /page HTTP/1.1"
    assert lines[1].lower() == f"host: 127.0.0.1:{port}".encode()
    assert b"transfer-encoding" not in head.lower()
    assert head.endswith(b"\r\n\r\n")  # and nothing after the head


@pytest.mark.parametrize(
    ("headers", "requests"),
    [
        ((("X-Team", "docs"),), 2),  # the same for anyone: later chains share the hop
        ((("Authorization", "Bearer s3cret"),), 4),  # the cited origin's own: not shared
    ],
)
def test_a_hop_is_shared_only_when_its_request_carries_what_anyones_would(
    headers: tuple[tuple[str, str], ...], requests: int
) -> None:
    """Whether two headers are alike is worked out once per pair of netloc entries
    (Resolver._shareable), not per request: the answer is the same as comparing them."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, text="ok")

    async def run() -> None:
        async with Resolver(Options(retries=0, headers=headers), httpx.MockTransport(answer)) as r:
            for _ in range(3):  # the first pair compared, the next ones from what was kept
                await r.page("https://docs.example/a", want_anchors=False)
            await r.page("https://docs.example/b", want_anchors=False)

    asyncio.run(run())
    assert len(sent) == requests  # /a once or three times, /b once
    assert all(("authorization" in request.headers) == (requests == 4) for request in sent)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    b"Content-Type",
                    b"content-type",
                    b"CONTENT-LENGTH",
                    b"Content-Length",
                    b"content-encoding",
                    b"Content-Encoding",
                    b"Location",
                    b"X-Other",
                ]
            ),
            st.binary(max_size=12).filter(lambda value: b"\r" not in value and b"\n" not in value),
        ),
        max_size=6,
    )
)
def test_one_pass_over_the_headers_reads_what_httpx_lookups_read(
    raw: list[tuple[bytes, bytes]],
) -> None:
    headers = httpx.Headers(raw)
    expected = (
        headers.get("content-type", ""),
        headers.get("content-length", ""),
        "content-encoding" in headers,
    )
    assert _framing(headers) == expected
