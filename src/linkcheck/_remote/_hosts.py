"""Per-host politeness: which host a URL belongs to, its rule and its pacing."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urlsplit

from .._options import HostRule

_THROTTLE_STEP = 0.1
_THROTTLE_MAX = 2.0


@dataclass
class Pacer:
    """Requests at least `interval` seconds apart, and none before `not_before`; serves
    the per-host scheduler and the archive client alike."""

    interval: float
    not_before: float = 0.0  # monotonic time before which no request may start
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def wait_turn(self, gap: float | None = None) -> None:
        gap = self.interval if gap is None else gap
        if gap <= 0 and self.not_before <= time.monotonic():
            return
        async with self.lock:
            delay = self.not_before - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.not_before = time.monotonic() + gap

    def hold(self, seconds: float) -> None:
        """No request before `seconds` from now (a Retry-After for the whole host)."""
        self.not_before = max(self.not_before, time.monotonic() + seconds)


@dataclass
class Host:
    """A host's pacer, and a throttle that 429s raise and successes lower again (its
    concurrency limit is the scheduler's, _schedule.py).

    A 429 slows every request to its host (the interval doubles, up to 2 s) while the
    refused URL itself waits its Retry-After; stalling the whole host for each 429 would
    make ten rate-limited pages cost ten serial Retry-Afters.
    """

    pacer: Pacer
    throttle: float = 0.0

    def gap(self) -> float:
        """Seconds the next request to this host waits after this one."""
        return max(self.pacer.interval, self.throttle)

    def slow_down(self) -> None:
        self.throttle = min(max(self.throttle * 2, _THROTTLE_STEP), _THROTTLE_MAX)

    def recovered(self) -> None:
        if self.throttle:
            self.throttle = self.throttle / 2 if self.throttle > _THROTTLE_STEP / 8 else 0.0


def retry_after(value: str | None) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def origin_of(url: str) -> str:
    return origin_of_parts(urlsplit(url))


def origin_of_parts(parts: SplitResult) -> str:
    """`origin_of` for a URL already split."""
    return f"{parts.scheme}://{(parts.netloc.rpartition('@')[2]).lower()}"


def host_key(url: str) -> str:
    return host_key_of_parts(urlsplit(url))


def host_key_of_parts(parts: SplitResult) -> str:
    """`host_key` for a URL already split."""
    return f"{(parts.hostname or '').lower()}:{parts.port or ''}"


def host_names(url: str) -> tuple[str, str]:
    """`url`'s host, lower case, and `host:port` (the host again without a port): what a
    rule written `host` or `host:port` is matched against. The one spelling of it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host, f"{host}:{parts.port}" if parts.port else host


def rule_for(rules: tuple[HostRule, ...], url: str) -> HostRule | None:
    if not rules:
        return None  # asked for every hop: no URL to split when there is no rule
    host, with_port = host_names(url)
    for rule in rules:
        match = rule.match
        if match.startswith("*."):
            if host == match[2:] or host.endswith(match[1:]):
                return rule
        elif match in (host, with_port):
            return rule
    return None
