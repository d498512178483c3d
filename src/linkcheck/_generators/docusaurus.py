"""Docusaurus: `docusaurus.config.{js,ts,mjs}` read only as far as static patterns go
(`baseUrl: '…'`, `path: '…'` / `routeBasePath: '…'` of the docs plugin); docs served at
`/docs/…` with `id` and `slug` front matter and number prefixes dropped, `blog/` at
`/blog/…`, `src/pages/` at the root, `static/` as is, `@site/` paths from the site root;
versioned docs (`versions.json`, `versioned_docs/version-X/`): the latest at `/docs/…`,
the others at `/docs/X/…`, the current `docs/` at `/docs/next/…`; every other docs
plugin instance (`['@docusaurus/plugin-content-docs', {id, path, routeBasePath}]`)
with its own versions (`ID_versions.json`, `ID_versioned_docs/`); i18n
(`i18n/LOCALE/docusaurus-plugin-content-docs[-ID]/current|version-X/` at `/LOCALE/…`,
an untranslated page served from the default locale's; translated blog posts and pages,
`i18n/LOCALE/docusaurus-plugin-content-blog|pages/`, likewise); remark/rehype plugins
as extensions (`_js.py`).

Not understood: configs computed at run time (imports, functions, environment
variables), a docs plugin's `versions` options other than `lastVersion: 'current'`."""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Iterator

from .._anchors import Slugger, without_explicit_id
from .._discover import SKIPPED_DIRS
from .._extract import heading_texts
from ._files import front_matter, read_text, text
from ._js import balanced, js_extensions, top_level
from ._site import AnchorsOf, ConfigProblem, Found, Missed, Site
from .mkdocs import mount_of

CONFIG_FILES = ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs")
_STRING = r"""\s*:\s*['"`]([^'"`$]*)['"`]"""
_BASE_URL = re.compile(r"\bbaseUrl" + _STRING)
_DOCS_OPTIONS = re.compile(r"\bdocs\s*:\s*\{")
_DOCS_PATH = re.compile(r"\bpath" + _STRING)
_ROUTE = re.compile(r"\brouteBasePath" + _STRING)
_PAGE_FILES = (".md", ".mdx", ".js", ".jsx", ".ts", ".tsx")
_NUMBER_PREFIX = re.compile(r"^\d+[-_.]\s*")
#: A docs plugin instance in `plugins:`, named in any of the forms Docusaurus accepts
#: (`'@docusaurus/plugin-content-docs'`, `'@docusaurus/content-docs'`, `'content-docs'`).
_PLUGIN_INSTANCE = re.compile(r"""['"`](?:@docusaurus/)?(?:plugin-)?content-docs['"`]\s*,\s*\{""")
_DOCS_ID = re.compile(r"\bid" + _STRING)
_LAST_IS_CURRENT = re.compile(r"""\blastVersion\s*:\s*['"`]current['"`]""")
_I18N = re.compile(r"\bi18n\s*:\s*\{")
#: A translated blog post or page: `i18n/LOCALE/docusaurus-plugin-content-blog/…`.
_TRANSLATED = re.compile(r"^i18n/([^/]+)/docusaurus-plugin-content-(blog|pages)/")
_LOCALES = re.compile(r"\blocales\s*:\s*\[")
_DEFAULT_LOCALE = re.compile(r"\bdefaultLocale" + _STRING)
_QUOTED = re.compile(r"""['"`]([^'"`$]+)['"`]""")
#: `markdown: {anchors: {maintainCase: true}}`: heading ids keep their letters' case.
_ANCHORS = re.compile(r"\banchors\s*:\s*\{")
_MAINTAIN_CASE = re.compile(r"\bmaintainCase\s*:\s*true\b")


class Docusaurus(Site):
    name = "docusaurus"
    mdx = True

    def __init__(self, config: str, root: str, mount: str, docs: str, route: str) -> None:
        super().__init__(config, root, root, mount)
        self.docs = docs
        self.route = "/" + route.strip("/")
        #: Each docs folder and the route its pages are served under: the current docs,
        #: and with versions.json each `versioned_docs/version-X/`.
        self.doc_trees: list[tuple[str, str]] = [(docs, self.route)]
        #: The locales other than the default (`i18n: {locales: […]}`): each serves
        #: the site again under `/LOCALE/`, translated where a translation exists.
        self.locales: tuple[str, ...] = ()
        #: Each translated docs folder and the folder it translates.
        self.originals: dict[str, str] = {}
        #: `markdown.anchors.maintainCase`: `## Option Stores` is `#Option-Stores`.
        self.anchors_keep_case = False

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """With `maintainCase`, the headings' ids with their case kept (github-slugger's
        `maintainCase`, as Docusaurus' remark headings plugin calls it)."""
        if not self.anchors_keep_case or not path.lower().endswith((".md", ".mdx")):
            return frozenset()
        try:
            texts = heading_texts(read_text(path))
        except OSError:
            return frozenset()
        slugger = Slugger(keep_case=True)
        return frozenset(slugger.slug(without_explicit_id(t)) for t in texts)

    def version(self, versions: list[str], last_is_current: bool) -> None:
        """Serve the docs as versioned: the current docs at `/docs/next/` (or at `/docs/`
        with `lastVersion: 'current'`), the latest release at `/docs/`, others at
        `/docs/X/`."""
        self.doc_trees = _versioned(
            self.root, self.docs, self.route, versions, last_is_current, "versioned_docs"
        )

    def translate(self, locales: tuple[str, ...], instances: list[tuple[str, int]]) -> None:
        """Add each locale's translated docs (`i18n/LOCALE/PLUGIN-DIR/current/` for the
        current docs, `version-X/` for a release) as trees under `/LOCALE/`.
        `instances` names, for each docs tree in order, its plugin instance id
        (`default`…) and which of its versions it is (0: current)."""
        self.locales = locales
        translated = []
        for locale in locales:
            for (folder, route), (ident, _) in zip(self.doc_trees, instances, strict=True):
                plugin = "docusaurus-plugin-content-docs"
                plugin += "" if ident == "default" else f"-{ident}"
                name = os.path.basename(folder)
                version = name if name.startswith("version-") else "current"
                path = os.path.join(self.root, "i18n", locale, plugin, version)
                translated.append((path, f"/{locale}{route}"))
                self.originals[path] = folder
        self.doc_trees = [*self.doc_trees, *translated]

    def lookup(self, url: str, served_from: str) -> Found | Missed:
        found = super().lookup(url, served_from)
        if isinstance(found, Missed):
            # A page not translated is served from the default locale's at /LOCALE/….
            for locale in self.locales:
                prefix = f"{self.mount}{locale}/"
                if url.startswith(prefix) or url + "/" == prefix:
                    fallback = super().lookup(self.mount + url[len(prefix) :], served_from)
                    if isinstance(fallback, Found):
                        return fallback
        return found

    def _folders(self) -> list[str]:
        blog, pages = os.path.join(self.root, "blog"), os.path.join(self.root, "src", "pages")
        # Each locale's translated blog posts and pages (the blog and pages plugins'
        # i18n folders), served under `/LOCALE/` as the docs are.
        translated = [
            os.path.join(self.root, "i18n", locale, f"docusaurus-plugin-content-{plugin}")
            for locale in self.locales
            for plugin in ("blog", "pages")
        ]
        return [*(folder for folder, _ in self.doc_trees), blog, pages, *translated]

    def governs(self, path: str) -> bool:
        return any(path.startswith(os.path.join(f, "")) for f in self._folders())

    def static_folders(self) -> tuple[str, ...]:
        return (os.path.join(self.root, "static"),)

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        pages_suffixes = ("md", "mdx", "js", "jsx", "ts", "tsx")
        if not dot or suffix.lower() not in (
            pages_suffixes if relative.startswith("src/pages/") else ("md", "mdx")
        ):
            return None
        full = os.path.join(self.root, *relative.split("/"))
        front = front_matter(full)
        slug = text(front.get("slug"))
        for docs, route in self.doc_trees:
            docs = os.path.relpath(docs, self.root).replace(os.sep, "/")
            if relative.startswith(docs + "/"):
                return _doc_url(stem[len(docs) + 1 :], front, slug, route)
        locale = ""
        translated = _TRANSLATED.match(relative)
        if translated is not None and translated.group(1) in self.locales:
            # `i18n/fr/docusaurus-plugin-content-blog/x.md` is `blog/x.md` under `/fr/`.
            locale, plugin = translated.group(1), translated.group(2)
            prefix = "blog/" if plugin == "blog" else "src/pages/"
            relative = prefix + relative[translated.end() :]
            stem = relative.rpartition(".")[0]
        if relative.startswith("blog/"):
            name = posixpath.basename(stem)
            if name == "index":
                name = posixpath.basename(posixpath.dirname(stem))
            dated = re.match(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$", name)
            if slug is not None:
                return f"{locale and '/' + locale}/blog/" + slug.lstrip("/")
            if dated is not None:
                return f"{locale and '/' + locale}/blog/" + "{}/{}/{}/{}".format(*dated.groups())
            return f"{locale and '/' + locale}/blog/" + name
        if relative.startswith("src/pages/"):
            page = stem[len("src/pages/") :]
            page = page.removesuffix("index") if page.endswith("index") else page
            return f"{locale and '/' + locale}/" + page
        return None

    def walk(self) -> Iterator[tuple[str, str]]:
        for folder in self._folders():
            for current, subdirs, files in os.walk(folder):
                subdirs[:] = [
                    d for d in subdirs if not d.startswith((".", "_")) and d not in SKIPPED_DIRS
                ]
                for name in files:
                    if name.endswith(_PAGE_FILES) and not name.startswith("_"):
                        path = os.path.join(current, name)
                        yield os.path.relpath(path, self.root).replace(os.sep, "/"), path

    def rewrite(self, url: str, article: str = "") -> str | None:
        """`href={url}` in MDX is a JSX expression: only the build evaluates it."""
        return None if url.startswith("{") and url.endswith("}") else url

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        if link_path.startswith("@site/"):
            path = os.path.join(self.root, *link_path[len("@site/") :].split("/"))
            return Found(path) if os.path.exists(path) else Missed(link_path, self.url_of(article))
        found = super().resolve(link_path, article)
        if isinstance(found, Missed) and link_path.endswith((".md", ".mdx")):
            # A file link is also looked for from the top of the article's own docs
            # folder (its version's), as the docs plugin resolves it.
            for docs, _ in self.doc_trees:
                if article.startswith(os.path.join(docs, "")):
                    path = os.path.join(docs, *link_path.strip("/").split("/"))
                    if os.path.isfile(path):
                        return Found(path)
                    original = self.originals.get(docs)
                    if original is not None:
                        # A translated doc's file links also reach the pages not
                        # translated: the plugin looks in the original folder next.
                        inside = os.path.relpath(os.path.dirname(article), docs)
                        for start in (os.path.join(original, inside), original):
                            path = os.path.normpath(os.path.join(start, link_path))
                            if os.path.isfile(path):
                                return Found(path)
        return found


def _doc_url(inside: str, front: dict[str, object], slug: str | None, route: str) -> str:
    """A doc's URL from its path inside its docs folder (no suffix), as the docs plugin
    makes it: number prefixes dropped, `id` and `slug` front matter, index pages."""
    folder, name = posixpath.split(inside)
    folder = "/".join(_NUMBER_PREFIX.sub("", p) for p in folder.split("/") if p)
    if slug is not None:
        page = slug if slug.startswith("/") else posixpath.join("/", folder, slug)
    elif name.lower() in ("index", "readme") or name == posixpath.basename(folder):
        page = "/" + folder
    else:
        page = "/" + posixpath.join(folder, text(front.get("id")) or _NUMBER_PREFIX.sub("", name))
    return (route.rstrip("/") + page) or "/"


def _versioned(
    root: str, docs: str, route: str, versions: list[str], last_is_current: bool, prefix: str
) -> list[tuple[str, str]]:
    """A docs folder's trees once versioned: the current docs at `ROUTE/next/` (at
    `ROUTE/` with `lastVersion: 'current'`), the latest release (`PREFIX/version-X/`) at
    `ROUTE/`, the others at `ROUTE/X/`."""
    base = route.rstrip("/")
    trees = [(docs, base if last_is_current else base + "/next")]
    for index, name in enumerate(versions):
        folder = os.path.join(root, prefix, f"version-{name}")
        latest = index == 0 and not last_is_current
        trees.append((folder, base if latest else f"{base}/{name}"))
    return trees


def _locales(source: str) -> tuple[str, ...]:
    """The locales other than the default, from `i18n: {defaultLocale, locales: […]}`."""
    found = _I18N.search(source)
    if found is None:
        return ()
    options = balanced(source, found.end())
    listed = _LOCALES.search(options)
    default = _DEFAULT_LOCALE.search(options)
    if listed is None:
        return ()
    names = _QUOTED.findall(balanced(options, listed.end()))
    return tuple(n for n in names if n != (default.group(1) if default else "en"))


def _versions(root: str, name: str = "versions.json") -> list[str]:
    """versions.json: the released versions, newest first (none if absent or unreadable)."""
    try:
        listed = json.loads(read_text(os.path.join(root, name)))
    except (OSError, ValueError):
        return []
    return [str(v) for v in listed] if isinstance(listed, list) else []


def _docs_options(source: str) -> str:
    """The docs plugin's options object (`docs: {…}`) at its own level only: what
    nested objects and functions hold (`editUrl: ({docPath}) => {…}`) blanked out, so
    that their `path` is not taken for the docs folder's."""
    match = _DOCS_OPTIONS.search(source)
    return "" if match is None else top_level(source, match.end())


def load(config: str) -> Docusaurus:
    root = os.path.dirname(config)
    try:
        source = read_text(config)
    except OSError as error:
        raise ConfigProblem(f"cannot read {os.path.basename(config)}: {error}") from None
    base = _BASE_URL.search(source)
    options = _docs_options(source)
    docs = _DOCS_PATH.search(options)
    route = _ROUTE.search(options)
    site = Docusaurus(
        config,
        root,
        mount_of(base.group(1) if base else "/"),
        os.path.realpath(os.path.join(root, docs.group(1) if docs else "docs")),
        route.group(1) if route else "docs",
    )
    versions = _versions(root)
    if versions:
        site.version(versions, _LAST_IS_CURRENT.search(options) is not None)
    instances = [("default", index) for index in range(len(site.doc_trees))]
    for instance in _PLUGIN_INSTANCE.finditer(source):
        # Another docs plugin instance: its own folder and route (`community/` at
        # `/community/…`); `path` defaults to its id's name, as the plugin's does.
        body = _top_level(balanced(source, instance.end()))
        ident = _DOCS_ID.search(body)
        path = _DOCS_PATH.search(body)
        folder = path.group(1) if path else (ident.group(1) if ident else None)
        if folder is None:
            continue
        route = _ROUTE.search(body)
        path_of = os.path.realpath(os.path.join(root, folder))
        served = "/" + (route.group(1) if route else folder).strip("/")
        # An instance's own versions: `ID_versions.json`, `ID_versioned_docs/`.
        ident_name = ident.group(1) if ident else "default"
        own = _versions(root, f"{ident_name}_versions.json") if ident else []
        trees = [(path_of, served)]
        if own:
            last_is_current = _LAST_IS_CURRENT.search(body) is not None
            trees = _versioned(
                root, path_of, served, own, last_is_current, f"{ident_name}_versioned_docs"
            )
        site.doc_trees.extend(trees)
        instances.extend((ident_name, index) for index in range(len(trees)))
    locales = _locales(source)
    if locales:
        site.translate(locales, instances)
    site.extensions = js_extensions(source, config, "remark plugin", frozenset())
    anchors = _ANCHORS.search(source)
    if anchors is not None:
        site.anchors_keep_case = bool(_MAINTAIN_CASE.search(balanced(source, anchors.end())))
    return site


def _top_level(body: str) -> str:
    """An options object's own level only (nested objects and calls blanked)."""
    kept, depth, quote = [], 0, ""
    for ch in body:
        if quote:
            kept.append(ch if depth == 0 else " ")
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
            kept.append(ch if depth == 0 else " ")
        elif ch in "{[(":
            depth += 1
            kept.append(" ")
        elif ch in "}])":
            depth -= 1
            kept.append(" ")
        else:
            kept.append(ch if depth == 0 else " ")
    return "".join(kept)
