"""The run's remote targets: answered from the result cache where it has a fresh answer,
otherwise checked from the moment they are found (while other articles are still being
parsed), judged by the flaky policy, and stored for the next run."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from ._cache import ResultCache
from ._flaky import apply_flaky_policy, is_transient
from ._models import Category, Cause, Classified, Outcome, Status
from ._options import Options

if TYPE_CHECKING:
    import httpx

    from ._remote import RemoteChecks


INTERRUPTED = Outcome(Status.SKIPPED, "not checked: interrupted", cause=Cause.INTERRUPTED)


def uncancel() -> None:
    """Take back the cancellation just caught, so the rest of the run is not cancelled too."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


class TargetProgress(Protocol):
    def targets_found(self, total: int) -> None: ...
    def target_done(self) -> None: ...


class RemoteTargets:
    """`add` each article's classified links as they come; `await outcomes()` at the end."""

    def __init__(
        self,
        options: Options,
        transport: httpx.AsyncBaseTransport | None,
        progress: TargetProgress,
        cache: ResultCache | None,
    ) -> None:
        self._options = options
        self._transport = transport
        self._progress = progress
        self._cache = cache
        self._moment = time.time()
        self._seen: set[str] = set()
        self._cached: dict[str, Outcome] = {}
        self._asked: set[str] = set()  # not in the cache: checked
        self._checks: RemoteChecks | None = None
        self._interrupted = False
        # The progress total is known only once every article is read; what finished
        # before that is counted here and told then.
        self._done_early = 0
        self._announced = False

    async def __aenter__(self) -> RemoteTargets:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._checks is not None:
            await self._checks.close()

    def add(self, items: Iterable[Classified]) -> None:
        if self._options.offline:
            return
        new = {
            item.target
            for item in items
            if item.category is Category.REMOTE and item.target is not None
        } - self._seen
        if not new:
            return
        self._seen |= new
        if self._cache is not None:
            options = self._options
            cached = self._cache.lookup(
                new, self._moment, options.cache_max_age, options.cache_failures
            )
            self._cached.update(cached)
            self._done_early += len(cached)
            new -= cached.keys()
        if new:
            if self._checks is None:
                # Imported here: httpx and aiohttp are a third of the start-up time, which
                # offline runs and runs answered from the cache never need.
                from ._remote import RemoteChecks

                self._checks = RemoteChecks(self._options, self._transport, self._target_done)
            self._checks.add_all(new)
            self._asked |= new

    def interrupt(self) -> None:
        """Ctrl-C came before `outcomes` (while articles were parsed): it waits for
        nothing more, and what is not checked yet is `skipped` (INTERRUPTED)."""
        self._interrupted = True

    async def outcomes(self) -> dict[str, Outcome]:
        """An Outcome for every remote target added; after Ctrl-C or SIGTERM, what was
        checked is kept and shown, the rest `skipped` (INTERRUPTED)."""
        if self._seen:
            self._progress.targets_found(len(self._seen))
        self._announced = True
        for _ in range(self._done_early):
            self._progress.target_done()
        fresh: dict[str, Outcome] = {}
        if self._checks is not None and self._interrupted:
            fresh = self._reached(self._checks)
        elif self._checks is not None:
            try:
                fresh = await self._checks.results()
            except asyncio.CancelledError:
                uncancel()
                fresh = self._reached(self._checks)
        if self._cache is None:
            return fresh
        judged = {
            url: apply_flaky_policy(o, self._cache.history(url), self._options.flaky_threshold)
            if is_transient(o)
            else o
            for url, o in fresh.items()
        }
        self._cache.store({u: o for u, o in fresh.items() if o is not INTERRUPTED}, self._moment)
        return {**self._cached, **judged}

    def _reached(self, checks: RemoteChecks) -> dict[str, Outcome]:
        """What was checked before Ctrl-C; every other target asked `skipped`."""
        reached = checks.reached()
        return reached | dict.fromkeys(self._asked - reached.keys(), INTERRUPTED)

    def _target_done(self) -> None:
        if self._announced:
            self._progress.target_done()
        else:
            self._done_early += 1
