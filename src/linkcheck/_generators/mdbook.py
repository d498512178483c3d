"""mdBook: `book.toml`, chapters under `src` (`[book] src`), `x.md` served as `x.html`,
`README.md` as `index.html`, `[output.html.redirect]` stubs, books inside books; draft
chapters (`- [Title]()` in SUMMARY.md) and the chapters `[build] create-missing` (on by
default) writes where SUMMARY.md lists a file that does not exist."""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import unquote

from ._files import folder_setting, read_config, read_text
from ._site import Decides, Extension, Found, Missed, Site, line_of, page_key

CONFIG_FILES = ("book.toml",)
_SUMMARY_LINK = re.compile(r"\]\(<?([^)<>\s]+)>?\)")
#: mdBook's HTML renderer (`fix_link` in mdbook-html, 0.4 and 0.5 alike) turns every
#: local destination this matches, unanchored, into `LINK.html` plus the fragment right
#: after `.md`: everything up to the last `.md` is kept, whatever else follows it (`r`
#: of `x.mdr`, a `?query`, `.txt`) is dropped.
_MD_LINK = re.compile(r"(?P<link>.*)\.md(?P<anchor>#.*)?")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


class MdBook(Site):
    name = "mdbook"
    script_links = True
    # The Rust books link to each other as siblings on one server (`../std/…`).
    siblings_above = True

    def __init__(self, config: str, root: str, source: str) -> None:
        super().__init__(config, root, source)
        self.chapters: frozenset[str] | None = None
        self.first_chapter: str | None = None
        #: Chapters SUMMARY.md lists that no file is and the build creates (each with
        #: its title as a heading): `[build] create-missing`, true by default.
        self.created: frozenset[str] = frozenset()

    def pages(self) -> dict[str, str]:
        pages = super().pages()
        if self.first_chapter is not None and "/" not in pages:
            # mdBook also renders the first chapter as the book's index.html.
            pages["/"] = os.path.join(self.source, *self.first_chapter.split("/"))
        return pages

    def no_destination(self, article: str) -> str | None:
        if article == os.path.join(self.source, "SUMMARY.md"):
            return "a draft chapter: mdBook lists it in the table of contents, without a page"
        return None

    def rewrite(self, url: str, article: str = "") -> str | None:
        """The destination as mdBook's renderer writes it, told as the source file: the
        `x.md` whose page `x.html` it links to (`x.mdr` and `x.md?v=1` are `x.md`)."""
        if url.startswith("#") or _SCHEME.match(url):
            return url
        fixed = _MD_LINK.match(url)
        if fixed is None:
            return url
        return fixed["link"] + ".md" + (fixed["anchor"] or "")

    def lookup(self, url: str, served_from: str) -> Found | Missed:
        found = super().lookup(url, served_from)
        if isinstance(found, Missed) and self.created and url.startswith(self.mount):
            # `chapter.md` or `chapter.html`: a page the build creates before rendering.
            stem = posixpath.splitext(url[len(self.mount) :])[0]
            for chapter in self.created:
                if posixpath.splitext(chapter)[0] == stem:
                    return Found(os.path.join(self.source, *chapter.split("/")))
        return found

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        if not dot or suffix.lower() not in ("md", "markdown"):
            return None
        if self.chapters is not None and relative not in self.chapters:
            return None  # not in SUMMARY.md: mdBook does not render it
        folder, name = posixpath.split(stem)
        if name.lower() == "readme":  # the index preprocessor's rename
            name = "index"
        return "/" + posixpath.join(folder, name + ".html")


def load(config: str) -> MdBook:
    data = read_config(config)
    root = os.path.dirname(config)
    book = data.get("book", {})
    site = MdBook(
        config, root, folder_setting(book if isinstance(book, dict) else {}, "src", "src", config)
    )
    listed = _chapters(os.path.join(site.source, "SUMMARY.md"))
    if listed is not None:
        site.chapters = frozenset(listed) | {"SUMMARY.md"}
        site.first_chapter = listed[0] if listed else None
        build = data.get("build", {})
        if not isinstance(build, dict) or build.get("create-missing", True) is not False:
            site.created = frozenset(
                chapter
                for chapter in listed
                if not os.path.isfile(os.path.join(site.source, *chapter.split("/")))
            )
    site.extensions = _preprocessors(data, config)
    html = data.get("output", {})
    html = html.get("html", {}) if isinstance(html, dict) else {}
    redirect = html.get("redirect", {}) if isinstance(html, dict) else {}
    if isinstance(redirect, dict):
        site.redirects = frozenset(page_key("/" + str(k).lstrip("/")) for k in redirect)
    return site


#: mdBook's own preprocessors, which linkcheck emulates (`{{#include}}` aside), and
#: well-known ones that write no link and no anchor (read from their source): The Rust
#: Programming Language's note boxes, diagrams and formulas, a page's table of contents.
_BUILT_IN = frozenset({"links", "index", "trpl-note", "mermaid", "katex", "toc", "pagetoc"})
#: Well-known ones that write anchors of one form only: (what they decide, the ids).
_KNOWN: dict[str, tuple[frozenset[Decides], str]] = {
    "trpl-listing": (frozenset({"anchors"}), r"listing-[0-9-]+"),  # `<Listing number=…>`
    "admonish": (frozenset({"anchors"}), r"admonition-.*"),  # mdbook-admonish's boxes
}


def _preprocessors(data: dict[str, object], config: str) -> tuple[Extension, ...]:
    """`[preprocessor.NAME]` tables: each runs `mdbook-NAME` (or its `command`) over
    every chapter before it is rendered, and may rewrite any link or add any anchor."""
    tables = data.get("preprocessor")
    if not isinstance(tables, dict):
        return ()
    try:
        source = read_text(config)
    except OSError:
        source = ""
    found = []
    for name in tables:
        if name in _BUILT_IN:
            continue
        line = line_of(source, rf"^\s*\[\s*preprocessor\s*\.\s*[\"']?{re.escape(name)}\b")
        extension = Extension("mdBook preprocessor", f"mdbook-{name}", config, line)
        if name in _KNOWN:
            decides, ids = _KNOWN[name]
            extension = Extension(extension.kind, extension.name, config, line, decides, ids)
        found.append(extension)
    return tuple(found)


def _chapters(summary: str) -> list[str] | None:
    """The source files SUMMARY.md lists, in order (None without a SUMMARY: every file
    counts)."""
    try:
        text = read_text(summary)
    except OSError:
        return None
    found: list[str] = []
    for match in _SUMMARY_LINK.finditer(text):
        target = unquote(match.group(1).partition("#")[0])
        if target and "://" not in target:
            found.append(posixpath.normpath(target.removeprefix("./")))
    return found
