"""Astro Starlight: `astro.config.{mjs,js,ts,mts,cjs}` that uses the `starlight(…)`
integration, read only as far as string literals go (`base`, `srcDir`, the locales'
keys). Pages are `src/content/docs/**/*.{md,mdx,mdoc}` served at `/a/b/` (each path
segment lowercased and slugged as Astro's content collections do, `index` as its
folder, front matter `slug`), `src/pages/` at the root, `public/` as is. With locales, a
page missing from a language's folder is served from the default language's page
(Starlight's fallback). Headings' ids are github-slugger's, as on GitHub. remark and
rehype plugins in the config are extensions linkcheck cannot emulate, and so are a
dynamic route's `getStaticPaths()` (`src/pages/x/[...slug].astro`) and a redirect from
a dynamic route: a URL they match is theirs to decide."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .._anchors import github_slug
from .._discover import SKIPPED_DIRS
from ._files import front_matter, imported_anchors, read_text, text
from ._js import (
    balanced,
    called_in_list,
    imported_modules,
    js_extensions,
    js_string,
    js_strings_of,
    top_level,
    uncommented,
)
from ._site import AnchorsOf, Decides, Extension, Found, Missed, Site, line_of, page_key

CONFIG_FILES = tuple(f"astro.config.{s}" for s in ("mjs", "js", "ts", "mts", "cjs"))
_DOC_SUFFIXES = (".md", ".mdx", ".mdoc")
_PAGE_SUFFIXES = (*_DOC_SUFFIXES, ".astro", ".html")
_STARLIGHT = re.compile(r"\bstarlight\s*\(")
_LOCALE_KEY = re.compile(r"""^\s*(?:['"]([\w-]+)['"]|([\w-]+))\s*:\s*\{""", re.M)
#: remark/rehype plugins that add no link nor anchor.
_HARMLESS = frozenset({"remarkMath", "rehypeKatex", "remarkGfm", "rehypeSlug"})


@dataclass(frozen=True, slots=True)
class KnownPlugin:
    """What a Starlight plugin adds to a site, as read in its source: the routes it
    injects (`injectRoute`, under the site's base), none when it only checks, indexes
    or restyles pages. None of those below rewrites a link or an anchor of the site's
    own pages, so a link elsewhere than its routes is not its doing."""

    #: Its routes, relative to the base (`blog`: `/blog` and all beneath it).
    routes: tuple[str, ...] = ()
    #: The option of its call that names its routes in place of `routes` (`prefix`).
    option: str | None = None
    #: Whether its routes are served under each locale too (`/fr/blog/`).
    localized: bool = False
    #: Whether its routes are the `base` of each entry its loader is given in the
    #: content collections' config (`changelogsLoader([{base: 'changelog'}])`).
    loader: str | None = None


#: The plugins read (each entry says where); any other plugin may decide any link.
_KNOWN_PLUGINS: dict[str, KnownPlugin] = {
    # HiDeoo/starlight-blog, packages/starlight-blog/index.ts: injectRoute
    # `/[...prefix]/[...page]`, `…/tags/[tag]`, `…/authors/[author]`, `…/rss.xml`;
    # libs/config.ts: `prefix`, default 'blog' (an array of configs: several blogs);
    # libs/content.ts: the prefix under each locale (getPathWithLocale). Its remark
    # plugin (libs/remark.ts) only marks the excerpt; its posts are pages of the docs
    # collection, read as any page.
    "starlight-blog": KnownPlugin(("blog",), option="prefix", localized=True),
    # HiDeoo/starlight-changelogs, index.ts: injectRoute `[...slug]`, whose static paths
    # (libs/routing.ts getChangelogsStaticPaths) are each changelog's `base`, per locale.
    "starlight-changelogs": KnownPlugin(localized=True, loader="changelogsLoader"),
    # lunariajs/lunaria, packages/starlight/src/index.ts: one route, option `route`
    # (default '/lunaria'): the translation dashboard.
    "@lunariajs/starlight": KnownPlugin(("lunaria",), option="route"),
    # delucis/starlight-llms-txt, packages/starlight-llms-txt/index.ts: injectRoute
    # `/llms.txt`, `/llms-full.txt`, `/llms-small.txt`, `/_llms-txt/[slug].txt`.
    "starlight-llms-txt": KnownPlugin(("llms.txt", "llms-full.txt", "llms-small.txt", "_llms-txt")),
    # HiDeoo/starlight-links-validator: a rehype plugin that reads links and a route
    # middleware that records them (libs/processor.ts, middleware.ts): no page.
    "starlight-links-validator": KnownPlugin(),
    # HiDeoo/starlight-image-zoom, libs/processor.ts: a rehype plugin wrapping images.
    "starlight-image-zoom": KnownPlugin(),
    # HiDeoo/starlight-sidebar-topics, index.ts: a route middleware choosing the sidebar.
    "starlight-sidebar-topics": KnownPlugin(),
    # Themes: components and styles only.
    **{
        f"starlight-theme-{name}": KnownPlugin()
        for name in ("rapide", "nova", "black", "galaxy", "obsidian")
    },
}
_PLUGINS = re.compile(r"\bplugins\s*:")
_PLUGINS_ARRAY = re.compile(r"plugins\s*:\s*\[")
#: The config object: `defineConfig({…})` or `export default {…}`.
_CONFIG_OBJECT = re.compile(r"\bdefineConfig\s*\(\s*\{|\bexport\s+default\s*\{")
#: `starlight({plugins, …})` or `plugins: starlightPlugins`: the array is a variable.
_PLUGINS_NAMED = re.compile(r"\bplugins\s*(?::\s*([A-Za-z_$][\w$]*)\s*)?(?:[,}\n]|$)")
_SPREAD = re.compile(r"\.\.\.\s*([A-Za-z_$][\w$]*)")
_BASES = re.compile(r"\bbase\s*:\s*([^,}\n]*)")


def detect(config: str) -> bool:
    """An Astro config is Starlight's only when it uses the integration."""
    try:
        return _STARLIGHT.search(read_text(config)) is not None
    except OSError:
        return False


class Starlight(Site):
    name = "starlight"
    script_links = True
    mdx = True

    def __init__(self, config: str, root: str, source: str, mount: str) -> None:
        super().__init__(config, root, source, mount)
        self.pages_dir = os.path.join(os.path.dirname(source), "..", "pages")
        self.pages_dir = os.path.normpath(self.pages_dir)
        #: The locales' folder names (`fr`), with `root` (the default at `/`) left out.
        self.locales: tuple[str, ...] = ()
        #: The default locale's folder (`en`), or "" when it is `root`, at `/`.
        self.default_locale = ""
        #: Astro's `redirects` from a dynamic route (`/old/[...slug]`), each with its
        #: line in the config.
        self.dynamic_redirects: list[tuple[str, int]] = []
        #: Each dynamic route's pattern, what decides it, and the paths it serves when
        #: its `getStaticPaths()` lists them literally.
        self._dynamic_routes: (
            list[tuple[re.Pattern[str], Extension, frozenset[str] | None]] | None
        ) = None

    def static_folders(self) -> tuple[str, ...]:
        return (os.path.join(self.root, "public"),)

    def module_root(self) -> str | None:
        # Vite, Astro's bundler, reads `import x from '/plugins/x.js?raw'` from the
        # project's root (the folder of astro.config), not from the served site.
        return self.root

    def governs(self, path: str) -> bool:
        # Markdown anywhere under `src/` (components' partials too) is rendered into
        # the site's pages: its root-relative links are the site's URLs.
        return path.startswith(os.path.join(os.path.dirname(self.pages_dir), ""))

    def walk(self) -> Iterator[tuple[str, str]]:
        for folder in (self.source, self.pages_dir):
            for current, subdirs, files in os.walk(folder):
                subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in SKIPPED_DIRS]
                for name in files:
                    if name.endswith(_PAGE_SUFFIXES) and not name.startswith("_"):
                        path = os.path.join(current, name)
                        yield os.path.relpath(path, self.source).replace(os.sep, "/"), path

    def page_url(self, relative: str, path: str) -> str | None:
        if path.startswith(os.path.join(self.pages_dir, "")):
            inside = os.path.relpath(path, self.pages_dir).replace(os.sep, "/")
            stem = inside.rsplit(".", 1)[0]
            return "/" + stem.removesuffix("index")
        if not relative.endswith(_DOC_SUFFIXES):
            return None
        slug = text(front_matter(path).get("slug"))
        if slug is not None:
            return "/" + slug.strip("/") + "/"
        stem = relative.rsplit(".", 1)[0]
        parts = [github_slug(p) or p for p in stem.split("/")]
        if parts and parts[-1] == "index":
            parts.pop()
        return "/" + "".join(p + "/" for p in parts)

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        # Every Starlight page has `#_top`, the title's anchor ("Overview" in the ToC);
        # a markdown partial an MDX page imports gives its headings.
        return frozenset({"_top"}) | imported_anchors(path, anchors_of, self.root)

    def lookup(self, url: str, served_from: str) -> Found | Missed:
        found = super().lookup(url, served_from)
        if isinstance(found, Found) or not url.startswith(self.mount):
            return found
        # A page not yet translated is served from the default language's.
        first, _, rest = url[len(self.mount) :].partition("/")
        if first in self.locales and first != self.default_locale:
            default = self.mount + (self.default_locale + "/" if self.default_locale else "")
            fallback = super().lookup(default + rest, served_from)
            if isinstance(fallback, Found):
                return fallback
        return found

    def reach(self, link_path: str, article: str, hops: int = 0) -> Found | Missed:
        found = super().reach(link_path, article, hops)
        if not isinstance(found, Missed) or found.skipped or found.decided_by is not None:
            return found
        # No page, no redirect: a dynamic route may serve it (Astro tries static routes
        # and redirects first).
        dynamic = self._dynamic(found.url) if found.url.startswith(self.mount) else None
        if isinstance(dynamic, Extension):
            return Missed(found.url, found.served_from, decided_by=dynamic)
        return dynamic or found

    def _dynamic(self, url: str) -> Found | Extension | None:
        """The dynamic route (`src/pages/x/[...param].astro`) or redirect (`/old/[slug]`)
        whose pattern `url` matches: which of the paths it matches exist, only its
        `getStaticPaths()` (or the route it sends the reader to) decides, at build time
        — unless it returns a literal list of `params`: then the page, if it is one."""
        if self._dynamic_routes is None:
            routes = []
            for key, path in self.pages().items():
                if "[" in key and path.startswith(os.path.join(self.pages_dir, "")):
                    try:
                        page = read_text(path)
                    except OSError:
                        page = ""
                    line = line_of(page, r"\bgetStaticPaths\b")
                    route = Extension("Astro dynamic route", "getStaticPaths", path, line)
                    routes.append((_route_pattern(key), route, _static_paths(key, page)))
            for key, line in self.dynamic_redirects:
                redirect = Extension("Astro redirect", key, self.config, line)
                routes.append((_route_pattern(self._key(key)), redirect, None))
            self._dynamic_routes = routes
        key = self._key(url[len(self.mount) - 1 :])
        for pattern, extension, paths in self._dynamic_routes:
            if pattern.fullmatch(key):
                if paths is None:
                    return extension
                if key in {self._key(p) for p in paths}:
                    return Found(extension.config)
        return None

    def rewrite(self, url: str, article: str = "") -> str | None:
        """`href={url}` in MDX is a JSX expression: only the build evaluates it."""
        return None if url.startswith("{") and url.endswith("}") else url

    def _key(self, url: str) -> str:
        return page_key(url).lower()


def load(config: str) -> Starlight:
    root = os.path.dirname(config)
    source = uncommented(read_text(config))
    src_dir = js_string(source, "srcDir") or "./src"
    docs = os.path.realpath(os.path.join(root, src_dir, "content", "docs"))
    # `base` is a key of the config object itself (a sidebar item's `base:` is not).
    found = _CONFIG_OBJECT.search(source)
    own = top_level(source, found.end()) if found is not None else source
    site = Starlight(config, root, docs, js_string(own, "base") or "/")
    site.redirect_to = {site._key(url): to for url, to in _redirects(source, root)}
    site.dynamic_redirects = [
        (key, line_of(source, re.escape(key)))
        for key, _ in js_strings_of(source, "redirects")
        if "[" in key
    ]
    site.locales = _locales(source, docs)
    default = js_string(source, "defaultLocale")
    if default and default != "root" and default.lower() in site.locales:
        site.default_locale = default.lower()
    site.extensions = (
        *js_extensions(source, config, "remark plugin", _HARMLESS),
        *_starlight_plugins(source, config, site),
    )
    return site


def _route_pattern(route: str) -> re.Pattern[str]:
    """An Astro route with parameters as a regex: `[name]` one path segment (or part
    of one), `/[...name]` any number of them, none included."""
    regex = ""
    for part in re.split(r"(/\[\.\.\.[^\]/]+\]|\[[^\]/]+\])", route):
        if part.startswith("/[..."):
            regex += "(?:/.*)?"
        elif part.startswith("["):
            regex += "[^/]+"
        else:
            regex += re.escape(part)
    return re.compile(regex)


_GET_STATIC_PATHS = re.compile(r"\bgetStaticPaths\b[^{]*\{")
_RETURNED = re.compile(r"^\s*return\s*\[")
_PARAMS_ENTRY = re.compile(r"""\{\s*params\s*:\s*\{([^{}]*)\}\s*,?\s*\}\s*,?""")
_PARAM = re.compile(r"""^\s*(\w+)\s*:\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*$""")


def _static_paths(route: str, page: str) -> frozenset[str] | None:
    """The paths a dynamic route serves when its `getStaticPaths()` only returns a
    literal array of `{params: {name: 'value'}}` (None: only the build knows)."""
    found = _GET_STATIC_PATHS.search(page)
    if found is None:
        return None
    body = balanced(page, found.end())
    returned = _RETURNED.match(body)
    if returned is None or body[returned.end() :].count("]") != 1:
        return None
    array, _, after = body[returned.end() :].partition("]")
    if after.strip(" \t\n;") or _PARAMS_ENTRY.sub("", array).strip():
        return None
    paths = set()
    for entry in _PARAMS_ENTRY.finditer(array):
        values: dict[str, str] = {}
        for pair in filter(str.strip, entry.group(1).split(",")):
            param = _PARAM.match(pair)
            if param is None:
                return None
            name, single, double = param.groups()
            values[name] = single if single is not None else double
        filled = _fill_route(route, values)
        if filled is None:
            return None
        paths.add(filled)
    return frozenset(paths)


def _fill_route(route: str, values: dict[str, str]) -> str | None:
    """A route with its `[name]` and `[...name]` parameters filled in (None: one of them
    has no value)."""
    names = re.findall(r"\[(?:\.\.\.)?(\w+)\]", route)
    if any(name not in values for name in names):
        return None
    return re.sub(r"\[(?:\.\.\.)?(\w+)\]", lambda m: values[m.group(1)], route)


def _redirects(source: str, root: str) -> Iterator[tuple[str, str]]:
    """The routes of Astro's `redirects: {'/old': '/new', ...generated}`, each a page
    of the built site (a redirect page), with the string keys of an object a local
    module exports by default and the config spreads in (biome's codegen-written
    `redirects.js`). Dynamic routes (`/blog/[...slug]`) are left out."""
    found = re.search(r"\bredirects\s*:\s*\{", source)
    if found is None:
        return
    yield from ((k, to) for k, to in js_strings_of(source, "redirects") if "[" not in k)
    modules = imported_modules(source)
    for spread in _SPREAD.finditer(balanced(source, found.end())):
        module = modules.get(spread.group(1), "")
        if not module.startswith("."):
            continue
        try:
            exported = read_text(os.path.join(root, *module.split("/")))
        except OSError:
            continue
        body = re.search(r"\bexport\s+default\s*\{", exported)
        if body is not None:
            wrapped = "redirects: {" + balanced(exported, body.end()) + "}"
            yield from ((k, to) for k, to in js_strings_of(wrapped, "redirects") if "[" not in k)


def _starlight_plugins(source: str, config: str, site: Starlight) -> tuple[Extension, ...]:
    """`starlight({plugins: [starlightBlog(), …]})`: a plugin may add pages (a blog's
    `/blog/`) and rewrite content; one of `_KNOWN_PLUGINS` only its own routes, or
    nothing."""
    call = _STARLIGHT.search(source)
    if call is None:
        return ()
    start = call.end()
    if (brace := re.match(r"\s*\{", source[start:])) is not None:
        start += brace.end()  # inside the options object
    options = balanced(source, start)
    # Starlight's own `plugins` key, not Expressive Code's (`expressiveCode: {plugins}`).
    key = _PLUGINS.search(top_level(source, start))
    plugins = None if key is None else _PLUGINS_ARRAY.match(options, key.start())
    called: list[tuple[int, str]] = []  # (offset in `source`, name)
    if plugins is not None:
        called = [(start + o, n) for o, n in called_in_list(options, plugins.end())]
    else:  # `plugins` (or `plugins: list`) names an array built beside the call
        named = _PLUGINS_NAMED.search(options)
        variable = re.escape((named.group(1) or "plugins") if named is not None else "")
        for built in re.finditer(rf"\b{variable}\s*(?:=\s*\[|\.push\s*\()", source):
            called += called_in_list(source, built.end()) if variable else []
    modules = imported_modules(source)
    found = []
    decides: frozenset[Decides] = frozenset({"targets", "anchors"})
    for offset, name in called:
        module = modules.get(name, name)
        known = _KNOWN_PLUGINS.get(module)
        routes = None if known is None else _plugin_routes(known, source, offset, site)
        if routes == ():
            continue  # it adds no page and rewrites no link
        line = source.count("\n", 0, offset) + 1
        found.append(Extension("Starlight plugin", module, config, line, decides, routes=routes))
    return tuple(found)


def _plugin_routes(
    known: KnownPlugin, source: str, offset: int, site: Starlight
) -> tuple[str, ...] | None:
    """The URL paths (under the base) where a known plugin serves pages, as its call
    configures them; None when the call sets them in a way not read (a variable)."""
    routes = known.routes
    opening = source.find("(", offset)
    arguments = balanced(source, opening + 1) if opening >= 0 else ""
    if known.option is not None and re.search(rf"\b{known.option}\s*:", arguments):
        routes = tuple(_option_strings(arguments, known.option))
        if not routes:
            return None  # computed at run time: the plugin may serve anything
    if known.loader is not None:
        routes = tuple(_loader_bases(site, known.loader))
        if not routes:
            return None
    routes = tuple(r.strip("/") for r in routes)
    if known.localized:
        locales = (*site.locales, site.default_locale)
        routes = (*routes, *(f"{locale}/{r}" for locale in locales if locale for r in routes))
    return tuple(dict.fromkeys("/" + r for r in routes))


def _option_strings(arguments: str, option: str) -> list[str]:
    """Every string literal given to `option` in a call's arguments (several configs in
    an array each give theirs), or [] when one of them is not a literal."""
    given = re.findall(rf"\b{option}\s*:\s*([^,}}\n]*)", arguments)
    values = [js_string(f"{option}: {value}", option) for value in given]
    return [v for v in values if v is not None] if None not in values else []


def _loader_bases(site: Starlight, loader: str) -> list[str]:
    """The `base` of each entry given to `loader(…)` in the content collections' config
    (`src/content.config.ts`, or the older `src/content/config.ts`)."""
    src = os.path.dirname(site.pages_dir)
    for name in ("content.config", os.path.join("content", "config")):
        for suffix in (".ts", ".mts", ".js", ".mjs"):
            try:
                text = read_text(os.path.join(src, name + suffix))
            except OSError:
                continue
            call = re.search(rf"\b{loader}\s*\(", text)
            if call is None:
                return []
            body = balanced(text, call.end())
            return [v for v in (js_string(f"base: {m}", "base") for m in _BASES.findall(body)) if v]
    return []


def _locales(source: str, docs: str) -> tuple[str, ...]:
    """The keys of `locales: {…}` (wherever the object is written in the file), else
    the content folders named like a language (`fr`, `pt-br`)."""
    found = re.search(r"\blocales\s*=?\s*:?\s*\{", source)
    keys: list[str] = []
    if found is not None:
        body = balanced(source, found.end())
        keys = [a or b for a, b in _LOCALE_KEY.findall(body) if (a or b) != "root"]
    if not keys:
        try:
            keys = [n for n in os.listdir(docs) if re.fullmatch(r"[a-z]{2}(?:-[a-z]{2,4})?", n)]
        except OSError:
            keys = []
    return tuple(posixpath.basename(k).lower() for k in keys)
