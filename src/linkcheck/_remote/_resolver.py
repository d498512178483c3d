"""Stage 4b: resolve remote targets over HTTP, concurrently and politely.

One GET per distinct page (fragments share it), redirects followed by hand one hop at a
time, retries with backoff on transient failures, 429s that slow the whole host.

Why GET and not HEAD first: a HEAD that answers 404/403/405 when GET would answer 200
is common (CDNs, frameworks that route only GET), so HEAD-first needs a GET fallback for
every failure, costing two requests per broken link; a GET whose body is dropped after
at most 64 KiB costs one request per link, is what a reader's browser does, and a small
body read to its end keeps the connection reusable.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import secrets
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from http import HTTPStatus
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urljoin, urlsplit

import httpx

from .._anchors import has_anchor, html_anchors
from .._models import Cause, Outcome, Redirect, Status
from .._options import Options
from .._shorteners import is_shortener
from ._errors import Failure, classify_error
from ._hosts import Host, Pacer, host_key, origin_of, retry_after, rule_for
from ._soft404 import is_home_page, near_identical, probe_key, sibling_url, soft_404_reason
from ._transport import default_transport, user_agent

#: Bytes of a body read at most: enough to find anchors on a long page.
FRAGMENT_BODY_LIMIT = 1024 * 1024
#: Bytes of a body read when only the status matters, so the connection can be reused.
DRAIN_LIMIT = 64 * 1024
_BLOCKED_CODES = frozenset({401, 403, 999})
_RETRY_CODES = frozenset({502, 503, 504})
_SENSITIVE = frozenset({"authorization", "cookie", "proxy-authorization"})
_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


async def resolve_remote(
    urls: Collection[str],
    options: Options,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    on_done: Callable[[], None] | None = None,
) -> dict[str, Outcome]:
    """Check every distinct absolute http(s) URL once; return an Outcome per URL given.

    URLs may carry a `#fragment` (checked only with options.check_fragments); all URLs
    of one page share one request. `transport=None` picks the production transport;
    pass `httpx.AsyncHTTPTransport()` to be mocked by pytest-httpx.
    """
    pages: dict[str, list[str]] = {}
    for url in urls:
        pages.setdefault(url.partition("#")[0], []).append(url)
    async with _Resolver(options, transport or default_transport(options)) as resolver:

        async def one(page: str, cited: list[str]) -> dict[str, Outcome]:
            result = await resolver.page(page, want_anchors=_wants_anchors(options, cited))
            if options.soft_404:
                result = await resolver.probed(page, result)
            outcomes = {url: _with_fragment(result, url) for url in cited}
            if on_done is not None:
                for _ in cited:
                    on_done()
            return outcomes

        done = await asyncio.gather(*(one(page, cited) for page, cited in pages.items()))
    return {url: outcome for outcomes in done for url, outcome in outcomes.items()}


def _wants_anchors(options: Options, cited: list[str]) -> bool:
    return options.check_fragments and any(url.partition("#")[2] for url in cited)


@dataclass(frozen=True, slots=True)
class _Page:
    outcome: Outcome
    anchors: frozenset[str] | None = None
    sample: bytes = b""  # the start of the body, to compare with a soft-404 probe


def _with_fragment(page: _Page, url: str) -> Outcome:
    fragment = url.partition("#")[2]
    if not fragment or page.anchors is None or fragment in page.anchors:
        return page.outcome
    decoded = httpx.URL("http://x/#" + fragment).fragment
    if fragment == "top" or has_anchor(page.anchors, fragment) or has_anchor(page.anchors, decoded):
        return page.outcome
    o = page.outcome
    reason = f"no anchor #{fragment} in the page"
    return Outcome(
        Status.BROKEN, reason, o.http_status, o.final_url, o.redirects, cause=Cause.FRAGMENT
    )


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    location: str | None
    challenge: bool
    retry_after: float | None
    anchors: frozenset[str] | None
    sample: bytes


class _Resolver:
    def __init__(self, options: Options, transport: httpx.AsyncBaseTransport) -> None:
        self._options = options
        self._slots = asyncio.Semaphore(options.max_concurrency)
        self._hosts: dict[str, Host] = {}
        self._shorteners = frozenset(host.lower() for host in options.shorteners)
        self._hops: dict[tuple[str, bool], asyncio.Future[_Answer]] = {}
        self._probes: dict[tuple[str, str], asyncio.Future[_Page]] = {}
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(options.timeout),
            follow_redirects=False,
            # A jar that accepts nothing: no cookie is ever stored or sent on.
            cookies=httpx.Cookies(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))),
            headers={"User-Agent": user_agent(options)},
            trust_env=False,
        )

    async def __aenter__(self) -> _Resolver:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def probed(self, url: str, page: _Page) -> _Page:
        """`page`, or a broken one if its host answers 200 to a sibling that cannot exist."""
        if page.outcome.status not in (Status.OK, Status.REDIRECTED) or is_home_page(url):
            return page  # a home page exists by definition
        key = probe_key(url)
        if key not in self._probes:
            sibling = sibling_url(url, "linkcheck-" + secrets.token_hex(8))
            self._probes[key] = asyncio.ensure_future(self.page(sibling, want_anchors=False))
        probe = await asyncio.shield(self._probes[key])
        landed = page.outcome.final_url or url
        same = probe.outcome.final_url is not None and probe.outcome.final_url == landed
        if probe.outcome.status in (Status.OK, Status.REDIRECTED) and (
            same or near_identical(page.sample, probe.sample)
        ):
            o = page.outcome
            reason = "soft 404: the site answers a page that cannot exist with the same page"
            return _Page(
                Outcome(
                    Status.BROKEN,
                    reason,
                    o.http_status,
                    o.final_url,
                    o.redirects,
                    cause=Cause.SOFT_404,
                )
            )
        return page

    async def page(self, url: str, want_anchors: bool) -> _Page:
        """Follow `url` through its redirects to a final answer."""
        redirects: list[Redirect] = []
        seen = {url}
        current = url
        first = origin_of(url)
        while True:
            try:
                await self._refuse_private(current)
                answer = await self._fetch(current, first, want_anchors)
            except Failure as failure:
                final = current if redirects else None
                hops = tuple(redirects)
                return _Page(
                    Outcome(failure.status, failure.reason, None, final, hops, cause=failure.cause)
                )
            if 300 <= answer.status < 400 and answer.location is not None:
                target = urljoin(current, answer.location.strip())
                redirects.append(Redirect(answer.status, target))
                problem = self._chain_problem(target, seen, len(redirects))
                if problem is not None:
                    cause, reason = problem
                    hops = tuple(redirects)
                    return _Page(
                        Outcome(
                            Status.UNREACHABLE, reason, answer.status, target, hops, cause=cause
                        )
                    )
                seen.add(target)
                current = target
                continue
            return _Page(
                self._verdict(answer, url, current, redirects), answer.anchors, answer.sample
            )

    def _chain_problem(self, target: str, seen: set[str], hops: int) -> tuple[Cause, str] | None:
        """Why a redirect chain must stop at `target` (its `hops`-th hop), or None."""
        if target in seen:
            return Cause.LOOP, f"redirect loop after {hops} hop{'s' * (hops != 1)}"
        if hops > self._options.max_redirects:
            return Cause.TOO_MANY_REDIRECTS, f"more than {self._options.max_redirects} redirects"
        scheme = urlsplit(target).scheme
        if scheme not in ("http", "https"):
            return Cause.BAD_REDIRECT, f"redirects to a non-HTTP address ({scheme}:)"
        return None

    def _verdict(self, answer: _Answer, start: str, url: str, redirects: list[Redirect]) -> Outcome:
        code = answer.status
        final = url if redirects else None
        hops = tuple(redirects)
        if any(low <= code <= high for low, high in self._options.accept):
            if redirects:
                # A shortener's first hop is where its link was meant to go.
                cited = start
                if is_shortener(urlsplit(start).hostname or "", self._shorteners):
                    cited = redirects[0].url
                dead = soft_404_reason(cited, url)
                if dead is not None:
                    return Outcome(Status.BROKEN, dead, code, final, hops, cause=Cause.SOFT_404)
            status = Status.REDIRECTED if redirects else Status.OK
            reason = f"redirected {len(hops)} time{'s' * (len(hops) != 1)}" if redirects else None
            return Outcome(status, reason, code, final, hops)
        if answer.challenge:
            return Outcome(
                Status.BLOCKED,
                "bot challenge: the server refused an automated check",
                code,
                final,
                hops,
                cause=Cause.CHALLENGE,
            )
        if code in _BLOCKED_CODES:
            return Outcome(
                Status.BLOCKED,
                f"{_phrase(code)}: the server refused an automated check",
                code,
                final,
                hops,
                cause=Cause.HTTP_STATUS,
            )
        if code == 429:
            tries = self._options.retries + 1
            reason = f"429 Too Many Requests after {tries} tr{'ies' if tries != 1 else 'y'}"
            return Outcome(Status.RATE_LIMITED, reason, code, final, hops, cause=Cause.HTTP_STATUS)
        return Outcome(Status.BROKEN, _phrase(code), code, final, hops, cause=Cause.HTTP_STATUS)

    def _host(self, url: str) -> Host:
        key = host_key(url)
        if key not in self._hosts:
            rule = rule_for(self._options.hosts, url)
            limit = (rule.max_concurrency if rule else None) or self._options.max_per_host
            interval = (
                rule.interval if rule and rule.interval is not None else self._options.host_interval
            )
            self._hosts[key] = Host(asyncio.Semaphore(limit), Pacer(interval))
        return self._hosts[key]

    async def _fetch(self, url: str, origin: str, want_anchors: bool) -> _Answer:
        """One hop, fetched once per run however many pages redirect through it.

        Only hops sent without credentials are shared: an answer to a request that
        carried a host's headers belongs to that request alone.
        """
        if self._headers(url, origin) != self._headers(url, url):
            return await self._fetch_uncached(url, origin, want_anchors)
        key = (url, want_anchors)
        if key not in self._hops:
            self._hops[key] = asyncio.ensure_future(self._fetch_uncached(url, url, want_anchors))
        return await asyncio.shield(self._hops[key])

    async def _fetch_uncached(self, url: str, origin: str, want_anchors: bool) -> _Answer:
        """One hop, with retries on transient failures and 429s."""
        options = self._options
        host = self._host(url)
        tries = options.retries + 1
        for attempt in range(tries):
            last = attempt == tries - 1
            try:
                async with host.slots:
                    await host.wait_turn()
                    async with self._slots:
                        answer = await self._attempt(url, origin, want_anchors)
            except Failure as failure:
                if last or not failure.cause.retryable:
                    if failure.cause is Cause.TIMEOUT:
                        made = f"{attempt + 1} tr{'ies' if attempt else 'y'}"
                        reason = f"no response within {options.timeout:g} s ({made})"
                        raise Failure(Status.TIMEOUT, Cause.TIMEOUT, reason) from None
                    raise
                await asyncio.sleep(self._backoff(attempt))
                continue
            if answer.status == 429:
                host.slow_down()
                if not last:
                    wait = answer.retry_after
                    wait = self._backoff(attempt) if wait is None else wait
                    await asyncio.sleep(min(wait, options.max_retry_wait))
                    continue
            else:
                host.recovered()
            if answer.status in _RETRY_CODES and not last:
                await asyncio.sleep(self._backoff(attempt))
                continue
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        return self._options.retry_backoff * (2**attempt) * random.uniform(0.5, 1.5)

    async def _attempt(self, url: str, origin: str, want_anchors: bool) -> _Answer:
        headers = self._headers(url, origin)
        try:
            request = self._client.build_request("GET", url, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError) as error:
            raise Failure(Status.INVALID, Cause.MALFORMED, f"malformed URL ({error})") from None
        try:
            # A hard deadline per attempt: a server that drips a byte a second never
            # trips a read timeout, but it does not get to hold the run hostage either.
            async with asyncio.timeout(self._options.timeout * 2):
                response = await self._client.send(request, stream=True)
                try:
                    is_html = "html" in response.headers.get("content-type", "")
                    read_anchors = want_anchors and 200 <= response.status_code < 300 and is_html
                    limit = FRAGMENT_BODY_LIMIT if read_anchors else DRAIN_LIMIT
                    body = await _read_bounded(response, limit)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise Failure(Status.TIMEOUT, Cause.TIMEOUT, "timeout") from None
        except Failure:
            raise
        except Exception as error:  # every failure becomes a reason, never a crash
            raise classify_error(error, url) from None
        anchors = None
        if read_anchors:
            anchors = frozenset(html_anchors(body.decode(response.encoding or "utf-8", "replace")))
        return _Answer(
            response.status_code,
            response.headers.get("location"),
            response.headers.get("cf-mitigated", "").lower() == "challenge",
            retry_after(response.headers.get("retry-after")),
            anchors,
            body,
        )

    def _headers(self, url: str, first: str) -> dict[str, str]:
        same_origin = origin_of(url) == first
        headers = {
            name: value
            for name, value in self._options.headers
            if same_origin or name.lower() not in _SENSITIVE
        }
        rule = rule_for(self._options.hosts, url)
        if rule is not None:
            headers.update(rule.headers)
        return headers

    async def _refuse_private(self, url: str) -> None:
        if not self._options.exclude_private:
            return
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, parts.port or 443, type=socket.SOCK_STREAM
                )
            except OSError:
                reason = f"DNS lookup failed for {host}"
                raise Failure(Status.UNREACHABLE, Cause.DNS, reason) from None
            addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        for address in addresses:
            if _is_private(address):
                reason = f"private address {address} (--exclude-private)"
                raise Failure(Status.EXCLUDED, Cause.PRIVATE, reason)


def _is_private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address in _METADATA_ADDRESSES
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


async def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` decoded bytes: a gzip bomb is cut off after `limit`, not inflated."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _phrase(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)
