"""A page's body, fetched for reading (a URL given as PATH, a crawl, robots.txt): one
GET through linkcheck's transport, paced per origin, bounded in size, never raising for
the network. Checking a link is the resolver's; this only reads."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from .._options import Options
from ._errors import classify_error
from ._hosts import origin_of
from ._resolver import page_charset, read_bounded
from ._transport import default_transport, user_agent

#: Media types read as pages (others are checked as links, never read).
PAGE_TYPES = ("text/html", "application/xhtml+xml")
#: A page is asked for as a browser asks for it.
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one GET of a page gave."""

    url: str  # as asked
    final: str  # where its redirects ended
    status: int | None  # None: no answer
    media_type: str
    body: bytes
    charset: str = "utf-8"
    error: str | None = None

    @property
    def page(self) -> bool:
        return (
            self.status is not None
            and 200 <= self.status < 300
            and (self.media_type in PAGE_TYPES or not self.media_type)
        )


class PageFetcher:
    """GETs with linkcheck's politeness: at most --max-per-host at once per origin, and
    --host-interval (or the site's Crawl-delay, whichever is longer) between starts.
    Redirects are followed here, as the resolver follows them (sent to the transport,
    which is given no body to frame), at most --max-redirects; the configured headers
    go to the first origin only."""

    def __init__(self, options: Options, transport: httpx.AsyncBaseTransport | None) -> None:
        self._transport = transport or default_transport(options)
        self._own = transport is None
        self._agent = user_agent(options)
        self._options = options
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._interval: dict[str, float] = {}
        self._next: dict[str, float] = {}

    async def __aenter__(self) -> PageFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._own:
            await self._transport.aclose()

    def pace(self, origin: str, delay: float | None) -> None:
        """Honour a site's Crawl-delay (bounded by --max-retry-wait)."""
        if delay is not None:
            delay = min(delay, self._options.max_retry_wait)
            self._interval[origin] = max(delay, self._options.host_interval)

    async def _turn(self, origin: str) -> None:
        interval = self._interval.get(origin, self._options.host_interval)
        if interval <= 0:
            return
        now = time.monotonic()
        start = max(now, self._next.get(origin, now))
        self._next[origin] = start + interval
        await asyncio.sleep(start - now)

    async def get(self, url: str, limit: int | None = None) -> Fetched:
        """One page: its body (at most `limit`, default --max-file-size) when it is a
        page, or whatever it is when a limit is given (robots.txt); never raises for
        the network."""
        given = limit is not None
        limit = self._options.max_file_size if limit is None else limit
        first = origin_of(url)
        current = url
        for _ in range(self._options.max_redirects + 1):
            origin = origin_of(current)
            slots = self._slots.setdefault(origin, asyncio.Semaphore(self._options.max_per_host))
            async with slots:
                await self._turn(origin)
                try:
                    async with asyncio.timeout(self._options.timeout * 2):
                        response = await self._transport.handle_async_request(
                            self._request(current, same_origin=origin == first)
                        )
                        status = response.status_code
                        location = response.headers.get("location")
                        if 300 <= status < 400 and location:
                            await response.aclose()
                            current = urljoin(current, location)
                            continue
                        content_type = response.headers.get("content-type", "")
                        media = content_type.split(";")[0].strip().lower()
                        body = b""
                        if 200 <= status < 300 and (given or media in PAGE_TYPES or not media):
                            body, _ = await read_bounded(response, limit, self._options.timeout)
                        await response.aclose()
                except Exception as error:  # every failure becomes a reason, never a crash
                    failure = classify_error(error, current)
                    return Fetched(url, current, None, "", b"", error=failure.reason)
            charset = page_charset(content_type, body)
            return Fetched(url, current, status, media, body, charset)
        return Fetched(url, current, None, "", b"", error="too many redirects")

    def _request(self, url: str, *, same_origin: bool) -> httpx.Request:
        headers = {"User-Agent": self._agent, "Accept": _ACCEPT}
        if same_origin:
            headers.update(self._options.headers)
        return httpx.Request("GET", url, headers=headers)
