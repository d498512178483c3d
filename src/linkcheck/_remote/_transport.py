"""The production transport and the client settings every remote request shares."""

from __future__ import annotations

import os
import resource
import ssl
import urllib.request
from collections.abc import Mapping
from functools import partial
from typing import Any

import httpx

from .._options import Options
from .._version import __version__
from ._errors import caused_by
from ._lenient import lenient_request

#: What a browser asks for (Chrome's and Firefox's navigation `Accept`): some servers
#: answer a request that does not ask for HTML with 404 or JSON (crates.io).
BROWSER_ACCEPT = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)
#: A browser always says which languages its reader reads; some pages fail without it.
BROWSER_ACCEPT_LANGUAGE = "en-US,en;q=0.9"
#: Bytes of one response header line, and of one header field, read at most. Browsers
#: read far longer lines than aiohttp's 8 KiB (CMS cache tags, long CSPs and cookies
#: run to 12-20 KiB); Chrome's bound for all the headers is 256 KiB.
MAX_HEADER_LINE = 128 * 1024
#: Header fields read at most (a Microsoft site sends over 100).
MAX_HEADERS = 512
#: The request extension that asks for a connection of its own, opened for it and
#: closed after it: a retry never goes out on the connection that just failed.
FRESH_CONNECTION = "linkcheck.fresh_connection"


def connection_cap(options: Options, fd_limit: int | None = None) -> int:
    """Connections in use at once: --max-concurrency, but never more than an eighth of
    the file descriptors this process may open (read at start)."""
    return max(1, min(options.max_concurrency, _fd_limit(fd_limit) // 8))


def idle_cap(options: Options, fd_limit: int | None = None) -> int:
    """Idle kept-alive connections at most: with those in use, a quarter of the file
    descriptors, so ten thousand hosts cannot exhaust them."""
    return max(1, _fd_limit(fd_limit) // 4 - connection_cap(options, fd_limit))


def _fd_limit(given: int | None) -> int:
    if given is not None:
        return given
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def env_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    """HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY by scheme (`http`, `https`, `all`,
    `no`), the lower-case name winning as in curl and urllib."""
    found: dict[str, str] = {}
    for name in sorted(environ, key=lambda n: n.islower()):  # upper case first, then lower
        if name.lower().endswith("_proxy") and environ[name]:
            found[name.lower()[: -len("_proxy")]] = environ[name]
    return found


def proxy_for(url: httpx.URL, proxies: Mapping[str, str]) -> httpx.Proxy | None:
    """The proxy a request to `url` goes through (its scheme's, else ALL_PROXY), or None
    (none set, a NO_PROXY match, or a proxy that is not HTTP, such as socks5://)."""
    if not proxies:
        return None
    host = url.host if url.port is None else f"{url.host}:{url.port}"
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]  # not in typeshed
    if bypass(host, dict(proxies)):
        return None
    chosen = proxies.get(url.scheme) or proxies.get("all")
    if not chosen or not chosen.lower().startswith(("http://", "https://")):
        return None
    return httpx.Proxy(chosen)


def default_transport(
    options: Options, environ: Mapping[str, str] | None = None
) -> httpx.AsyncBaseTransport:
    """aiohttp's connection pool behind the httpx API: 3.5x less CPU per request than
    httpx's own pool, with the same outcomes (bench/transports.py, docs/resolver.md)."""
    import aiohttp
    from httpx_aiohttp import AiohttpTransport

    cap, idle_max = connection_cap(options), idle_cap(options)
    proxies = (
        {} if options.no_proxy_env else env_proxies(os.environ if environ is None else environ)
    )

    class BoundedConnector(aiohttp.TCPConnector):
        """aiohttp's `limit` counts only connections in use; idle ones would pile up,
        one per host ever asked. Beyond `idle_max` idle connections, the longest idle is
        closed (a busy host's connection, just released, is kept for its next request)."""

        def _release(self, key: Any, protocol: Any, *, should_close: bool = False) -> None:
            super()._release(key, protocol, should_close=should_close)
            pool = self._conns
            idle = sum(map(len, pool.values()))
            while idle > idle_max:
                oldest = min((k for k in pool if pool[k]), key=lambda k: pool[k][0][1])
                stale, _since = pool[oldest].popleft()
                if not pool[oldest]:
                    del pool[oldest]
                stale.close()
                idle -= 1

    from aiohttp.http_exceptions import LineTooLong

    class Transport(AiohttpTransport):
        """aiohttp's pool; a request that asks for a fresh connection gets one of its own
        (`FRESH_CONNECTION`); an answer aiohttp's parser refuses for its framing is read
        again by h11 (_lenient.py), as lenient as browsers where aiohttp is not."""

        fresh: AiohttpTransport | None = None

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.extensions.get(FRESH_CONNECTION) and self is not self.fresh:
                if self.fresh is None:
                    self.fresh = Transport(client=partial(session, True), verify=context)
                    self.fresh.fresh = self.fresh
                return await self.fresh.handle_async_request(request)
            # AiohttpTransport reads `self.proxy` before its first await, so setting it
            # here for each request is safe on one event loop.
            self.proxy = proxy_for(request.url, proxies)
            try:
                return await super().handle_async_request(request)
            except aiohttp.ClientResponseError as error:
                if caused_by(error, LineTooLong) or self.proxy is not None:
                    raise  # beyond the bound: headers too large
                return await lenient_request(request, context)

        async def aclose(self) -> None:
            await super().aclose()
            if self.fresh is not None and self.fresh is not self:
                await self.fresh.aclose()

    context = tls_context(options)

    def session(fresh: bool = False) -> aiohttp.ClientSession:
        if fresh:
            connector: aiohttp.TCPConnector = aiohttp.TCPConnector(
                force_close=True, ttl_dns_cache=300, ssl=context
            )
        else:
            connector = BoundedConnector(limit=cap, ttl_dns_cache=300, ssl=context)
        # No cookie jar at all: each redirect chain keeps its own (see _resolver).
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            max_line_size=MAX_HEADER_LINE,
            max_field_size=MAX_HEADER_LINE,
            max_headers=MAX_HEADERS,
        )

    # `verify`: the context the connector uses, so that AiohttpTransport does not build
    # one of its own that nothing would use (20 ms of CPU).
    return Transport(client=session, verify=context)


def tls_context(options: Options) -> ssl.SSLContext:
    """The certificates a run trusts: the system's, which OpenSSL reads from
    `SSL_CERT_FILE` and `SSL_CERT_DIR` when they are set, and `--ca-cert`'s; none checked
    at all with `--insecure`."""
    context = ssl.create_default_context()
    if options.ca_cert is not None:
        context.load_verify_locations(cafile=options.ca_cert)
    if options.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def user_agent(options: Options) -> str:
    return options.user_agent or f"linkcheck/{__version__}"
