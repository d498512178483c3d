"""One redirect chain's state: its cookies, and how its hops are addressed."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx

from ._hosts import host_key

#: How a redirect to a scheme that is not a web page is said.
NON_HTTP = {
    "data": "inline data (data:), not to a web page",
    "javascript": "a script (javascript:), not to a web page",
    "mailto": "an e-mail address (mailto:), not to a web page",
}


class ChainJar:
    """The cookies of one redirect chain, each sent back only to the host and port that
    set it (a cookie check's 302 → set cookie → 302 back works; nothing crosses sites,
    nothing outlives the chain; stricter than a browser, which ignores the port)."""

    def __init__(self) -> None:
        self._by_host: dict[str, dict[str, str]] = {}

    def keep(self, url: str, headers: httpx.Headers) -> None:
        for line in headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            value = rest.partition(";")[0].strip()
            if name.strip():
                self._by_host.setdefault(host_key(url), {})[name.strip()] = value

    def header(self, url: str) -> str:
        if not self._by_host:
            return ""  # most chains set no cookie: no need to know the host
        cookies = self._by_host.get(host_key(url), {})
        return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def without_userinfo(url: str) -> str:
    """`url` as sent: its userinfo goes as basic auth to its origin, not in the URL."""
    if "@" not in url:
        return url
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
