"""Dead links that pretend to work: a deep link redirected to a home page or an error page.

A removed page answering with a redirect to `/` or `/404` ends in a 200, which a status
check calls working. The page the citation pointed at is gone all the same.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from urllib.parse import urlsplit

# `/`, `/index.html`, `/home`, `/default.aspx`, and locale roots such as `/en/`, `/pt-br`
# (a bare two-letter path like `/ok` is too often a real page to count).
_ROOT = re.compile(
    r"^/?(?:(?:index|default|home|start)(?:\.\w+)?/?|[a-z]{2}/|[a-z]{2}[-_][a-z]{2}/?)?$", re.I
)
_ERROR = re.compile(
    r"(?:^|[/_.?=&-])(?:404|410|not[-_]?found|page[-_]?not[-_]?found|error|gone)(?:$|[/_.?=&-])",
    re.I,
)


def is_home_page(url: str) -> bool:
    return _ROOT.match(urlsplit(url).path) is not None


def soft_404_reason(start: str, final: str) -> str | None:
    """Why ending at `final` means `start` is dead, or None.

    `start` is the page cited (for a shortlink, where the shortener sent it first).
    """
    cited, landed = urlsplit(start), urlsplit(final)
    if _ROOT.match(landed.path) and not _ROOT.match(cited.path):
        if (landed.hostname or "") == (cited.hostname or ""):
            return "redirects to the site's home page"
        return f"redirects to the home page of {landed.hostname}"
    where = landed.path + ("?" + landed.query if landed.query else "")
    if _ERROR.search(where) and not _ERROR.search(cited.path + "?" + cited.query):
        return f"redirects to an error page ({where})"
    return None


# ------------------------------------------------------------- the sibling probe
# Bar-Yossef et al. (2004): ask the same host for a page of the same shape that cannot
# exist. A server that answers it 200 too, with the same page, answers 200 to anything.


def probe_key(url: str) -> tuple[str, str]:
    """Pages of one host and path shape share one probe: `/news/2015/a.html` and
    `/news/2015/b.html` have the same shape; `/news/x` another."""
    parts = urlsplit(url)
    parent, _, last = parts.path.rpartition("/")
    extension = last.rpartition(".")[2] if "." in last else ""
    return f"{parts.scheme}://{parts.netloc}", f"{parent}/*.{extension}"


def sibling_url(url: str, token: str) -> str:
    """A URL beside `url` that no site has: same folder, same extension, random name."""
    parts = urlsplit(url)
    parent, _, last = parts.path.rpartition("/")
    extension = "." + last.rpartition(".")[2] if "." in last else ""
    return f"{parts.scheme}://{parts.netloc}{parent}/{token}{extension}"


_WORD = re.compile(r"\w+")


def near_identical(first: bytes, second: bytes, threshold: float = 0.9) -> bool:
    """Whether two pages say the same, word for word in order, but for a few words
    (a soft-404 page differs from its sibling only by the path it echoes)."""
    a, b = _words(first), _words(second)
    if not a or not b:
        return a == b
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio is linear and an upper bound: most different pages stop there.
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def _words(body: bytes) -> list[str]:
    return _WORD.findall(body[:65536].decode("utf-8", "replace").lower())[:3000]
