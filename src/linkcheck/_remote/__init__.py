"""Stage 4b, resolve remote targets: the only importers of httpx.

`_resolver` follows each page through its redirects to a verdict, `_walls` holds the
heuristics that read an answer (bot walls, rate limits, refresh, sign-in, parked and
"not found" pages, app shells), `_chain` a chain's cookies, `_hosts` paces and limits
each host, `_private` says which addresses --exclude-private refuses, `_transport` is
the connection pool (capped, proxies from the environment), `_errors` turns what the
network raised into a typed cause, `_soft404` spots dead pages that answer 200, and
`_rescue`/`_archive` find the archived copy of a dead citation; `_memento` asks any
Memento TimeGate; `_integrity` judges drift and asks `_spn2` (Save Page Now) to preserve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import attribute

if TYPE_CHECKING:
    from ._cookies import CookieFile, CookieFileError
    from ._hosts import origin_of
    from ._integrity import Integrity, check_integrity
    from ._pages import Fetched, PageFetcher
    from ._rescue import find_archived
    from ._stream import RemoteChecks
    from ._transport import default_transport, user_agent

#: Each name's module, imported when the name is first asked for: a run that sends no
#: request (offline, warm, --version, a crawl's helpers) never imports httpx and the
#: network stack, a third of linkcheck's start-up.
_MODULE_OF = {
    "CookieFile": "._cookies",
    "CookieFileError": "._cookies",
    "Fetched": "._pages",
    "Integrity": "._integrity",
    "PageFetcher": "._pages",
    "RemoteChecks": "._stream",
    "check_integrity": "._integrity",
    "default_transport": "._transport",
    "find_archived": "._rescue",
    "origin_of": "._hosts",
    "user_agent": "._transport",
}


def __getattr__(name: str) -> object:
    return attribute(__name__, _MODULE_OF, globals(), name)


__all__ = [
    "CookieFile",
    "CookieFileError",
    "Fetched",
    "Integrity",
    "PageFetcher",
    "RemoteChecks",
    "check_integrity",
    "default_transport",
    "find_archived",
    "origin_of",
    "user_agent",
]
