"""What a crawl may enter: the start URL's origin and path prefix, less the traps.

A crawl follows a site's own links, and a site can offer endlessly many (a calendar's
next month, a session id in every URL, `/a/b/a/b/…`). Every rule here is a bound a page
count alone would not give: it keeps the crawl's pages the site's real ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that name a visitor's session, not a page: two URLs that differ
#: only in them are one page (PHP, Java servlets, ASP.NET, common frameworks).
SESSION_PARAMETERS = frozenset(
    {"phpsessid", "jsessionid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken"}
)
#: Addresses longer than this are generated, not written (browsers take 2 MB; no site's
#: own navigation needs more than a few hundred characters).
MAX_URL_LENGTH = 2000
#: One path answering to more query strings than this is a generator of pages (an
#: endless calendar, a faceted search): its first few are crawled, the rest are not.
MAX_QUERIES_PER_PATH = 25
#: A path segment repeated this often (`/a/b/a/b/a/b/`) is a relative-link loop.
MAX_SEGMENT_REPEATS = 3

_JSESSIONID = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)


def page_key(url: str) -> str:
    """The page a URL names: without its fragment and session ids, scheme and host in
    lower case, the default port dropped. Two URLs with one key are fetched once."""
    parts = urlsplit(_JSESSIONID.sub("", url))
    host = (parts.hostname or "").lower()
    port = parts.port
    scheme = parts.scheme.lower()
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMETERS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


@dataclass(frozen=True, slots=True)
class Scope:
    """The start URL's origin and the folder of its path: `https://a.example/docs/intro`
    admits `https://a.example/docs/…`, not `/blog/` nor another host."""

    origin: str
    prefix: str

    @classmethod
    def of(cls, start: str) -> Scope:
        key = urlsplit(page_key(start))
        path = key.path
        prefix = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        return cls(f"{key.scheme}://{key.netloc}", prefix)

    def admits(self, key: str) -> bool:
        parts = urlsplit(key)
        return f"{parts.scheme}://{parts.netloc}" == self.origin and parts.path.startswith(
            self.prefix
        )


def trap(key: str) -> str | None:
    """Why a page key looks generated rather than written, or None."""
    if len(key) > MAX_URL_LENGTH:
        return f"address longer than {MAX_URL_LENGTH} characters"
    segments = [s for s in urlsplit(key).path.split("/") if s]
    if segments and max(segments.count(s) for s in set(segments)) > MAX_SEGMENT_REPEATS:
        return "a path segment repeats (a relative-link loop)"
    return None


class QueryBudget:
    """How many query strings each path has been crawled with (MAX_QUERIES_PER_PATH)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def take(self, key: str) -> bool:
        parts = urlsplit(key)
        if not parts.query:
            return True
        path = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        count = self._seen.get(path, 0)
        if count >= MAX_QUERIES_PER_PATH:
            return False
        self._seen[path] = count + 1
        return True
