"""What every generator has in common: a source tree served at a URL path, an index from
each page's URL back to its source file, and lookup of a link's URL in that index."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from .._anchors import FragmentMatch
from .._discover import ARTICLE_SUFFIXES, HTML_SUFFIXES, SKIPPED_DIRS
from .._extract import Dialect
from ._hosts import HostRule, HostRules

#: A markdown file's anchors as linkcheck extracts them (None if unreadable).
AnchorsOf = Callable[[str], frozenset[str] | None]

#: Files a generator turns into pages.
PAGE_SUFFIXES = ARTICLE_SUFFIXES + HTML_SUFFIXES


class ConfigProblem(Exception):
    """A generator's config cannot be read: a one-line warning, and GitHub's rules."""


#: What a failure is about: a link's target, an anchor in it, a reference's definition.
Decides = Literal["targets", "anchors", "references"]


@dataclass(frozen=True, slots=True)
class Extension:
    """Something a site's config turns on that changes pages as they are built and that
    linkcheck cannot emulate (an mdBook preprocessor, an MkDocs hook, a remark plugin, a
    Hugo render hook): where a link or anchor is not found, it may be what supplies it."""

    kind: str  # "mdBook preprocessor", "MkDocs hook", "remark plugin"…
    name: str
    config: str  # the file that declares it (absolute)
    line: int  # 1-based; 0 when the file itself is the extension (a render hook)
    #: What it may supply: link targets, anchors, reference definitions (a preprocessor
    #: rewrites the whole source; a link render hook only where links lead).
    decides: frozenset[Decides] = frozenset({"targets", "anchors", "references"})
    #: The ids it can give a page, when known (a regex: `listing-[0-9-]+`); None: any.
    ids: str | None = None
    #: Whether the ids it gives are the page's headings in another spelling (a heading
    #: slug function: case kept, punctuation dropped or replaced), so that they keep
    #: each heading's letters and digits.
    respells_headings: bool = False
    #: The routes it serves pages at (URL paths under the site's mount: `/blog` and
    #: all beneath it), when it makes pages only there (a blog plugin's routes);
    #: None: it may decide a link anywhere.
    routes: tuple[str, ...] | None = None

    def may_decide(
        self,
        about: Decides,
        fragment: str | None = None,
        anchors: frozenset[str] = frozenset(),
        route: str | None = None,
    ) -> bool:
        if about not in self.decides:
            return False
        if self.routes is not None:
            # Only a target (or a page) at one of its routes is its doing.
            path = (route or "").rstrip("/")
            if route is None or not any(path == r or path.startswith(r + "/") for r in self.routes):
                return False
        if about == "anchors" and self.respells_headings:
            # An id no heading of the page spells, whatever the case and punctuation,
            # is no slug of it: `#_getterstree` on a page with no such heading.
            letters = _letters(fragment or "")
            return any(_letters(anchor) == letters for anchor in anchors)
        return (
            about != "anchors" or self.ids is None or bool(re.fullmatch(self.ids, fragment or ""))
        )

    def why(self) -> str:
        """The shared reason of the links it decides: reports group them by it."""
        where = os.path.relpath(self.config).replace(os.sep, "/")
        where = f"{where} line {self.line}" if self.line else where
        return f"decided by the {self.kind} '{self.name}' ({where})"


def _letters(anchor: str) -> str:
    """An anchor's letters and digits, casefolded: what every spelling of a heading as an
    id keeps (GitHub's slug, VitePress' or a site's own)."""
    return "".join(c for c in anchor.casefold() if c.isalnum())


#: A heading that is already an id every slug function gives back as it is (lowercase
#: ASCII words joined by single hyphens: nothing to lowercase, drop, replace or trim).
_OWN_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def spelled_heading(headings: list[str], fragment: str) -> bool | None:
    """Whether `#fragment` is one of `headings` (their texts, explicit ids left out) as
    a slug function linkcheck cannot run spells them: True where the heading is already
    its own id, False where only the function can say (`## Option Stores` may be
    `#option-stores` or `#Option-Stores`), None where no heading spells it at all."""
    letters = _letters(fragment)
    spelled = [h.strip() for h in headings if _letters(h) == letters]
    if not spelled:
        return None
    return any(text == fragment and _OWN_SLUG.fullmatch(text) for text in spelled)


def line_of(text: str, pattern: str, after: int = 0) -> int:
    """The 1-based number of the first line at or after line `after` that matches the
    regex `pattern` (0 when none does): where a config declares an extension."""
    compiled = re.compile(pattern)
    for number, line in enumerate(text.splitlines(), 1):
        if number >= after and compiled.search(line):
            return number
    return 0


@dataclass(frozen=True, slots=True)
class Found:
    """A link's target on the built site: the source file that serves it."""

    path: str
    #: The `#fragment` of a redirect's destination, which the browser follows in place
    #: of the link's own (RFC 9110, 10.2.2): checked on the page it lands on.
    fragment: str | None = None
    #: Why nothing is left to check: a redirect to another site (`path` is the file
    #: that declares it).
    elsewhere: str | None = None
    #: What writes the page, where no source file is it (a blog's list page, written
    #: from the posts): a `#fragment` on it is that extension's to decide.
    written_by: Extension | None = None


@dataclass(frozen=True, slots=True)
class Missed:
    """No page or file is served at `url`; `skipped` when it belongs to another site."""

    url: str
    served_from: str
    skipped: bool = False
    #: What writes the page at build time, where the config says something does (a
    #: page MkDocs' nav lists that no file in the repository is): not a sure miss.
    decided_by: Extension | None = None


def page_key(url_path: str) -> str:
    """One key for every spelling of a page's URL: `/a/b.html`, `/a/b/`,
    `/a/b/index.html` and the extension-less `/a/b` (which GitHub Pages, Netlify and
    most static servers answer) are the same page."""
    path = url_path
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    elif path.endswith((".html", ".htm")):
        path = path.rsplit(".", 1)[0]
    return path.rstrip("/") or "/"


class Site:
    """One book or site: `source` is the tree it governs, served at `mount` (`/`, or the
    base URL's path, ending in `/`)."""

    name = "github"
    #: Whether a link that climbs above the server's root goes to a sibling site on the
    #: same server (mdBook's `../std/…` from the Rust books) rather than nowhere.
    siblings_above = False
    #: Whether page URLs are served lowercase whatever the file names (Hugo).
    lowercase_urls = False
    #: A plugin that turns `[text][label]` with no definition into a link when the site
    #: is built (MkDocs' autorefs: labels are names of documented objects or headings).
    resolves_references: str | None = None
    #: How its build reads an article's markdown (`_extract/_dialects.py`).
    dialect: Dialect = "github"
    #: Whether its `.mdx` files are MDX (Docusaurus, Starlight), read as such.
    mdx = False
    #: Whether its renderer writes a `javascript:` destination into the page as written,
    #: so that a link running code is a working control on the site, not a stand-in.
    #: Python-Markdown, kramdown, pulldown-cmark and Astro's remark do; GitHub's
    #: sanitizer, markdown-it's `validateLink` (VitePress) and Goldmark (Hugo, unless
    #: `unsafe`) drop it, and React 19 blocks it (Docusaurus).
    script_links = False
    #: How a `#fragment` finds its element on the built pages: exactly, as the HTML
    #: standard says, on every generator's site (no generator's client script folds case;
    #: docs/generators.md, "How a fragment finds its element").
    fragments = FragmentMatch.EXACT

    def __init__(self, config: str, root: str, source: str, mount: str = "/") -> None:
        self.config = config
        self.root = root
        self.source = source
        self.mount = mount if mount.endswith("/") else mount + "/"
        #: Another site whose output holds this one (an mdBook inside a book's folder).
        self.parent: Site | None = None
        self.redirects: frozenset[str] = frozenset()
        #: Redirects the generator writes as pages of their own, from a route's key
        #: (`page_key` under the mount) to where each sends the reader, under the mount
        #: or another site's address (Astro's `redirects`).
        self.redirect_to: dict[str, str] = {}
        #: The rules of the host that serves the built site (`netlify.toml`,
        #: `_redirects`, `vercel.json`), tried where the site has no page.
        self.host = HostRules()
        #: What the config turns on that may supply a link or an anchor linkcheck does
        #: not find: such a failure is `unverified`, not `broken`.
        self.extensions: tuple[Extension, ...] = ()
        self._pages: dict[str, str] | None = None
        self._urls: dict[str, str] = {}

    # --- what a generator says
    def unverified_why(
        self,
        about: Decides,
        page: str | None = None,
        fragment: str | None = None,
        anchors: frozenset[str] = frozenset(),
        url: str | None = None,
    ) -> str | None:
        """Why a failure about a target (at the server path `url`, when known), an
        anchor (`fragment` of `page`, whose own anchors are `anchors`) or a reference on
        this site may not be one (None: it is certain)."""
        # The page's own first (its shortcode wrote the anchor, if anything did); one
        # extension is named, so that the summary groups the links by it.
        extensions = (*(self.page_extensions(page) if page else ()), *self.extensions)
        if url is None and page is not None and self.governs(page):
            url = self.url_of(page)
        route = "/" + url[len(self.mount) :] if url and url.startswith(self.mount) else None
        deciding = (e for e in extensions if e.may_decide(about, fragment, anchors, route))
        return next((e.why() for e in deciding), None)

    def heading_slugger(self) -> Extension | None:
        """What gives the headings their ids when it is a function linkcheck cannot run
        (VitePress' `markdown.anchor.slugify`, MkDocs' own `toc` slugify), or None."""
        return next((e for e in self.extensions if e.respells_headings), None)

    def module_root(self) -> str | None:
        """The folder an ES module import written from `/` starts in (Vite's project
        root for Astro), or None where such an import is not resolved from a folder."""
        return None

    def page_extensions(self, path: str) -> tuple[Extension, ...]:
        """Extensions the page at `path` uses itself (Hugo's shortcodes)."""
        return ()

    def undefined_reference(self, label: str, article: str) -> str | None:
        """Why `[text][label]` with no definition in `article` may still be a link on
        the built site (None: it is not, as on GitHub)."""
        if self.resolves_references is None:
            return None
        return f"[{label}] is resolved by the {self.resolves_references} plugin of {self.name}"

    def no_destination(self, article: str) -> str | None:
        """Why a link with no destination in `article` is no link on the built site
        (mdBook's draft chapters in SUMMARY.md), or None: it is a placeholder."""
        return None

    def no_link_at(self, article: str, line: int, column: int) -> str | None:
        """Why what reads as a link at `line`, `column` (1-based) of `article` is no
        link on the built site (inside Goldmark's passthrough delimiters), or None."""
        return None

    def appended_definition(self, label: str, article: str) -> str | None:
        """The file whose reference definition the build adds to `article` for `[label]`
        (MkDocs' snippets), or None."""
        return None

    def page_url(self, relative: str, path: str) -> str | None:
        """The URL path (under the mount, starting `/`) that serves the source file at
        `relative` (posix, relative to `source`), or None when it is not a page."""
        raise NotImplementedError

    def static_folders(self) -> tuple[str, ...]:
        """Folders whose files are served at the site's root as they are."""
        return (self.source,)

    def copies(self, relative: str) -> bool:
        """Whether the build copies the file at `relative` (posix, under a static
        folder) into the site as it is."""
        return True

    def copies_source(self, path: str) -> bool:
        """Whether a link to the source file at `path` reaches something on the site: a
        page (its link rewritten to the page's URL) or a file the build copies."""
        relative = os.path.relpath(path, self.source).replace(os.sep, "/")
        if relative.startswith("../") or path.lower().endswith(PAGE_SUFFIXES):
            return True
        return self.copies(relative)

    def walk(self) -> Iterator[tuple[str, str]]:
        """Every page source file: (posix path relative to `source`, absolute path)."""
        for folder, subdirs, files in os.walk(self.source):
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in SKIPPED_DIRS]
            for name in files:
                if name.lower().endswith(PAGE_SUFFIXES):
                    path = os.path.join(folder, name)
                    yield os.path.relpath(path, self.source).replace(os.sep, "/"), path

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """Ids the generator gives a page beyond its headings' and HTML's."""
        return frozenset()

    def rewrite(self, url: str, article: str = "") -> str | None:
        """The link target once the generator's template syntax in it is evaluated (in
        the page `article`, where it matters); None when only a build could evaluate it."""
        return url

    # --- lookups
    def governs(self, path: str) -> bool:
        return path.startswith(os.path.join(self.source, ""))

    def url_of(self, path: str) -> str:
        """The server URL path of a page (mount included)."""
        url = self._urls.get(path)
        if url is None:
            relative = os.path.relpath(path, self.source).replace(os.sep, "/")
            page = self.page_url(relative, path)
            if page is None:  # not a page of its own: relative links start from its folder
                page = "/" + posixpath.dirname(relative).strip("/") + "/"
                page = page.replace("//", "/")
            url = self._urls[path] = self.mount + page.lstrip("/")
        return url

    def pages(self) -> dict[str, str]:
        if self._pages is None:
            pages: dict[str, str] = {}
            # A folder's README stands for it only where no index page does.
            for relative, path in sorted(self.walk(), key=_readme_last):
                url = self.page_url(relative, path)
                if url is not None:
                    pages.setdefault(self._key(url), path)
            self._pages = pages
        return self._pages

    def lookup(self, url: str, served_from: str) -> Found | Missed:
        """The file serving `url` (an absolute server path, without query or fragment)."""
        if url.startswith(self.mount) or url + "/" == self.mount:
            relative = "/" + url[len(self.mount) :]
            found = self._lookup_here(relative)
            if found is not None:
                return Found(found)
        if self.parent is not None:
            return self.parent.lookup(url, served_from)
        return Missed(url, served_from)

    def _key(self, url: str) -> str:
        key = page_key(url)
        return key.lower() if self.lowercase_urls else key

    def _lookup_here(self, relative: str) -> str | None:
        key = self._key(relative)
        pages = self.pages()  # first: reading the pages may find redirects (Hugo's aliases)
        if key in self.redirects:
            return self.config  # served as a redirect stub: the config file stands for it
        page = pages.get(key)
        if page is not None:
            return page
        tail = relative.lstrip("/")
        if tail and not self.copies(tail):
            return None
        for folder in self.static_folders():
            candidate = os.path.join(folder, *tail.split("/")) if tail else folder
            if os.path.isfile(candidate):
                return candidate
        return None

    def reach(self, link_path: str, article: str, hops: int = 0) -> Found | Missed:
        """Where a link written in `article` leads for the reader: the page or file the
        site serves there, else where a redirect sends them on — the generator's own
        (a redirect page it writes) first, then the host's rules, as a host serves the
        files first. A destination is reached the same way, so that its `#fragment` is
        checked on the page the reader lands on."""
        found = self.resolve(link_path, article)
        if not isinstance(found, Missed) or found.skipped or found.decided_by is not None:
            return found
        if hops > _HOPS or not found.url.startswith("/"):
            return found
        if found.url.startswith(self.mount) or found.url + "/" == self.mount:
            moved = self.redirect_to.get(self._key("/" + found.url[len(self.mount) :]))
            if moved is not None:  # a route of the site, or another site's address
                where = os.path.relpath(self.config).replace(os.sep, "/")
                to = moved if _ELSEWHERE.match(moved) else self.mount + moved.lstrip("/")
                return self._follow(to, f"the redirects of {where}", self.config, article, hops)
        matched = self.host.match(found.url)
        if matched is None:
            return found
        rule, to = matched
        if rule.condition is not None:
            return Missed(found.url, found.served_from, decided_by=_conditional(rule))
        if not (200 <= rule.status < 400):
            return found  # a custom not-found page (`/fr/* /fr/404.html 404`)
        reached = self._follow(
            to, f"{rule.host}'s rule {rule.source} ({rule.where()})", rule.file, article, hops
        )
        if isinstance(reached, Found) and reached.elsewhere is None and rule.fixed():
            # `/* /index.html 200`: one page for every URL, whose scripts decide.
            return Missed(found.url, found.served_from, decided_by=_rewritten(rule))
        return reached

    def _follow(self, to: str, by: str, file: str, article: str, hops: int) -> Found | Missed:
        """Where the destination `to` of a redirect (`by`, declared in `file`) leads."""
        if _ELSEWHERE.match(to):
            # Another site's address: the redirect works; that site is not this check's.
            return Found(file, elsewhere=f"redirected to {to} by {by}")
        path, _, fragment = to.partition("#")
        path = "/" + path.partition("?")[0].lstrip("/")  # a destination is from the root
        reached = self.reach(path, article, hops + 1)
        if isinstance(reached, Found) and fragment and reached.elsewhere is None:
            return Found(reached.path, fragment, reached.elsewhere)
        return reached

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        """Where a link written in `article` (a page of this site) leads on the built site."""
        served = self.url_of(article)
        if link_path.startswith("/"):
            target = posixpath.normpath(link_path) + ("/" if link_path.endswith("/") else "")
            if self.mount != "/" and not target.startswith(self.mount):
                # Written without the base URL: try it under the mount as well.
                found = self.lookup(self.mount + target.lstrip("/"), served)
                if isinstance(found, Found):
                    return found
            return self.lookup(target, served)
        base = served if served.endswith("/") else posixpath.dirname(served) + "/"
        parts = [p for p in base.split("/") if p]
        for part in link_path.split("/"):
            if part == "..":
                if not parts:
                    return Missed(link_path, served, skipped=self.siblings_above)
                parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        target = "/" + "/".join(parts) + ("/" if link_path.endswith("/") and parts else "")
        return self.lookup(target, served)


#: Redirects followed one after another before a chain is taken for a loop.
_HOPS = 8
#: A destination on another site: an address with a scheme, or `//host/…`.
_ELSEWHERE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def _conditional(rule: HostRule) -> Extension:
    """A host rule that depends on the request (a country, a role, a query parameter):
    whether it sends the reader on, only the request decides."""
    name = f"{rule.source} {rule.to} ({rule.condition})"
    return Extension(
        f"{rule.host} redirect rule", name, rule.file, rule.line, frozenset({"targets"})
    )


def _rewritten(rule: HostRule) -> Extension:
    name = f"{rule.source} {rule.to} {rule.status}"
    return Extension(
        f"{rule.host} rewrite rule", name, rule.file, rule.line, frozenset({"targets"})
    )


def _readme_last(item: tuple[str, str]) -> tuple[bool, str]:
    return item[0].lower().endswith(("readme.md", "readme.markdown")), item[0]
