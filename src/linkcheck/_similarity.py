"""Does a page still say what it said? The main text and title of two versions of a page,
and how much of the cited version the live one still holds (docs/citations.md).

The main text is what trafilatura extracts (menus, footers, ads and comments left out),
so that a redesign that keeps the article is not drift; without trafilatura installed
(`pip install 'linkcheck-markdown[drift]'`), a plain reading of the body without its
script, style, navigation, header, footer and aside elements stands in.

The measure is Broder's containment of w-shingles ("On the resemblance and containment of
documents", 1997): the share of the cited page's 5-word sequences still found in the live
page. Containment, not resemblance (Jaccard), because a cited text that grew (an update,
a correction appended, comments below) still says what was cited; one replaced by
another story, a parked page or a home page does not. The title weighs a fifth: a
changed title is a strong sign of drift (Reyes Ayala, 2019), a page's own text more so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

#: Words per shingle: long enough that two unrelated texts share almost none, short
#: enough that a light edit breaks only the shingles around it.
SHINGLE_WORDS = 5
#: The title's share of the similarity; the text has the rest.
TITLE_WEIGHT = 0.2
#: Below this many words a page's text says too little to be compared.
MIN_WORDS = 20

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class PageText:
    title: str
    text: str


def page_text(html: str) -> PageText:
    """The title and main text of an HTML page."""
    title = _title(html)
    text = _main_text(html)
    return PageText(title, text)


def similarity(then: PageText, now: PageText) -> float | None:
    """How much of `then` (the cited page) `now` still holds, 0.0–1.0; None when the
    cited page has too little text to judge."""
    cited = shingles(then.text)
    if len(words(then.text)) < MIN_WORDS or not cited:
        return None
    text = len(cited & shingles(now.text)) / len(cited)
    title_then, title_now = set(words(then.title)), set(words(now.title))
    if not title_then:
        return round(text, 3)
    title = len(title_then & title_now) / len(title_then)
    return round((1 - TITLE_WEIGHT) * text + TITLE_WEIGHT * title, 3)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


#: Query parameters that make a page a search's results.
_SEARCH_PARAMETERS = frozenset({"q", "query", "search", "s", "keywords", "k", "term"})
_FEED_PATH = re.compile(r"(?:^|/)(?:feed|feeds|rss|atom)(?:/|\.xml$|$)|\.(?:rss|atom|xml)$", re.I)
_SEARCH_PATH = re.compile(r"(?:^|/)search(?:/|$)", re.I)


def changes_by_nature(url: str) -> str | None:
    """Why the page at `url` is expected to change (a home page, a feed, a search's
    results), or None: such a page is not judged for drift."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    path = parts.path
    query = {name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if _SEARCH_PATH.search(path) or query & _SEARCH_PARAMETERS:
        return "a search's results"
    if _FEED_PATH.search(path):
        return "a feed"
    if path.strip("/") in ("", "index.html", "index.htm", "index.php", "home"):
        return "a home page"
    return None


def _title(html: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title\s*>", html, re.I | re.S)
    if not found:
        return ""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def _main_text(html: str) -> str:
    try:
        import trafilatura
    except ImportError:
        return _plain_text(html)
    text = trafilatura.extract(html, include_comments=False, include_tables=True)
    return text if text else _plain_text(html)


class _Text(HTMLParser):
    """The body's text without the page's furniture: the fallback reading."""

    _SKIPPED = frozenset(
        {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "title"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def _plain_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.parts).split())
