"""Bare URLs in running text: GFM's autolink literals, and scheme-less text that is clearly
an address (the SPEC's rule: `www.`, a known shortener, or a domain followed by a path)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import accumulate

from linkify_it import LinkifyIt

from .._shorteners import is_shortener

# Top-level domains that are also common file extensions: `setup.py/…`, `notes.md/…`.
_FILE_LIKE_TLDS = frozenset({"md", "py", "sh", "rs", "pl", "zip", "mov", "so", "js", "ts"})
# linkify-it knows every two-letter country code but few of the newer generic domains.
_EXTRA_TLDS = [
    *("dev", "app", "news", "blog", "tech", "xyz", "online", "site", "top", "club"),
    *("cloud", "page", "wiki", "media", "live", "gov", "mil", "int", "info", "org"),
]


@cache
def _linkify() -> LinkifyIt:
    return LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False}).tlds(_EXTRA_TLDS, True)


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?([^/?#:]+)", re.IGNORECASE)


# Where an address may start: a scheme, `www.`, or a dotted name followed by a path or
# ending the word. Running linkify-it only on the words this finds is ~5x cheaper than
# running it over every paragraph, and a URL never spans whitespace.
_MAYBE_ADDRESS = re.compile(r"://|www\.|\w\.\w+(?:/|\b)", re.IGNORECASE)
_SPACE = re.compile(r"\s")


def bare_urls(content: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """(offset, url as written) of every bare URL in an inline source, outside the
    `taken` spans (links, code, HTML) given in order of their start."""
    linkify = _linkify()
    starts = [start for start, _ in taken]
    reach = list(accumulate((end for _, end in taken), max))
    done = 0
    for hint in _MAYBE_ADDRESS.finditer(content):
        if hint.start() < done:
            continue
        inside = bisect_right(starts, hint.start()) - 1
        if inside >= 0 and hint.start() < reach[inside]:
            done = reach[inside]
            continue
        # Search back only to the previous word, so a long line costs linear time.
        start = 1 + max(content.rfind(c, done, hint.start()) for c in " \n\t")
        start = max(start, done)
        space = _SPACE.search(content, hint.end())
        done = space.start() if space else len(content)
        for match in linkify.match(content[start:done]) or ():
            if match.schema or _is_address(match.raw):
                yield start + match.index, match.raw


def _is_address(raw: str) -> bool:
    """The SPEC's rule for scheme-less text: `www.`, a shortener, or a domain with a path."""
    host_match = _HOST.match(raw)
    if host_match is None:
        return False
    host = host_match.group(1).lower()
    if host.startswith("www.") or is_shortener(host):
        return True
    path = raw[host_match.end() :]
    tld = host.rsplit(".", 1)[-1]
    return len(path) > 1 and path.startswith("/") and tld not in _FILE_LIKE_TLDS
