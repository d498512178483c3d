"""The copy the author saw: the Wayback Machine's snapshot of a dead page, closest
before the article's date (else the closest after), counting only snapshots that
answered 200.

The availability API (`/wayback/available`) names one closest snapshot, either side of
the date; when it is after the date, the CDX API (`/cdx/search/cdx`) is asked for the
latest one before. Both live under `--archive-url` (default https://archive.org), so a
mirror or a test stand-in answers instead. One request a second by default, and a
`Retry-After` is honoured.

An `--archive-url` with a path (`https://arquivo.pt/wayback/timegate`,
`https://archive.today/timegate`) is a Memento TimeGate (RFC 7089) instead: `_memento`
asks it, and every use of the archive (rescue, drift, preservation) goes through it.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date
from urllib.parse import urlsplit

import httpx

from .._models import Archived
from .._redact import redact
from ._hosts import Pacer, retry_after
from ._memento import TimeGate, checked_snapshot, is_timegate

#: Bytes of an archive's answer read at most (its JSON answers are a few hundred bytes).
MAX_ANSWER = 1024 * 1024


class ArchiveClient:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base: str = "https://archive.org",
        *,
        interval: float = 1.0,
        max_wait: float = 60.0,
        timeout: float = 20.0,
    ) -> None:
        self._client = client
        self._timeout = timeout
        self._base = base.rstrip("/")
        self._interval = interval
        self._max_wait = max_wait
        self._pacer = Pacer(interval)
        host = urlsplit(self._base).hostname or ""
        # archive.org serves its snapshots from web.archive.org; a mirror serves its own.
        self._web = "https://web.archive.org" if host.endswith("archive.org") else self._base
        self._timegate = (
            TimeGate(client, self._base, self._pacer, timeout) if is_timegate(self._base) else None
        )

    @property
    def wayback(self) -> bool:
        """True for the Wayback Machine's APIs (or a stand-in), False for a TimeGate."""
        return self._timegate is None

    @property
    def save_endpoint(self) -> str:
        """Where Save Page Now 2 is asked: `<archive-url>/save` (web.archive.org's for
        archive.org itself)."""
        return f"{self._web}/save"

    @property
    def snapshots(self) -> str:
        """Where a Wayback snapshot `/web/<timestamp>/<url>` is served."""
        return self._web

    async def closest(self, url: str, when: date | None) -> Archived | None:
        """The snapshot of `url` to cite instead, or None (none, or the archive failed)."""
        url = redact(url)  # the archive is a third party: it gets no credential
        if self._timegate is not None:
            return await self._timegate.closest(url, when)
        stamp = when.strftime("%Y%m%d") if when else None
        params = {"url": url} | ({"timestamp": stamp} if stamp else {})
        data = await self._get_json("/wayback/available", params)
        found = _closest(data)
        if stamp and (found is None or (found.timestamp or "")[:8] > stamp):
            earlier = await self._latest_before(url, stamp)
            found = earlier or found
        return found

    async def before(self, url: str, when: date) -> Archived | None:
        """The latest snapshot of `url` taken on or before `when`: the page as an article
        of that date cited it; None when there is none."""
        url = redact(url)
        if self._timegate is not None:
            return await self._timegate.closest(url, when, only_before=True)
        return await self._latest_before(url, when.strftime("%Y%m%d"))

    async def _latest_before(self, url: str, stamp: str) -> Archived | None:
        params = {
            "url": url,
            "to": stamp,
            "filter": "statuscode:200",
            "output": "json",
            "limit": "-1",
        }
        rows = await self._get_json("/cdx/search/cdx", params)
        if not isinstance(rows, list) or len(rows) < 2 or not isinstance(rows[-1], list):
            return None
        header, last = rows[0], rows[-1]
        try:
            timestamp = last[header.index("timestamp")]
            original = last[header.index("original")]
        except (ValueError, IndexError):
            return None
        return _snapshot(f"{self._web}/web/{timestamp}/{original}", str(timestamp))

    async def _get_json(self, path: str, params: dict[str, str]) -> object:
        for attempt in range(2):
            await self._pacer.wait_turn()
            try:
                status, delay, body = await self._get(self._base + path, params)
            except (httpx.HTTPError, OSError, TimeoutError):
                return None
            if status in (429, 503) and attempt == 0:
                self._pacer.hold(
                    min(self._interval * 5 if delay is None else delay, self._max_wait)
                )
                continue
            if status != 200 or body is None:
                return None
            try:
                return json.loads(body)
            except ValueError:
                return None
        return None

    async def _get(
        self, url: str, params: dict[str, str]
    ) -> tuple[int, float | None, bytes | None]:
        """Status, Retry-After and body (None when longer than MAX_ANSWER), within
        `timeout` seconds for the whole answer: an endless answer costs nothing more."""
        async with asyncio.timeout(self._timeout):
            async with self._client.stream("GET", url, params=params) as response:
                delay = retry_after(response.headers.get("retry-after"))
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_ANSWER:
                        return response.status_code, delay, None
                    chunks.append(chunk)
                return response.status_code, delay, b"".join(chunks)


def _closest(data: object) -> Archived | None:
    if not isinstance(data, dict):
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") or {}
    if closest.get("available") and str(closest.get("status")) == "200" and closest.get("url"):
        return _snapshot(str(closest["url"]), str(closest["timestamp"]))
    return None


def original_bytes(url: str) -> str:
    """The address of a Wayback snapshot's page as it was captured, without the archive's
    banner and rewritten links (`/web/<timestamp>id_/<url>`); other URLs as they are."""
    return _WAYBACK_PATH.sub(r"/web/\1id_/", url, count=1)


_WAYBACK_PATH = re.compile(r"/web/(\d{8,14})/")


def _snapshot(url: str, timestamp: str) -> Archived | None:
    return checked_snapshot(url, timestamp)
