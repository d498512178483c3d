"""`--site DIR`: a markdown article's local links judged against the HTML its build made.

The generator module says which page an article becomes (`Site.url_of`); that page is
read from DIR, and the link is found again on it — by its text and by where it leads
(the same file name and fragment, whatever the build did to the path), or written as
is. The built link is then followed as a browser follows it from the page's URL, and
the file it reaches, and the anchor for its fragment, must be in DIR. That is exact for
every generator, plugin, hook and preprocessor: it is what the reader gets. A link that
cannot be traced to one built link (its page is not in DIR, or the page has none or
several candidates that disagree) is judged by the source rules as without `--site`.
Each occurrence stays at its markdown line.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from .._extract import extract_as
from .._models import Article, Link
from .._regular import open_regular
from ._site import Site

_HOST = "http://built.invalid"  # a base no link can share by accident
_LIMIT = 20 * 1024 * 1024
_MARKUP = re.compile(r"[*_`~]|\\(?=.)")
#: An icon or emoji shortcode (`:octicons-arrow-right-24:`, `:smile:`): pymdownx.emoji,
#: Hugo's and GitHub's emoji make it an image or an SVG, no text of the built link.
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
#: What a build's typographer (Goldmark's, SmartyPants) makes of quotes and dashes: the
#: text `Let's` is `Let’s` on the built page.
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--",
     "\u2014": "---", "\u2026": "..."}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Built:
    """A link as the build wrote it: the built page it is on, and the file and anchor
    it reaches in DIR (`found` None when none is there)."""

    page: str
    href: str
    url: str  # the server path it reaches
    found: str | None
    fragment: str | None
    #: Whether the fragment names an anchor of the page reached (None: no fragment, or
    #: not a page).
    anchored: bool | None


class BuiltSite:
    """The output folder of a site's build, read once per page."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.realpath(folder)
        self._pages: dict[str, Article | None] = {}

    def trace(self, site: Site, article: str, link: Link) -> Built | None:
        """Where the build sent `link` (written in the source file `article`), or None
        when it cannot be traced to one built link."""
        served = site.url_of(article)
        page_file = self._file_at(site, served)
        if page_file is None and served.endswith("/") and served != site.mount:
            # The build wrote the page as `x.html` (Starlight's `build.format: 'file'`,
            # Docusaurus' `trailingSlash: false`, Hugo's ugly URLs): the same page.
            page_file = self._file_at(site, served.rstrip("/") + ".html")
        if page_file is None or not page_file.lower().endswith((".html", ".htm")):
            return None
        page = self._page(page_file)
        if page is None:
            return None
        href = _counterpart(
            link, page.links, _HOST + (served if served.startswith("/") else "/" + served)
        )
        if href is None:
            return None
        return self._follow(site, served, page_file, href)

    def _follow(self, site: Site, served: str, page_file: str, href: str) -> Built | None:
        base = _HOST + (served if served.startswith("/") else "/" + served)
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != _HOST:
            return None  # the build made it a link to another site: not ours to judge
        path = unquote(parts.path)
        # A text fragment (`#:~:text=…`) is no id: the browser takes it off first.
        fragment = unquote(parts.fragment).partition(":~:")[0] or None
        found = self._file_at(site, path)
        anchored = None
        page = found is not None and found.lower().endswith((".html", ".htm"))
        if found is not None and page and fragment and fragment != "top":
            target = self._page(found)
            anchored = target is not None and fragment in target.anchors
        return Built(page_file, href, path, found, fragment, anchored)

    def _file_at(self, site: Site, url_path: str) -> str | None:
        """The file DIR serves at `url_path`, as a static server does: the file, a
        folder's index.html, or `x.html` for an extension-less `x`."""
        mount = site.mount
        if not (url_path + "/").startswith(mount):
            return None
        relative = url_path[len(mount) :].strip("/")
        here = os.path.join(self.folder, *[p for p in relative.split("/") if p])
        if not os.path.realpath(here).startswith(os.path.join(self.folder, "")[:-1]):
            return None
        if url_path.endswith("/") or not relative:
            candidates = [os.path.join(here, "index.html")]
        else:
            candidates = [here, os.path.join(here, "index.html"), here + ".html"]
        return next((c for c in candidates if os.path.isfile(c)), None)

    def _page(self, path: str) -> Article | None:
        if path not in self._pages:
            try:
                with open_regular(path) as file:
                    text = file.read(_LIMIT).decode("utf-8", errors="replace")
            except OSError:
                self._pages[path] = None
            else:
                self._pages[path] = extract_as("html", text, path)
        return self._pages[path]

    def display(self, path: str) -> str:
        return os.path.relpath(path).replace(os.sep, "/")


def _counterpart(link: Link, built: tuple[Link, ...], base: str) -> str | None:
    """The href the build wrote for `link`: among the page's links, those with the same
    text and a destination that corresponds, else the same text alone, else the
    destination alone — provided every candidate leads to one place from the page at
    `base` (a theme's navigation repeats a link written otherwise: `cli.md` beside the
    content's `./cli.md`)."""
    text = _plain(link.text)
    same_text = [b for b in built if _plain(b.text) == text] if text else []
    corresponding = [b for b in built if _corresponds(link.url, b.url)]
    for candidates in (
        [b for b in same_text if b in corresponding],
        same_text,
        corresponding,
    ):
        if candidates and len({urljoin(base, b.url) for b in candidates}) == 1:
            return candidates[0].url
    return None


def _plain(text: str) -> str:
    text = _SHORTCODE.sub("", text)
    return " ".join(_MARKUP.sub("", text.translate(_TYPOGRAPHY)).split()).casefold()


def _corresponds(written: str, href: str) -> bool:
    """Whether `href` may be the build's rewriting of the source destination `written`:
    the same, or the same fragment and the same page name (`guide.md#x` and
    `../guide/#x`, `guide.html#x`; `sub/index.md` and `sub/`)."""
    if written == href:
        return True
    source, _, fragment = written.partition("#")
    built, _, built_fragment = href.partition("#")
    if fragment != built_fragment:
        return False
    return _page_name(source) == _page_name(built) != ""


def _page_name(path: str) -> str:
    path = unquote(path.partition("?")[0]).rstrip("/")
    name = posixpath.basename(path)
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ("md", "markdown", "mdx", "html", "htm", "rst", "adoc", "ipynb"):
        name = stem
    if name.lower() in ("index", "readme", "_index"):
        name = posixpath.basename(posixpath.dirname(path))
    return name.lower()
