"""Stage 4d, with --drift and --preserve: the working citations the archive can speak for.

Drift: the snapshot taken on or before the article's date (the page as its author read
it) against the live page, by their main text and title (`_similarity`). Preservation:
a working citation with no snapshot near the article's date is captured by Save Page
Now (`_spn2`), and the snapshot remembered in the result cache so no later run asks again.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from urllib.parse import urlsplit

import httpx

from .._cache import ResultCache
from .._models import (
    Archived,
    Category,
    Classified,
    Drift,
    DriftSummary,
    Link,
    LinkResult,
    Outcome,
    Preserved,
    Status,
)
from .._options import Options
from .._similarity import changes_by_nature, page_text, similarity
from ._archive import ArchiveClient, original_bytes
from ._hosts import Pacer
from ._spn2 import QuotaReached, SavePageNow
from ._transport import default_transport, user_agent

#: A citation that answers: what drift and preservation look at.
WORKING = frozenset({Status.OK, Status.REDIRECTED})
#: Bytes of a page read at most for its text.
MAX_PAGE = 5 * 1024 * 1024
#: A snapshot this many days or fewer from the article's date is "near" it: no capture.
NEAR_DAYS = 365
#: Seconds a capture made is remembered (a snapshot of the past does not change).
PRESERVED_MAX_AGE = 10 * 365 * 86400
#: Seconds a permanent refusal (a blocked page) is remembered before it is asked again.
REFUSAL_MAX_AGE = 30 * 86400
#: How a remembered refusal is told from a remembered snapshot in the cache.
REFUSED = "refused"
#: Seconds between captures by default (SPN2's limits: 7 a minute with keys, 3 without).
INTERVAL_WITH_KEYS = 9.0
INTERVAL_ANONYMOUS = 20.0


@dataclass
class DriftCounts:
    """What --drift looked at, for the summary: compared, drifted, and not judged why."""

    compared: int = 0
    drifted: int = 0
    not_judged: Counter[str] = field(default_factory=Counter)

    def summary(self) -> DriftSummary:
        return DriftSummary(self.compared, self.drifted, tuple(sorted(self.not_judged.items())))


@dataclass(frozen=True, slots=True)
class Integrity:
    drift: dict[Link, Drift]
    preserved: dict[Link, Preserved]
    counts: DriftSummary | None

    def attach(self, results: list[LinkResult]) -> list[LinkResult]:
        """The report's rows with each one's drift and capture."""
        if not self.drift and not self.preserved:
            return results
        return [
            replace(r, drift=self.drift.get(r.link), preserved=self.preserved.get(r.link))
            if r.link in self.drift or r.link in self.preserved
            else r
            for r in results
        ]


def _working(
    items: Iterable[tuple[Classified, Outcome]], archive_netlocs: set[str]
) -> list[tuple[Classified, Outcome, str]]:
    """The working remote citations, but for archived copies themselves (a link to a
    snapshot, such as the one --fix-preserved writes): they neither drift nor need one."""
    return [
        (item, outcome, item.target.partition("#")[0])
        for item, outcome in items
        if item.category is Category.REMOTE
        and outcome.status in WORKING
        and item.target
        and not _archived_copy(item.target, archive_netlocs)
    ]


#: A Wayback-style memento's path: /web/20150301000000/http://…, /20150301000000id_/https://…
_MEMENTO_PATH = re.compile(r"/\d{8,14}(?:[a-z]{2}_)?/https?:", re.I)


def _archived_copy(url: str, archive_netlocs: set[str]) -> bool:
    parts = urlsplit(url)
    return parts.netloc.lower() in archive_netlocs or bool(_MEMENTO_PATH.search(parts.path))


def _client(options: Options, transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport or default_transport(options),
        timeout=options.timeout,
        follow_redirects=True,
        headers={"User-Agent": user_agent(options)},
    )


def _archive(client: httpx.AsyncClient, options: Options) -> ArchiveClient:
    return ArchiveClient(
        client, options.archive_url, interval=options.archive_interval,
        max_wait=options.max_retry_wait, timeout=options.timeout,
    )  # fmt: skip


async def check_integrity(
    items: list[tuple[Classified, Outcome]],
    dates: dict[str, date | None],
    options: Options,
    transport: httpx.AsyncBaseTransport | None,
    cache: ResultCache | None,
) -> Integrity:
    hosts = {urlsplit(u).netloc.lower() for u in (options.archive_url, "https://web.archive.org")}
    working = _working(items, hosts)
    drift: dict[Link, Drift] = {}
    preserved: dict[Link, Preserved] = {}
    counts = DriftCounts() if options.drift else None
    async with _client(options, transport) as client:
        archive = _archive(client, options)
        if counts is not None:
            drift = await _drift(working, dates, options, client, archive, counts, cache)
        if options.preserve:
            preserved = await _preserve(working, dates, options, client, archive, cache)
    return Integrity(drift, preserved, counts.summary() if counts is not None else None)


# --- drift


async def _drift(
    working: list[tuple[Classified, Outcome, str]],
    dates: dict[str, date | None],
    options: Options,
    client: httpx.AsyncClient,
    archive: ArchiveClient,
    counts: DriftCounts,
    cache: ResultCache | None,
) -> dict[Link, Drift]:
    pages = Pages(client, options)
    verdicts: dict[tuple[str, str, date], Drift | str | None] = {}
    found: dict[Link, Drift] = {}
    for item, outcome, page in working:
        when = dates.get(item.link.file)
        nature = changes_by_nature(page)
        if when is None or nature is not None:
            counts.not_judged[nature or "no article date"] += 1
            continue
        live = outcome.final_url or page
        key = (page, live, when)
        if key not in verdicts:
            verdicts[key] = await _remembered_judge(key, options, archive, pages, cache)
        verdict = verdicts[key]
        if isinstance(verdict, str):
            counts.not_judged[verdict] += 1
            continue
        counts.compared += 1
        if verdict is not None:
            counts.drifted += 1
            found[item.link] = verdict
    return found


async def _remembered_judge(
    key: tuple[str, str, date],
    options: Options,
    archive: ArchiveClient,
    pages: Pages,
    cache: ResultCache | None,
) -> Drift | str | None:
    """`_judge`, from the result cache while its answer is younger than --cache-max-age
    (a warm CI run fetches no page twice); a citation not judged is asked again."""
    page, live, when = key
    threshold = options.drift_threshold
    name = json.dumps(["drift", options.archive_url, page, live, when.isoformat(), threshold])
    now = time.time()
    remembered = cache.archived(name, now, options.cache_max_age) if cache else None
    if remembered == ["same"]:
        return None
    if remembered and remembered[0] == "drift" and len(remembered) == 6:
        try:
            _, score, url, then, now_title, stamp = remembered
            return Drift(float(score), url, then, now_title, stamp or None)
        except ValueError:
            pass
    verdict = await _judge(page, live, when, archive, pages, threshold)
    if cache is not None and not isinstance(verdict, str):
        value = ["same"] if verdict is None else [
            "drift", str(verdict.similarity), verdict.archived_url, verdict.title_then,
            verdict.title_now, verdict.timestamp or "",
        ]  # fmt: skip
        cache.remember_archived(name, value, now)
    return verdict


async def _judge(
    page: str, live: str, when: date, archive: ArchiveClient, pages: Pages, threshold: float
) -> Drift | str | None:
    """The drift of one citation, None when it still says what it said, or why it
    could not be judged."""
    snapshot = await archive.before(page, when)
    if snapshot is None or snapshot.url is None:
        return "no snapshot before the article's date"
    then_html = await pages.get(original_bytes(snapshot.url), archive=True)
    now_html = await pages.get(live)
    if then_html is None or now_html is None:
        return "a page that could not be read as HTML"
    then, now = await asyncio.gather(
        asyncio.to_thread(page_text, then_html), asyncio.to_thread(page_text, now_html)
    )
    score = similarity(then, now)
    if score is None:
        return "a cited page with too little text"
    if score >= threshold:
        return None
    return Drift(score, snapshot.url, then.title, now.title, snapshot.timestamp)


class Pages:
    """HTML pages fetched for their text: each host paced as the checks were."""

    def __init__(self, client: httpx.AsyncClient, options: Options) -> None:
        self._client = client
        self._options = options
        self._pacers: dict[str, Pacer] = {}

    async def get(self, url: str, *, archive: bool = False) -> str | None:
        host = urlsplit(url).netloc.lower()
        interval = self._options.archive_interval if archive else self._options.host_interval
        pacer = self._pacers.setdefault(host, Pacer(interval))
        await pacer.wait_turn()
        headers = dict(self._options.headers) if not archive else {}
        try:
            async with asyncio.timeout(self._options.timeout):
                async with self._client.stream("GET", url, headers=headers) as response:
                    kind = response.headers.get("content-type", "text/html").lower()
                    if response.status_code != 200 or "html" not in kind:
                        return None
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > MAX_PAGE:
                            break
                    return bytes(body).decode(response.encoding or "utf-8", errors="replace")
        except (httpx.HTTPError, OSError, TimeoutError, LookupError):
            return None


# --- preservation


async def _preserve(
    working: list[tuple[Classified, Outcome, str]],
    dates: dict[str, date | None],
    options: Options,
    client: httpx.AsyncClient,
    archive: ArchiveClient,
    cache: ResultCache | None,
) -> dict[Link, Preserved]:
    keys = (
        (options.ia_access_key, options.ia_secret_key)
        if options.ia_access_key and options.ia_secret_key
        else None
    )
    interval = options.preserve_interval
    if interval is None:
        interval = INTERVAL_WITH_KEYS if keys else INTERVAL_ANONYMOUS
    service = SavePageNow(
        client, archive.save_endpoint, archive.snapshots, keys=keys, interval=interval,
        wait=options.preserve_wait, timeout=options.timeout,
    )  # fmt: skip
    done: dict[tuple[str, date | None], Preserved | None] = {}
    stopped: Preserved | None = None
    asked: dict[str, Preserved] = {}  # page -> its capture this run
    now = time.time()
    for item, _, page in working:
        when = dates.get(item.link.file)
        key = (page, when)
        if key in done:
            continue
        cache_key = json.dumps(["preserved", options.archive_url, page])
        remembered = cache.archived(cache_key, now, PRESERVED_MAX_AGE) if cache else None
        if remembered and len(remembered) == 2 and remembered[0] == REFUSED:
            done[key] = Preserved(error=remembered[1], permanent=True)
            continue
        if remembered and len(remembered) == 2:
            done[key] = Preserved(url=remembered[0], timestamp=remembered[1])
            continue
        if stopped is not None:
            done[key] = stopped
            continue
        if page in asked:  # cited again, in an article of another date: captured once
            done[key] = asked[page]
            continue
        if _near(await archive.closest(page, when), when):
            done[key] = None
            continue
        try:
            result = await service.capture(page)
        except QuotaReached as quota:
            result = quota.result
            why = f"not asked: the capture service stopped taking captures ({result.error})"
            stopped = Preserved(error=why[:300], permanent=False)
        if result.url and result.timestamp and not archive.wayback:
            result = await _memento_of(archive, page, result)
        done[key] = asked[page] = result
        if result.url and result.timestamp and cache is not None:
            cache.remember_archived(cache_key, [result.url, result.timestamp], now)
        elif result.permanent and result.error and cache is not None:
            # Refused for good: not asked again until the refusal is a month old.
            then = now - PRESERVED_MAX_AGE + REFUSAL_MAX_AGE
            cache.remember_archived(cache_key, [REFUSED, result.error], then)
    return {
        item.link: found
        for item, _, page in working
        if (found := done.get((page, dates.get(item.link.file)))) is not None
    }


async def _memento_of(archive: ArchiveClient, page: str, made: Preserved) -> Preserved:
    """A capture as the TimeGate serves it: the memento it names for the capture's time
    (a Save Page Now answer names the Wayback Machine's address, not every archive's)."""
    stamp = made.timestamp or ""
    when = datetime.strptime(stamp[:8], "%Y%m%d").date()
    found = await archive.closest(page, when)
    if found is None or found.url is None or (found.timestamp or "")[:8] < stamp[:8]:
        return made
    return Preserved(url=found.url, timestamp=found.timestamp)


def _near(snapshot: Archived | None, when: date | None) -> bool:
    """A snapshot that rescues the citation as it was cited: any at all for an article
    with no date, else one taken within NEAR_DAYS of its date."""
    timestamp = snapshot.timestamp if snapshot is not None else None
    if not timestamp:
        return False
    if when is None:
        return True
    try:
        taken = datetime.strptime(timestamp[:8], "%Y%m%d").date()
    except ValueError:
        return False
    return abs((taken - when).days) <= NEAR_DAYS
