"""Dead links that pretend to work: a deep link redirected to a home page or an error page.

A removed page answering with a redirect to `/` or `/404` ends in a 200, which a status
check calls working. The page the citation pointed at is gone all the same.
"""

from __future__ import annotations

import re
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
