"""The copy the author saw: the Wayback Machine's snapshot of a dead page, closest
before the article's date (else the closest after), counting only snapshots that
answered 200.

The availability API (`/wayback/available`) names one closest snapshot, either side of
the date; when it is after the date, the CDX API (`/cdx/search/cdx`) is asked for the
latest one before. Both live under `--archive-url` (default https://archive.org), so a
mirror or a test stand-in answers instead. One request a second by default, and a
`Retry-After` is honoured.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import httpx

from .._models import Archived
from ._hosts import Pacer, retry_after


class ArchiveClient:
    def __init__(
        self,
        client: httpx.AsyncClient,
        base: str = "https://archive.org",
        *,
        interval: float = 1.0,
        max_wait: float = 60.0,
    ) -> None:
        self._client = client
        self._base = base.rstrip("/")
        self._interval = interval
        self._max_wait = max_wait
        self._pacer = Pacer(interval)
        host = urlsplit(self._base).hostname or ""
        # archive.org serves its snapshots from web.archive.org; a mirror serves its own.
        self._web = "https://web.archive.org" if host.endswith("archive.org") else self._base

    async def closest(self, url: str, when: date | None) -> Archived | None:
        """The snapshot of `url` to cite instead, or None (none, or the archive failed)."""
        stamp = when.strftime("%Y%m%d") if when else None
        params = {"url": url} | ({"timestamp": stamp} if stamp else {})
        data = await self._get_json("/wayback/available", params)
        found = _closest(data)
        if stamp and (found is None or (found.timestamp or "")[:8] > stamp):
            earlier = await self._latest_before(url, stamp)
            found = earlier or found
        return found

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
        return Archived(f"{self._web}/web/{timestamp}/{original}", str(timestamp))

    async def _get_json(self, path: str, params: dict[str, str]) -> object:
        for attempt in range(2):
            await self._pacer.wait_turn()
            try:
                response = await self._client.get(self._base + path, params=params)
            except httpx.HTTPError:
                return None
            if response.status_code in (429, 503) and attempt == 0:
                delay = retry_after(response.headers.get("retry-after"))
                self._pacer.hold(
                    min(self._interval * 5 if delay is None else delay, self._max_wait)
                )
                continue
            if response.status_code != 200:
                return None
            try:
                return response.json()
            except ValueError:
                return None
        return None


def _closest(data: object) -> Archived | None:
    if not isinstance(data, dict):
        return None
    closest = (data.get("archived_snapshots") or {}).get("closest") or {}
    if closest.get("available") and str(closest.get("status")) == "200" and closest.get("url"):
        return Archived(str(closest["url"]), str(closest["timestamp"]))
    return None
