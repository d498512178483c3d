"""robots.txt as RFC 9309 reads it, fetched once per origin.

Protego (Scrapy's parser) applies the RFC's longest-match precedence and the `*` and `$`
wildcards; the standard library's urllib.robotparser takes the first matching line and
knows no wildcards, so it would let a crawl into `Disallow: /*?session=` paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

#: RFC 9309 §2.5: a parser must read at least 500 KiB; what follows is ignored.
MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class Robots:
    """One origin's rules for linkcheck's user agent."""

    rules: Protego | None  # None: everything allowed (no robots.txt)
    #: RFC 9309 §2.3.1.4: an unreachable robots.txt (5xx, no connection) means that
    #: nothing may be crawled, until it can be read.
    unreachable: bool = False

    @classmethod
    def parse(cls, body: bytes) -> Robots:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
        return cls(Protego.parse(text))

    @classmethod
    def from_answer(cls, status: int | None, body: bytes) -> Robots:
        """RFC 9309 §2.3.1: 2xx is read; 4xx means no rules; 5xx or no answer, all out."""
        if status is None or status >= 500:
            return cls(None, unreachable=True)
        if 200 <= status < 300:
            return cls.parse(body)
        return cls(None)

    def forbids(self, url: str, agent: str) -> str | None:
        """Why a crawler may not request `url`, or None."""
        if self.unreachable:
            return "robots.txt could not be read (RFC 9309: then nothing is crawled)"
        if self.rules is not None and not self.rules.can_fetch(url, agent):
            return "robots.txt forbids it"
        return None

    def delay(self, agent: str) -> float | None:
        """The site's Crawl-delay for this agent, in seconds (not in the RFC; honoured)."""
        if self.rules is None:
            return None
        found = self.rules.crawl_delay(agent)
        return float(found) if found is not None else None
