"""The remote stage on its own, for tests: a list of URLs in, an Outcome per URL out."""

from __future__ import annotations

from collections.abc import Callable, Collection

import httpx

from linkcheck import Options, Outcome
from linkcheck._remote import RemoteChecks


async def resolve_remote(
    urls: Collection[str],
    options: Options,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    on_done: Callable[[], None] | None = None,
    found: dict[str, Outcome] | None = None,
) -> dict[str, Outcome]:
    """Check every distinct absolute http(s) URL once; return an Outcome per URL given.

    `found`, if given, is filled as each page is done, so a run cancelled half way
    (Ctrl-C) still has the outcomes that were reached. `transport=None` picks the
    production transport; pass `httpx.AsyncHTTPTransport()` to be mocked by pytest-httpx.
    """
    checks = RemoteChecks(options, transport, on_done)
    try:
        checks.add_all(urls)
        return await checks.results()
    finally:
        if found is not None:
            found.update(checks.reached())
        await checks.close()
