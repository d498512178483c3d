"""Stage 4c, with --archive: for every dead remote citation, the archived copy to offer."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import date

import httpx

from .._cache import ResultCache
from .._models import DEAD_STATUSES, Archived, Category, Classified, Link, Outcome
from .._options import Options
from ._archive import ArchiveClient
from ._transport import default_transport, user_agent

#: Seconds an archive answer is reused: snapshots of the past do not change often.
ARCHIVE_MAX_AGE = 30 * 86400


async def find_archived(
    items: Iterable[tuple[Classified, Outcome]],
    dates: dict[str, date | None],
    options: Options,
    transport: httpx.AsyncBaseTransport | None,
    cache: ResultCache | None,
) -> dict[Link, Archived]:
    """Per dead occurrence: the archived copy looked up (its url None where there is none)."""
    dead = [
        (item, item.target.partition("#")[0])
        for item, outcome in items
        if item.category is Category.REMOTE and outcome.status in DEAD_STATUSES and item.target
    ]
    wanted = {(page, dates.get(item.link.file)) for item, page in dead}
    found: dict[tuple[str, date | None], Archived] = {}
    now = time.time()
    for key in wanted:
        cached = (
            cache.archived(_cache_key(options.archive_url, *key), now, ARCHIVE_MAX_AGE)
            if cache
            else None
        )
        if cached is not None:
            found[key] = Archived(*cached) if cached else Archived()
    todo = sorted((k for k in wanted if k not in found), key=lambda k: (k[0], str(k[1])))
    if todo:
        async with httpx.AsyncClient(
            transport=transport or default_transport(options),
            timeout=options.timeout,
            follow_redirects=True,
            headers={"User-Agent": user_agent(options)},
        ) as client:
            archive = ArchiveClient(
                client, options.archive_url, interval=options.archive_interval,
                max_wait=options.max_retry_wait, timeout=options.timeout,
            )  # fmt: skip
            for page, when in todo:
                snapshot = await archive.closest(page, when)
                found[(page, when)] = snapshot or Archived()
                if cache is not None:
                    value = (
                        [] if snapshot is None else [snapshot.url or "", snapshot.timestamp or ""]
                    )
                    cache.remember_archived(_cache_key(options.archive_url, page, when), value, now)
    return {item.link: found[(page, dates.get(item.link.file))] for item, page in dead}


def _cache_key(archive_url: str, page: str, when: date | None) -> str:
    """Per archive too: a mirror or another archive has copies of its own."""
    return json.dumps(["rescue", archive_url, page, when.isoformat() if when else None])
