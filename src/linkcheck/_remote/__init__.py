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

from ._integrity import Integrity, check_integrity
from ._pages import Fetched, PageFetcher
from ._rescue import find_archived
from ._stream import RemoteChecks
from ._transport import default_transport, user_agent

__all__ = [
    "Fetched",
    "Integrity",
    "PageFetcher",
    "RemoteChecks",
    "check_integrity",
    "default_transport",
    "find_archived",
    "user_agent",
]
