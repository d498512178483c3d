"""Any web archive through one protocol: a Memento TimeGate (RFC 7089).

`GET <timegate>/<url>` with `Accept-Datetime: <the article's date>` answers with a
redirect to the memento closest to that datetime (`302` + `Location`), a `Link` header
that lists mementos with their datetimes (`rel="memento"`, `"first memento"`,
`"prev memento"`, …), and each memento says when it was taken in `Memento-Datetime`.
National web archives (arquivo.pt, the UK Web Archive), archive.today and the Memento
aggregators speak it; so does the Wayback Machine at `https://web.archive.org/web`.

The closest memento taken on or before the date is chosen from the `Link` header;
without datetimes there, the redirect's target is asked for its `Memento-Datetime`.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, time
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .._models import Archived
from ._hosts import Pacer

#: One `<uri>; name="value"; name=token` entry of a Link header (RFC 8288); a quoted
#: value may hold commas (`datetime="Sun, 01 Mar 2015 00:00:00 GMT"`).
_LINK_ENTRY = re.compile(r'<([^>]*)>((?:\s*;\s*[A-Za-z*-]+\s*=\s*(?:"[^"]*"|[^;,<\s]*))*)')
_PARAMETER = re.compile(r'\s*;\s*([A-Za-z*-]+)\s*=\s*(?:"([^"]*)"|([^;,<\s]*))')


def is_timegate(base: str) -> bool:
    """An `--archive-url` with a path is a TimeGate (the Wayback Machine's own APIs live
    at its root: https://archive.org, or a stand-in's http://127.0.0.1:8080)."""
    return urlsplit(base).path.strip("/") != ""


class TimeGate:
    def __init__(self, client: httpx.AsyncClient, base: str, pacer: Pacer, timeout: float) -> None:
        self._client = client
        self._base = base.rstrip("/")
        self._pacer = pacer
        self._timeout = timeout

    async def closest(
        self, url: str, when: date | None, *, only_before: bool = False
    ) -> Archived | None:
        """The memento of `url` closest to the end of `when` (now, when None): the latest
        one on or before it, else (unless `only_before`) the earliest after it."""
        moment = datetime.combine(when, time(23, 59, 59), UTC) if when else datetime.now(UTC)
        headers = {"Accept-Datetime": format_datetime(moment, usegmt=True)}
        answer = await self._head_of(f"{self._base}/{url}", headers)
        if answer is None:
            return None
        status, location, links, stamp = answer
        mementos = _mementos(links, f"{self._base}/{url}")
        if not mementos and location and status in (301, 302, 303, 307, 308):
            target = urljoin(f"{self._base}/{url}", location)
            if stamp is None:
                followed = await self._head_of(target, {})
                stamp = followed[3] if followed else None
            if stamp is not None:
                mementos = [(stamp, target)]
        elif not mementos and status == 200 and stamp is not None:
            mementos = [(stamp, f"{self._base}/{url}")]  # the TimeGate is the memento
        before = [m for m in mementos if m[0] <= moment]
        after = [m for m in mementos if m[0] > moment]
        chosen = max(before) if before else (None if only_before or not after else min(after))
        if chosen is None:
            return None
        return checked_snapshot(chosen[1], chosen[0].strftime("%Y%m%d%H%M%S"))

    async def _head_of(
        self, url: str, headers: dict[str, str]
    ) -> tuple[int, str | None, str, datetime | None] | None:
        """Status, Location, Link and Memento-Datetime of `url`'s answer (its body is
        never read); None when the archive could not be asked."""
        await self._pacer.wait_turn()
        try:
            async with asyncio.timeout(self._timeout):
                request = self._client.build_request("GET", url, headers=headers)
                response = await self._client.send(request, stream=True, follow_redirects=False)
                await response.aclose()
        except (httpx.HTTPError, OSError, TimeoutError):
            return None
        return (
            response.status_code,
            response.headers.get("location"),
            ", ".join(response.headers.get_list("link")),
            _datetime(response.headers.get("memento-datetime")),
        )


def _mementos(link: str, base: str) -> list[tuple[datetime, str]]:
    """The (datetime, URL) of each memento a `Link` header lists."""
    found = []
    for match in _LINK_ENTRY.finditer(link):
        parameters = {
            name.lower(): quoted or token
            for name, quoted, token in _PARAMETER.findall(match.group(2))
        }
        if "memento" not in parameters.get("rel", "").split():
            continue
        when = _datetime(parameters.get("datetime"))
        if when is not None:
            found.append((when, urljoin(base, match.group(1))))
    return found


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def checked_snapshot(url: str, timestamp: str) -> Archived | None:
    """A snapshot to write into an article: only an http(s) URL with a host (never a
    `javascript:` or `data:` answer) and a timestamp of digits."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if not (timestamp.isdigit() and len(timestamp) >= 8):
        return None
    return Archived(url, timestamp)
