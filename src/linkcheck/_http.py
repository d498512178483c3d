"""Stage 4b: resolve remote targets over HTTP. (Owner: resolver helper.)"""

from __future__ import annotations

from collections.abc import Callable, Collection

import httpx

from ._models import Outcome
from ._options import Options


async def resolve_remote(
    urls: Collection[str],
    options: Options,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    on_done: Callable[[], None] | None = None,
) -> dict[str, Outcome]:
    """Check every distinct absolute http(s) URL once; return an Outcome per URL given.

    URLs may carry a `#fragment` (checked only with options.check_fragments).
    `transport=None` picks the production transport; tests inject their own or rely on
    pytest-httpx. `on_done` is called once per URL finished (progress bars).
    """
    raise NotImplementedError
