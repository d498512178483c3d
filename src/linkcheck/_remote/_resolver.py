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
import base64
import codecs
import ipaddress
import random
import re
import secrets
import socket
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Literal, cast
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

import httpx

from .._anchors import USER_CONTENT, has_anchor, html_anchors
from .._models import WORKING_STATUSES, Cause, Outcome, Redirect, Status
from .._options import Options
from .._shorteners import is_shortener
from ._chain import NON_HTTP, ChainJar, without_userinfo
from ._codehosts import (
    PREFIXES,
    is_markdown,
    line_count,
    line_range,
    markdown_anchors,
    raw_file_url,
)
from ._cookies import CookieFile
from ._errors import Failure, classify_error
from ._fetcher import Fetcher, Gone
from ._hosts import (
    Host,
    Pacer,
    host_key,
    host_key_of_parts,
    host_names,
    origin_of,
    origin_of_parts,
    retry_after,
    rule_for,
)
from ._private import is_private
from ._schedule import Schedule
from ._soft404 import is_home_page, near_identical, probe_key, sibling_url, soft_404_reason
from ._transport import (
    BROWSER_ACCEPT,
    BROWSER_ACCEPT_LANGUAGE,
    FRESH_CONNECTION,
    connection_cap,
    user_agent,
)
from ._walls import (
    BLOCKED_CODES,
    VIDEO_MARKERS,
    anchor_part,
    declared_gone,
    is_app_shell,
    is_bot_wall,
    is_framed,
    is_login_page,
    is_not_found_title,
    is_parked,
    is_proof_of_work_wall,
    player_status,
    quota_exhausted_for,
    rate_limit_reset,
    refresh_target,
    title,
)

#: Bytes of a body read at most: enough to find anchors on a long page.
FRAGMENT_BODY_LIMIT = 1024 * 1024
#: Bytes of a body read when only the status matters, so the connection can be reused.
DRAIN_LIMIT = 64 * 1024
#: The longest single wait between two tries (all of one hop's waits stay within
#: --max-retry-wait).
BACKOFF_CAP = 4.0
#: Sent once more after a reset, for servers that reset every non-browser client.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
#: In-flight attempts the fetcher process takes for each one made here (this process
#: also schedules, follows redirects and judges every answer).
FETCHER_SHARE = 2
#: The body of every request (a GET sends none), already read: httpx's own request
#: set-up (an empty body encoded, the Host header added by rebuilding every header)
#: cost a twentieth of a request's CPU, the same for every request.
_NO_BODY = httpx.ByteStream(b"")
_RETRY_CODES = frozenset({502, 503, 504})
#: Codes with which a server refuses a bot it might serve a browser (403 to clients it
#: does not know, LinkedIn's 999): asked once more as a browser asks.
_REFUSED_BOT = frozenset({403, 999})

# Why an anchor is `unverified` (SPEC, "Certain or silent"): one sentence per kind of
# page, shared by every link it applies to, so that the summaries count them together.
SCRIPTED = "the anchor is made by the page's scripts"
ROUTED = "the page's scripts route #/… addresses (a hash route)"
FRAMED = "the page shows its content in frames, which its scripts pick"
CODE_VIEW = "the anchor is made by the code host's scripts"
PARTIAL = f"the page is longer than the {FRAGMENT_BODY_LIMIT // 1024 // 1024} MiB read"
_SENSITIVE = frozenset({"authorization", "cookie", "proxy-authorization"})


@dataclass(frozen=True, slots=True)
class Page:
    outcome: Outcome
    anchors: frozenset[str] | None = None
    sample: bytes = b""  # the start of the body, to compare with a soft-404 probe
    #: Why a missing anchor proves nothing (ids made by scripts, or the body was not
    #: read to its end), or None when the anchors read are all the page has.
    unverified: str | None = None
    #: The fragment of the last redirect's `Location` that had one: it replaces the
    #: cited one (RFC 9110 §10.2.2), as a browser replaces it.
    fragment: str | None = None
    #: Ids are found as a code host's page script finds them (case folded,
    #: `user-content-` optional), as on every page GitHub renders (its ids are
    #: `user-content-…`); elsewhere a browser matches them exactly.
    folded: bool = False
    #: Lines of the raw file behind a code host's file view, when it was read.
    lines: int | None = None


def with_fragment(page: Page, url: str) -> Outcome:
    """The page's outcome for `url`, whose `#fragment` a browser looks up in it."""
    o = page.outcome
    cited = url.partition("#")[2] if page.fragment is None else page.fragment
    if not cited or page.anchors is None or o.status not in WORKING_STATUSES:
        return o
    fragment = anchor_part(cited)

    def unverified(why: str) -> Outcome:
        return Outcome(
            Status.UNVERIFIED,
            why,
            o.http_status,
            o.final_url,
            o.redirects,
            cause=Cause.FRAGMENT_UNVERIFIED,
        )

    if fragment is None:  # a text fragment, which scrolls if it can; or a hash route
        return unverified(ROUTED) if cited.startswith(("/", "!/")) else o
    decoded = httpx.URL("http://x/#" + fragment).fragment
    anchors = page.anchors
    if fragment in anchors or decoded in anchors or decoded.lower() == "top":
        return o  # `#top` is the top of any page (HTML, "the indicated part")
    folded = page.folded or any(anchor.startswith(USER_CONTENT) for anchor in anchors)
    if folded and any(
        has_anchor(anchors, wanted)
        for wanted in {fragment, decoded, *(decoded.removeprefix(p) for p in PREFIXES)}
    ):
        return o
    lines = line_range(decoded) if page.lines is not None else None
    if lines is not None and page.lines is not None:
        if lines[1] <= page.lines:
            return o
        reason = f"no line {lines[1]} in the file (it has {page.lines})"
    elif page.unverified is not None:
        return unverified(page.unverified)
    else:
        reason = f"no anchor #{fragment} in the page"
    return Outcome(
        Status.BROKEN, reason, o.http_status, o.final_url, o.redirects, cause=Cause.FRAGMENT
    )


@dataclass(frozen=True, slots=True)
class _Answer:
    """What one hop answered: the typed facts every verdict is made from."""

    status: int
    headers: httpx.Headers
    body: bytes  # the start of the body, as far as the verdict needs
    #: The body was read to its end (not cut at the byte or time bound, nor broken off).
    complete: bool
    anchors: frozenset[str] | None
    #: Answered only once asked with a browser's User-Agent (the default one was reset).
    as_browser: bool = False

    @property
    def retry_after(self) -> float | None:
        return retry_after(self.headers.get("retry-after"))

    def shared(self) -> _Answer:
        """This answer as a hop shared for the rest of the run keeps it: only the headers
        a verdict reads (VERDICT_HEADERS), and no body behind a redirect (`_next_hop`
        reads none there). A run holds one for every hop it fetched: with all the
        headers, ~1 KB each; a redirect's body is up to 64 KiB."""
        kept = [item for item in self.headers.raw if item[0].lower() in _VERDICT_RAW]
        headers = httpx.Headers(kept) if kept else _NO_HEADERS
        redirect = 300 <= self.status < 400 and "location" in headers
        body = b"" if redirect else self.body
        # Built, not `replace`d: replace looks the fields up again for every hop.
        return _Answer(self.status, headers, body, self.complete, self.anchors, self.as_browser)


#: Every response header a verdict on an answer reads (lower case): a hop shared for the
#: run keeps only these (`_Answer.shared`). tests/test_resolver_memory.py holds it to
#: every header name the modules that judge an answer ask for.
VERDICT_HEADERS = frozenset(
    {"location", "refresh", "retry-after", "set-cookie", "cf-mitigated",
     "x-ratelimit-remaining", "x-ratelimit-reset"}
)  # fmt: skip
_VERDICT_RAW = frozenset(name.encode() for name in VERDICT_HEADERS)
_NO_HEADERS = httpx.Headers()  # never changed: every answer's headers are only read

#: A verdict before its Outcome is built: status, reason, cause.
_Judged = tuple[Status, str | None, Cause | None]


def _gone(body: bytes) -> _Judged | None:
    """A page whose own data says its content is gone (or needs a sign-in), on any
    domain: parked, a declared 404/410, a video's player status."""
    if is_parked(body):
        return Status.BROKEN, "parked domain: the site offers its name for sale", Cause.PARKED
    declared = declared_gone(body)
    if declared is not None:
        said = f"the page says its content is gone ({_phrase(declared)})"
        return Status.BROKEN, said, Cause.SOFT_404
    played = player_status(body)
    if played is not None and played[0] == "ERROR":
        said = played[1] or "its video does not play"
        return Status.BROKEN, f"the page says its content is gone: {said}", Cause.SOFT_404
    if played is not None:
        said = played[1] or "its video needs a sign-in"
        return Status.BLOCKED, f"the page says it needs a sign-in: {said}", Cause.LOGIN
    return None


class Resolver:
    def __init__(
        self,
        options: Options,
        transport: httpx.AsyncBaseTransport,
        cookies: CookieFile | None = None,
    ) -> None:
        self._options = options
        self._cookies = cookies  # --cookie-jar's, sent to their domains beside each chain's
        # No more requests in flight than the transport may open connections: a request
        # queued in the pool would spend its timeout waiting there.
        self._schedule = Schedule(connection_cap(options))
        self._fetcher: Fetcher | None = None
        self._busy = 0  # attempts in flight in this process
        self._hosts: dict[str, Host] = {}
        self._shorteners = frozenset(host.lower() for host in options.shorteners)
        self._github = frozenset(host.lower() for host in options.github_hosts)
        # Each hop asked without credentials: its answer once it came, its future before.
        self._hops: dict[tuple[str, bool, bool], asyncio.Future[_Answer] | _Answer] = {}
        self._probes: dict[tuple[str, str], asyncio.Future[Page]] = {}
        self._transport = transport
        # The client only says what every request carries (httpx's default headers with
        # ours on top, the timeouts); requests go to the transport directly (attempt).
        # Asked as a browser asks (its Accept and Accept-Language: some servers answer
        # 404 or JSON to a request that does not ask for HTML), in linkcheck's name.
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(options.timeout),
            headers={
                "User-Agent": user_agent(options),
                "Accept": BROWSER_ACCEPT,
                "Accept-Language": BROWSER_ACCEPT_LANGUAGE,
            },
            trust_env=False,
        )
        self._timeout = self._client.timeout.as_dict()
        self._sent: dict[tuple[str, str, bool], httpx.Headers] = {}
        # The same headers with the Host a request to a netloc carries first, as httpx
        # puts it (keyed by the `_sent` entry's key and that netloc).
        self._hosted: dict[tuple[tuple[str, str, bool], bytes], httpx.Headers] = {}
        # Whether two `_sent` entries' headers are alike (_shareable), by their keys.
        self._alike: dict[tuple[tuple[str, str, bool], tuple[str, str, bool]], bool] = {}

    async def __aenter__(self) -> Resolver:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def probed(self, url: str, page: Page) -> Page:
        """`page`, or a broken one if its host answers 200 to a sibling that cannot exist."""
        if page.outcome.status not in WORKING_STATUSES or is_home_page(url):
            return page  # a home page exists by definition
        key = probe_key(url)
        if key not in self._probes:
            sibling = sibling_url(url, "linkcheck-" + secrets.token_hex(8))
            self.expect(sibling)
            self._probes[key] = asyncio.ensure_future(self.page(sibling, want_anchors=False))
        probe = await asyncio.shield(self._probes[key])
        landed = page.outcome.final_url or url
        same = probe.outcome.final_url is not None and probe.outcome.final_url == landed
        if probe.outcome.status in WORKING_STATUSES and (
            same or near_identical(page.sample, probe.sample)
        ):
            o = page.outcome
            reason = "soft 404: the site answers a page that cannot exist with the same page"
            return Page(
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

    async def page(self, url: str, want_anchors: bool, as_browser: bool = False) -> Page:
        """Follow `url` through its redirects (`Location` and refresh) to a final answer.

        A chain that loops is followed once more as a browser (its User-Agent): some
        servers send every client they take for a bot round in a circle."""
        redirects: list[Redirect] = []
        jar = ChainJar()
        seen = {(url, jar.header(url))}
        current = url
        first = origin_of(url)
        fragment: str | None = None
        while True:
            try:
                self._refuse_unset(current)
                await self._refuse_private(current)
                cookie = self._cookie(jar, current)
                answer = await self._fetch(
                    current, first, want_anchors, cookie, bool(redirects), as_browser
                )
            except Failure as failure:
                final = current if redirects else None
                hops = tuple(redirects)
                return Page(
                    Outcome(failure.status, failure.reason, None, final, hops, cause=failure.cause)
                )
            jar.keep(current, answer.headers)
            if self._cookies is not None:
                self._cookies.keep(current, answer.headers)
            target = _next_hop(current, answer)
            if target is not None:
                redirects.append(Redirect(answer.status, target))
                if "#" in target:  # the Location's fragment replaces the cited one
                    target, _, fragment = target.partition("#")
                problem = self._chain_problem(target, seen, len(redirects), jar.header(target))
                if problem is not None:
                    cause, reason = problem
                    if cause is Cause.LOOP and not as_browser:
                        self.expect(url)
                        return await self.page(url, want_anchors, as_browser=True)
                    hops = tuple(redirects)
                    return Page(
                        Outcome(
                            Status.UNREACHABLE, reason, answer.status, target, hops, cause=cause
                        )
                    )
                seen.add((target, jar.header(target)))
                current = target
                self.expect(target)
                continue
            outcome = self._verdict(answer, url, current, redirects)
            # The body's start is kept for the soft-404 probe's comparison only.
            sample = answer.body if self._options.soft_404 else b""
            page = Page(outcome, answer.anchors, sample, fragment=fragment)
            if answer.anchors is None:
                return page
            return await self._with_anchors(page, answer, current, first)

    async def _with_anchors(self, page: Page, answer: _Answer, url: str, first: str) -> Page:
        """`page` with what its anchors can prove: why a missing one proves nothing (ids
        made by scripts, frames, a body cut short), and for a code host's file view the
        raw file's ids and lines."""
        assert answer.anchors is not None
        unverified = None
        if is_app_shell(answer.body):
            unverified = SCRIPTED
        elif is_framed(answer.body):
            unverified = FRAMED
        elif not answer.complete:
            unverified = PARTIAL
        page = replace(page, unverified=unverified)
        raw = raw_file_url(url, answer.body)
        if raw is None or page.outcome.status not in WORKING_STATUSES:
            return page
        # A code host's file view: its scripts make its ids from the raw file, and fold
        # case as GitHub's do.
        text = await self._raw_text(raw, first)
        if text is None:
            return replace(page, unverified=CODE_VIEW, folded=True)
        if not is_markdown(raw):  # a code file: its lines are all a script makes ids of
            return replace(page, unverified=CODE_VIEW, folded=True, lines=line_count(text))
        anchors = answer.anchors | markdown_anchors(text)
        return replace(page, anchors=anchors, unverified=None, folded=True, lines=line_count(text))

    async def _raw_text(self, url: str, first: str, hops: int = 5) -> str | None:
        """The text of the raw file at `url` (its redirects followed), or None if it
        cannot be had whole."""
        for _ in range(hops):
            key = host_key(url)
            self._host(url, key)
            try:
                await self._refuse_private(url)
                async with self._schedule.slot(key, urgent=True):
                    answer = await self.attempt(url, first, False, "", False, whole=True)
            except Failure:
                return None
            target = _next_hop(url, answer)
            if target is None:
                if not 200 <= answer.status < 300 or not answer.complete:
                    return None
                charset = page_charset(answer.headers.get("content-type", ""), answer.body)
                return answer.body.decode(charset, "replace")
            url = target.partition("#")[0]
        return None

    def _cookie(self, chain: ChainJar, url: str) -> str:
        """The `Cookie` header for `url`: the cookie jar file's, then the chain's own."""
        kept = self._cookies.header(url) if self._cookies is not None else ""
        own = chain.header(url)
        return f"{kept}; {own}" if kept and own else kept or own

    def _chain_problem(
        self, target: str, seen: set[tuple[str, str]], hops: int, cookies: str
    ) -> tuple[Cause, str] | None:
        """Why a redirect chain must stop at `target` (its `hops`-th hop), or None.

        A page visited again with new cookies is a cookie check's round trip, not a loop.
        """
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            what = NON_HTTP.get(scheme, f"a non-HTTP address ({scheme}:)")
            return Cause.BAD_REDIRECT, f"redirects to {what}"
        if (target, cookies) in seen:
            return Cause.LOOP, f"redirect loop after {hops} hop{'s' * (hops != 1)}"
        if hops > self._options.max_redirects:
            return Cause.TOO_MANY_REDIRECTS, f"more than {self._options.max_redirects} redirects"
        return None

    def _verdict(self, answer: _Answer, start: str, url: str, redirects: list[Redirect]) -> Outcome:
        """The final answer of the chain that began at `start` and ended at `url`."""
        code = answer.status
        if is_proof_of_work_wall(answer.body):
            wall = "bot challenge: a proof-of-work wall that only a browser's scripts pass"
            judged: _Judged = (Status.BLOCKED, wall, Cause.CHALLENGE)
        elif any(low <= code <= high for low, high in self._options.accept):
            judged = self._accepted(answer, start, url, redirects)
        else:
            judged = self._refused(answer)
        status, reason, cause = judged
        final = url if redirects else None
        return Outcome(status, reason, code, final, tuple(redirects), cause=cause)

    def _accepted(
        self, answer: _Answer, start: str, url: str, redirects: list[Redirect]
    ) -> _Judged:
        """An accepted status: working, unless the page itself says it is a dead end."""
        dead_end = _gone(answer.body) or self._dead_end(answer, start, url, redirects)
        if dead_end is not None:
            return dead_end
        reason: str | None = None
        if redirects:
            reason = f"redirected {len(redirects)} time{'s' * (len(redirects) != 1)}"
        if answer.as_browser:
            note = "answered only when asked as a browser (automated clients are refused)"
            reason = f"{reason}; {note}" if reason else note
        return (Status.REDIRECTED if redirects else Status.OK), reason, None

    def _dead_end(
        self, answer: _Answer, start: str, url: str, redirects: list[Redirect]
    ) -> _Judged | None:
        """A page that answers as working but leads nowhere: a sign-in, a soft 404."""
        if redirects and is_login_page(url, start):
            where = f"{urlsplit(url).hostname}{urlsplit(url).path}"
            login = f"redirects to a sign-in page ({where}): check it signed in"
            return Status.BLOCKED, login, Cause.LOGIN
        if redirects:
            # A shortener's first hop is where its link was meant to go.
            cited = start
            if is_shortener(urlsplit(start).hostname or "", self._shorteners):
                cited = redirects[0].url
            dead = soft_404_reason(cited, url)
            if dead is not None:
                return Status.BROKEN, dead, Cause.SOFT_404
        if is_not_found_title(answer.body):
            named = f"soft 404: the page is titled “{title(answer.body)}”"
            return Status.BROKEN, named, Cause.SOFT_404
        return None

    def _refused(self, answer: _Answer) -> _Judged:
        """A status outside the accepted set: blocked, rate-limited or broken, and why."""
        code = answer.status
        if is_bot_wall(code, answer.headers, answer.body):
            reason = "bot challenge: the server refused an automated check"
            return Status.BLOCKED, reason, Cause.CHALLENGE
        reset = rate_limit_reset(code, answer.headers)
        if reset is not None:
            reason = f"rate limit reached; it resets in {reset:.0f} s"
            if reset > self._options.max_retry_wait:
                reason += ", beyond --max-retry-wait"
            return Status.RATE_LIMITED, reason, Cause.RATE_LIMIT
        if code in BLOCKED_CODES:
            reason = f"{_phrase(code)}: the server refused an automated check"
            return Status.BLOCKED, reason, Cause.HTTP_STATUS
        if code == 429:
            tries = self._options.retries + 1
            reason = f"429 Too Many Requests after {tries} tr{'ies' if tries != 1 else 'y'}"
            return Status.RATE_LIMITED, reason, Cause.HTTP_STATUS
        wait = answer.retry_after
        if code == 503 and wait is not None:
            # The server said it is down for a while, and when to come back: a
            # temporary outage, not a dead page.
            reason = f"{_phrase(code)}; the server asks to come back in {_later(wait)}"
            if wait > self._options.max_retry_wait:
                reason += ", beyond --max-retry-wait"
            return Status.RATE_LIMITED, reason, Cause.OUTAGE
        return Status.BROKEN, self._unaccepted(code), Cause.HTTP_STATUS

    def _unaccepted(self, code: int) -> str:
        """Why `code`, not in `--accept`, fails: a success an `--accept` left out says so,
        or `broken — 200 OK` reads as a contradiction."""
        if not 200 <= code <= 299:
            return _phrase(code)
        accepted = ",".join(
            str(low) if low == high else f"{low}..{high}" for low, high in self._options.accept
        )
        return f"{_phrase(code)}: not in the accepted statuses (--accept {accepted})"

    def _host(self, url: str, key: str) -> Host:
        """The Host of `url`, whose host_key is `key`."""
        if key not in self._hosts:
            rule = rule_for(self._options.hosts, url)
            limit = (rule.max_concurrency if rule else None) or self._options.max_per_host
            interval = (
                rule.interval if rule and rule.interval is not None else self._options.host_interval
            )
            self._hosts[key] = Host(Pacer(interval))
            self._schedule.add(key, limit, self._hosts[key])
        return self._hosts[key]

    def forget(self) -> None:
        """Let go of the hops shared so far: every page that could ask for one again is
        judged (a hop asked after this is fetched again)."""
        self._hops = {}

    def expect(self, url: str, count: int = 1) -> tuple[str, int] | None:
        """`count` more requests to `url`'s host are coming: the scheduler's priority.
        Returns the host's key and how many requests it may have in flight (None for a
        URL with no host to queue for)."""
        try:
            key = host_key(url)
            self._host(url, key)
            self._schedule.expect(key, count)
        except ValueError:
            return None  # a URL urlsplit refuses fails on its own when it is fetched
        return key, self._schedule.limit(key)

    async def _fetch(
        self, url: str, origin: str, want_anchors: bool, cookie: str, hop: bool, as_browser: bool
    ) -> _Answer:
        """One hop, fetched once per run however many pages redirect through it.

        Only hops sent without credentials or cookies are shared: an answer to a request
        that carried a host's headers or a chain's cookies belongs to that request alone.
        """
        parts = urlsplit(url)
        if cookie or not self._shareable(url, origin, parts):
            return await self._fetch_uncached(
                url, origin, want_anchors, cookie, hop, as_browser, parts
            )
        key = (url, want_anchors, as_browser)
        shared = self._hops.get(key)
        if isinstance(shared, _Answer):
            self.expect(url, -1)  # already answered: no request of its own
            return shared
        if shared is not None:
            self.expect(url, -1)  # already asked: no request of its own
            return await asyncio.shield(shared)
        # The first to ask fetches it itself (no task of its own: one per request costs
        # event loop turns) and hands the answer to whoever asks later.
        shared = self._hops[key] = asyncio.get_running_loop().create_future()
        try:
            answer = await self._fetch_uncached(url, url, want_anchors, "", hop, as_browser, parts)
        except asyncio.CancelledError:
            shared.cancel()  # only when the whole run is being stopped
            raise
        except BaseException as error:
            shared.set_exception(error)
            shared.exception()  # retrieved: raised here, and to each later asker
            raise
        # Kept for the run as the answer itself, not its future (~100 bytes a hop).
        kept = self._hops[key] = answer.shared()
        shared.set_result(kept)
        return answer

    def _shareable(self, url: str, origin: str, parts: SplitResult) -> bool:
        """Whether a request to `url` (split: `parts`) in a chain that began at `origin`
        carries what anyone's would (no credentials of its chain's), so its answer can be
        shared. Compared once per pair of `_sent` entries, not per request: comparing two
        `httpx.Headers` builds a third and sorts both."""
        here = origin_of_parts(parts)
        own = (parts.scheme, parts.netloc, here == origin)
        anyone = (parts.scheme, parts.netloc, here == url)
        if own == anyone:
            return True
        alike = self._alike.get((own, anyone))
        if alike is None:
            alike = self._alike[(own, anyone)] = self._request_headers(
                url, origin, parts, own
            ) == self._request_headers(url, url, parts, anyone)
        return alike

    async def _fetch_uncached(
        self,
        url: str,
        origin: str,
        want_anchors: bool,
        cookie: str,
        hop: bool,
        as_browser: bool,
        parts: SplitResult,
    ) -> _Answer:
        """One hop, with retries on transient failures, 429s, 503s and rate limits.

        All the waiting for one hop (backoff and Retry-After) stays within
        --max-retry-wait, and no single backoff is longer than BACKOFF_CAP. A redirect's
        hop and a retry go ahead of their host's queue (their chain is under way). A
        refusal of the honest User-Agent (403, 999, a reset) is asked once more as a
        browser asks. Every retry goes out on a fresh connection. `parts`: `url` split
        (once a hop: the standard library's cache of 128 has forgotten it after the wait
        for a slot, among the thousands of URLs split meanwhile at 64 a host).
        """
        options = self._options
        key = host_key_of_parts(parts)
        host = self._host(url, key)
        tries = options.retries + 1
        budget = options.max_retry_wait
        attempt = 0
        fresh = False
        while True:
            last = attempt >= tries - 1
            try:
                async with self._schedule.slot(key, urgent=hop or fresh):
                    answer = await self._send(
                        url, origin, want_anchors, cookie, as_browser, fresh, parts
                    )
            except Failure as failure:
                fresh = True
                if failure.cause is Cause.RESET and last and not as_browser:
                    # Some servers reset every client whose User-Agent is not a browser's.
                    as_browser = True
                    self.expect(url)
                    continue
                if last or not failure.cause.retryable:
                    raise self._given_up(failure, attempt) from None
                self.expect(url)
                budget -= await _sleep(self._backoff(attempt), budget)
                attempt += 1
                continue
            fresh = True
            if not as_browser and self._refused_as_bot(answer):
                # Refused as a bot: asked once more as a browser asks (MSDN, LinkedIn).
                as_browser = True
                self.expect(url)
                continue
            wait = self._wait_after(answer, host, attempt, budget)
            if wait is None or last:
                return answer
            self.expect(url)
            budget -= await _sleep(wait, budget)
            attempt += 1

    def _given_up(self, failure: Failure, attempt: int) -> Failure:
        """The failure a hop ends with once no retry is left (a timeout says how long)."""
        if failure.cause is not Cause.TIMEOUT:
            return failure
        made = f"{attempt + 1} tr{'ies' if attempt else 'y'}"
        reason = f"no response within {self._options.timeout:g} s ({made})"
        return Failure(Status.TIMEOUT, Cause.TIMEOUT, reason)

    def _refused_as_bot(self, answer: _Answer) -> bool:
        """A 403 or 999 that is no rate limit, accepted code or bot wall: the honest
        User-Agent may be what was refused."""
        code = answer.status
        return (
            code in _REFUSED_BOT
            and rate_limit_reset(code, answer.headers) is None
            and not any(low <= code <= high for low, high in self._options.accept)
            and not is_bot_wall(code, answer.headers, answer.body)
        )

    def _wait_after(self, answer: _Answer, host: Host, attempt: int, budget: float) -> float | None:
        """How long to wait before asking again (a rate limit, a 429, a 502/503/504), or
        None when this answer is the verdict's (including a wait beyond the budget)."""
        reset = rate_limit_reset(answer.status, answer.headers)
        if reset is not None:
            if reset > budget:
                return None  # the verdict says when it resets
            host.pacer.hold(reset)  # the whole host is out of requests until then
            return reset
        if answer.status == 429:
            host.slow_down()
            wait = answer.retry_after
            return self._backoff(attempt) if wait is None else wait
        host.recovered()
        exhausted = quota_exhausted_for(answer.headers)
        if exhausted is not None and exhausted <= self._options.max_retry_wait:
            host.pacer.hold(exhausted)  # that was the host's last request for now
        if answer.status in _RETRY_CODES and not is_bot_wall(
            answer.status, answer.headers, answer.body
        ):
            wait = answer.retry_after
            if wait is not None and wait > budget:
                return None  # the verdict says when to come back
            return self._backoff(attempt) if wait is None else wait
        return None

    def _backoff(self, attempt: int) -> float:
        base = self._options.retry_backoff * (2**attempt) * random.uniform(0.5, 1.5)
        return min(base, BACKOFF_CAP)

    def use(self, fetcher: Fetcher | None) -> None:
        """Send part of the attempts to `fetcher` from now on (its owner closes it)."""
        self._fetcher = fetcher

    async def _send(
        self,
        url: str,
        origin: str,
        want_anchors: bool,
        cookie: str,
        as_browser: bool,
        fresh: bool,
        parts: SplitResult,
    ) -> _Answer:
        """One attempt, here or in the fetcher process, whichever has fewer in flight."""
        fetcher = self._fetcher
        if fetcher is not None and fetcher.busy <= FETCHER_SHARE * self._busy:
            try:
                got, body = await fetcher.attempt(
                    url, origin, want_anchors, cookie, as_browser, fresh
                )
            except Gone:
                self._fetcher = None  # it stopped: every attempt is made here from now on
            else:
                anchors = None if got.anchors is None else frozenset(got.anchors)
                headers = httpx.Headers(list(got.headers))
                return _Answer(got.status, headers, body, got.complete, anchors, got.as_browser)
        self._busy += 1
        try:
            return await self.attempt(
                url, origin, want_anchors, cookie, as_browser, fresh, parts=parts
            )
        finally:
            self._busy -= 1

    async def attempt(
        self,
        url: str,
        origin: str,
        want_anchors: bool,
        cookie: str,
        as_browser: bool,
        fresh: bool = False,
        *,
        whole: bool = False,
        parts: SplitResult | None = None,
    ) -> _Answer:
        """One request: `fresh` on a connection of its own; `whole` reads the body up
        to FRAGMENT_BODY_LIMIT whatever it is (a raw file); `parts`: `url` split, if it
        was."""
        parts = urlsplit(url) if parts is None else parts
        sent = self._sent_key(parts, origin)
        headers = self._request_headers(url, origin, parts, sent)
        if cookie or as_browser:
            headers = headers.copy()
            if cookie:
                headers["Cookie"] = cookie
            if as_browser:
                headers["User-Agent"] = BROWSER_USER_AGENT
        try:
            extensions: dict[str, object] = {"timeout": self._timeout}
            if fresh:
                extensions[FRESH_CONNECTION] = True
            request = httpx.Request(
                "GET", without_userinfo(url), extensions=extensions, stream=_NO_BODY
            )
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError) as error:
            raise Failure(Status.INVALID, Cause.MALFORMED, f"malformed URL ({error})") from None
        # What httpx's set-up would have made of it: Host first, then the headers given,
        # and the (empty) body read.
        shared = None if cookie or as_browser else sent
        request.headers = self._with_host(headers, request.url, shared)
        request.read()
        try:
            # The timeout covers reaching the status line and headers: a hard deadline,
            # as a server that drips a byte a second never trips a read timeout. Sent to
            # the transport, not through `AsyncClient.send`: redirects are followed here
            # (httpx would build a request from every `Location`, and raise on one that
            # is not a web address), cookies live in each chain's jar, there is no auth
            # flow nor hook to run, and that layer cost a third of the CPU per request.
            async with asyncio.timeout(self._options.timeout * 2):
                response = await self._transport.handle_async_request(request)
        except TimeoutError:
            raise Failure(Status.TIMEOUT, Cause.TIMEOUT, "timeout") from None
        except Exception as error:  # every failure becomes a reason, never a crash
            raise classify_error(error, url) from None
        content_type, declared, encoded = _framing(response.headers)
        is_html = "html" in content_type
        success = 200 <= response.status_code < 300
        read_anchors = want_anchors and success and is_html
        limit = FRAGMENT_BODY_LIMIT if read_anchors or whole else DRAIN_LIMIT
        # A page that carries a video player's data is read on for it: its own data
        # says whether its video is gone (_walls.player_status).
        more = _carries_player_data if success and is_html and not read_anchors else None
        # The body has bounds of its own: a page whose status came at once but whose
        # body drips is judged on what arrived, not called a timeout.
        body, ended, wire = await read_counted(
            response, limit, self._options.timeout, more, encoded=encoded
        )
        # Cut short of a page the server says is longer: a missing anchor may lie beyond.
        # Not so for an endless stream (no length) or a decompression bomb.
        longer = declared.isdigit() and int(declared) > wire
        complete = ended in ("end", "bomb") or (ended == "limit" and not longer)
        anchors = None
        if read_anchors:
            text = body.decode(page_charset(content_type, body), "replace")
            anchors = frozenset(html_anchors(text))
        return _Answer(response.status_code, response.headers, body, complete, anchors, as_browser)

    def _request_headers(
        self,
        url: str,
        first: str,
        parts: SplitResult | None = None,
        key: tuple[str, str, bool] | None = None,
    ) -> httpx.Headers:
        """What a request to `url` (split: `parts`) in a chain that began at origin
        `first` carries: httpx's defaults, ours and `_headers`' (the same for every URL of
        one netloc: `key`, its `_sent_key`, if worked out already)."""
        if key is None:
            key = self._sent_key(urlsplit(url) if parts is None else parts, first)
        sent = self._sent.get(key)
        if sent is None:
            sent = self._sent[key] = self._client.headers.copy()
            sent.update(self._headers(url, first))
        return sent

    @staticmethod
    def _sent_key(parts: SplitResult, first: str) -> tuple[str, str, bool]:
        """What a request's headers depend on: its scheme and netloc, and whether it is
        in the origin its chain began in."""
        return (parts.scheme, parts.netloc, origin_of_parts(parts) == first)

    def _with_host(
        self, headers: httpx.Headers, url: httpx.URL, shared: tuple[str, str, bool] | None
    ) -> httpx.Headers:
        """`headers` with `Host` first, as `httpx.Request` adds it (none for a URL without
        a host). With `shared`, the `_sent` key `headers` are of: built once per netloc."""
        if not url.host:
            return httpx.Headers(headers)
        netloc = url.netloc
        if shared is None:
            return httpx.Headers([(b"Host", netloc), *headers.raw])
        hosted = self._hosted.get((shared, netloc))
        if hosted is None:
            hosted = httpx.Headers([(b"Host", netloc), *headers.raw])
            self._hosted[(shared, netloc)] = hosted
        return httpx.Headers(hosted)  # a copy: a transport may change its request's headers

    def _headers(self, url: str, first: str) -> dict[str, str]:
        same_origin = origin_of(url) == first
        headers = {
            name: value
            for name, value in self._options.headers
            if same_origin or name.lower() not in _SENSITIVE
        }
        parts = urlsplit(url)
        if same_origin and (parts.username or parts.password):
            # Userinfo is the cited origin's basic auth; a redirect elsewhere drops it.
            pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        if self._options.github_token and not self._github.isdisjoint(host_names(url)):
            headers["Authorization"] = f"Bearer {self._options.github_token}"
        rule = rule_for(self._options.hosts, url)
        if rule is not None:
            headers.update(rule.headers)
        return headers

    def _refuse_unset(self, url: str) -> None:
        """A host whose `[[hosts]]` headers need a variable that is not set is not asked:
        without its credentials, its answer would say nothing about the link."""
        rule = rule_for(self._options.hosts, url)
        if rule is not None and rule.unset:
            needs = ", ".join(f"${{{name}}}" for name in rule.unset)
            reason = f"not checked: the [[hosts]] '{rule.match}' headers need {needs}, not set"
            raise Failure(Status.UNVERIFIED, Cause.UNSET_VARIABLE, reason)

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
            if is_private(address):
                reason = f"private address {address} (--exclude-private)"
                raise Failure(Status.EXCLUDED, Cause.PRIVATE, reason)


def _next_hop(current: str, answer: _Answer) -> str | None:
    """Where a browser goes next: a 3xx's `Location`, or a 2xx's refresh (header or
    `<meta http-equiv="refresh">`) to another page."""
    location = answer.headers.get("location")
    if 300 <= answer.status < 400 and location is not None:
        return urljoin(current, location.strip())
    if 200 <= answer.status < 300:
        target = refresh_target(current, answer.headers, answer.body)
        if target is not None and target.partition("#")[0] != current.partition("#")[0]:
            return target
    return None


async def _sleep(seconds: float, budget: float) -> float:
    """Sleep `seconds`, never beyond what is left of `budget`; return the time slept."""
    seconds = max(0.0, min(seconds, budget))
    await asyncio.sleep(seconds)
    return seconds


_Ended = Literal["end", "limit", "bomb", "time", "error"]


async def read_bounded(
    response: httpx.Response,
    limit: int,
    seconds: float,
    more: Callable[[bytes], bool] | None = None,
) -> tuple[bytes, _Ended]:
    """`read_counted`'s body and why the reading ended."""
    body, ended, _ = await read_counted(response, limit, seconds, more)
    return body, ended


async def read_counted(
    response: httpx.Response,
    limit: int,
    seconds: float,
    more: Callable[[bytes], bool] | None = None,
    *,
    encoded: bool | None = None,
) -> tuple[bytes, _Ended, int]:
    """At most `limit` decoded bytes in at most `seconds` (a gzip bomb is cut off after
    `limit`, not inflated), and why the reading ended. A body that breaks off keeps
    what arrived: the status line and headers were the answer. When `more` says so of
    the first `limit` bytes, up to FRAGMENT_BODY_LIMIT are read. Also: the bytes that
    came over the wire. `encoded`: whether the answer has a Content-Encoding, if known."""
    chunks: list[bytes] = []
    size = 0
    ended: _Ended = "end"
    # Undecoded, the bytes as they came need no decoder between them and here, nor
    # `aiter_raw`'s chunking and bookkeeping (a tenth of the CPU of a request): read from
    # the stream itself, they are counted here.
    if encoded is None:
        encoded = "content-encoding" in response.headers
    try:
        async with asyncio.timeout(seconds):
            raw = cast("httpx.AsyncByteStream", response.stream)  # an async transport's
            async for chunk in response.aiter_bytes() if encoded else raw:
                chunks.append(chunk)
                size += len(chunk)
                if size >= limit:
                    if more is not None and limit < FRAGMENT_BODY_LIMIT and more(b"".join(chunks)):
                        limit = FRAGMENT_BODY_LIMIT
                        continue
                    ended = "limit"
                    break
    except TimeoutError:
        ended = "time"
    except Exception:  # a short or broken body still has a status
        ended = "error"
    finally:
        with suppress(Exception):
            await response.aclose()
    # The bytes that came over the wire: httpx counts them when it decodes them; read
    # undecoded, they are the bytes read.
    wire = response.num_bytes_downloaded if encoded else size
    if ended == "limit" and size > 50 * max(wire, 1):
        ended = "bomb"  # no page inflates fiftyfold: a decompression bomb
    return b"".join(chunks)[:limit], ended, wire


def _framing(headers: httpx.Headers) -> tuple[str, str, bool]:
    """An answer's Content-Type and Content-Length ("" if absent; repeated, their values
    joined as `httpx.Headers.get` joins them) and whether it has a Content-Encoding, in
    one pass over its headers: each lookup walks them all and decodes every name."""
    types: list[bytes] = []
    lengths: list[bytes] = []
    encoded = False
    for name, value in headers.raw:
        lowered = name.lower()
        if lowered == b"content-type":
            types.append(value)
        elif lowered == b"content-length":
            lengths.append(value)
        elif lowered == b"content-encoding":
            encoded = True
    if not types and not lengths:
        return "", "", encoded
    joined = b", ".join(types), b", ".join(lengths)
    try:
        # ASCII reads the same in whichever encoding httpx picks for all the headers,
        # which it works out by decoding every one of them.
        return joined[0].decode("ascii"), joined[1].decode("ascii"), encoded
    except UnicodeDecodeError:
        charset = headers.encoding
        return joined[0].decode(charset), joined[1].decode(charset), encoded


def _carries_player_data(start: bytes) -> bool:
    return any(marker in start for marker in VIDEO_MARKERS)


_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def page_charset(content_type: str, body: bytes) -> str:
    """The encoding a browser decodes a page with: the Content-Type's charset, else
    a `<meta charset>` (or http-equiv) in its first 1024 bytes, else UTF-8."""
    declared = content_type.partition("charset=")[2].split(";")[0].strip().strip("'\"")
    if not declared:
        meta = _CHARSET.search(body[:1024])
        declared = meta.group(1).decode("ascii") if meta else ""
    try:
        return codecs.lookup(declared).name if declared else "utf-8"
    except LookupError:
        return "utf-8"


def _later(seconds: float) -> str:
    """A wait as a person says it: 40 s, 12 min, 3 h, 5 days."""
    for unit, size in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


def _phrase(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)
