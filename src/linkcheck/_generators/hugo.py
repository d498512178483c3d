"""Hugo: `hugo.toml`/`config.toml` (or `.yaml`/`.json`, or `config/_default/`) beside a
`content/` folder; `content/a/b.md` served at `/a/b/` (pretty URLs) or `/a/b.html`
(`uglyURLs`), `_index.md` and bundles' `index.md` as their folder, `url` and `slug`
front matter, `permalinks:` patterns per section (`/:year/:month/:day/:slug/`), `aliases`
(redirect pages), `static/` at the root, `baseURL`'s path; `ref`/`relref` shortcodes."""

from __future__ import annotations

import glob
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .._anchors import github_slug
from .._discover import SKIPPED_DIRS
from .._extract import Dialect
from ._files import front_matter, read_config, read_text, text
from ._hugo_outputs import output_files, theme_configs
from ._passthrough import Delimiters, delimiters, spans
from ._site import PAGE_SUFFIXES, AnchorsOf, Decides, Extension, Found, Missed, Site, line_of
from .mkdocs import mount_of

CONFIG_FILES = (
    "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
    "config.toml", "config.yaml", "config.yml", "config.json",
)  # fmt: skip
# Inline markup around a definition term: `code`, *emphasis*, [link](…) brackets.
_MARKUP = re.compile(r"[`*_]|\]\([^)]*\)|\[")
#: `{{< ref "x.md" >}}`, `{{% relref "x.md#id" %}}`, `{{< ref path="x.md" lang="en" >}}`.
_REF = re.compile(
    r"""^\{\{[<%]\s*(?:rel)?ref\s+(?:path=)?"?([^"\s]+?)"?(?:\s+\w+="[^"]*")*\s*[>%]\}\}"""
)


#: A shortcode call, opening or alone: `{{< name …>}}`, `{{% name … %}}` (not Hugo's
#: escaped `{{</* … */>}}`, written out as text).
_SHORTCODE = re.compile(r"\{\{[<%]\s*(?!/)([\w./-]+)")
#: Hugo's own shortcodes that write no id into the page.
_PLAIN_SHORTCODES = frozenset(
    {"ref", "relref", "figure", "gist", "highlight", "instagram", "param", "qr", "vimeo",
     "x", "twitter", "tweet", "youtube", "details", "comment"}
)  # fmt: skip
_SHORTCODE_FILES = (
    "layouts/_shortcodes/{}.html", "layouts/shortcodes/{}.html",
    "themes/*/layouts/_shortcodes/{}.html", "themes/*/layouts/shortcodes/{}.html",
)  # fmt: skip


_INDEXES = ("index.md", "_index.md")
#: A footnote's definition: `[^label]: text`.
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")


class Hugo(Site):
    name = "hugo"
    dialect: Dialect = "hugo"
    ugly = False
    #: Sections with ugly URLs of their own (`[uglyURLs] post = true`).
    ugly_sections: frozenset[str] = frozenset()
    # Hugo lowercases page URLs (unless disablePathToLower), so links are written lowercase.
    lowercase_urls = True
    term_ids = False

    def __init__(self, config: str, root: str, source: str, mount: str = "/") -> None:
        super().__init__(config, root, source, mount)
        #: Each content folder (one per language, or the one) and its URL prefix.
        self.trees: list[tuple[str, str]] = [(source, "")]
        self._shortcodes: dict[str, Extension] = {}
        #: Hugo's own link render hook (multilingual single-host sites, or
        #: `markup.goldmark.renderHooks.link.enableDefault`): links name pages' paths.
        self.embedded_link_hook = False
        #: `permalinks:` URL patterns of the regular pages and of the section pages,
        #: by top-level section (`post: /:year/:month/:day/:slug/`).
        self.page_patterns: dict[str, str] = {}
        self.section_patterns: dict[str, str] = {}
        #: `permalinks:` in its array form, tried in order before the map form's.
        self.permalink_rules: tuple[PermalinkRule, ...] = ()
        #: `defaultContentLanguage`: the language of the pages at the root.
        self.default_language = "en"
        #: The taxonomies' plural names (`tags`, `categories` unless `taxonomies:` says
        #: otherwise): each term a page uses has its page, `/tags/upgrade/`.
        self.taxonomies: tuple[str, ...] = ("tags", "categories")
        #: Files Hugo writes at each language's root besides the pages (`sitemap.xml`,
        #: `robots.txt` with `enableRobotsTXT`).
        self.root_files: tuple[str, ...] = ("sitemap.xml",)
        #: Files module mounts put into the content folder (`source: ../README.md`,
        #: `target: content/project/readme.md`): where they appear -> the file.
        self.mounted: dict[str, str] = {}
        #: The files each page kind's output formats write in its folder besides its
        #: HTML (`home: [HTML, RSS, LLMS]`: `index.xml`, `llms.txt`).
        self.output_files: dict[str, tuple[str, ...]] = {}
        #: Output formats the site lists but linkcheck finds defined nowhere, with the
        #: page kinds that list them: a missing file may be one's.
        self.unknown_formats: tuple[tuple[Extension, frozenset[str]], ...] = ()
        #: Goldmark's passthrough delimiters, and each article's ranges between them.
        self.passthrough: Delimiters = ()
        self._passed: dict[str, tuple[list[int], list[tuple[int, int]]]] = {}

    def static_folders(self) -> tuple[str, ...]:
        return (os.path.join(self.root, "static"), *(folder for folder, _ in self.trees))

    def governs(self, path: str) -> bool:
        return self._tree(path) is not None

    def _tree(self, path: str) -> tuple[str, str] | None:
        inside = [t for t in self.trees if path.startswith(os.path.join(t[0], ""))]
        return max(inside, key=lambda t: len(t[0])) if inside else None

    def walk(self) -> Iterator[tuple[str, str]]:
        for folder, _ in self.trees:
            for current, subdirs, files in os.walk(folder):
                subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in SKIPPED_DIRS]
                for name in files:
                    if name.lower().endswith(PAGE_SUFFIXES):
                        path = os.path.join(current, name)
                        yield os.path.relpath(path, folder).replace(os.sep, "/"), path

    def url_of(self, path: str) -> str:
        tree = self._tree(path)
        if tree is None or tree[0] == self.source:
            return super().url_of(path)
        relative = os.path.relpath(path, tree[0]).replace(os.sep, "/")
        page = self.page_url(relative, path)
        if page is None:
            page = ("/" + tree[1] + posixpath.dirname(relative).strip("/") + "/").replace("//", "/")
        return self.mount + page.lstrip("/")

    def page_url(self, relative: str, path: str) -> str | None:
        tree = self._tree(path)
        if tree is not None:  # the page's place in its own language's folder
            relative = os.path.relpath(path, tree[0]).replace(os.sep, "/")
        url = self._page_url(relative, path)
        return None if url is None else "/" + (tree[1] if tree else "") + url.lstrip("/")

    def _page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        if not dot or suffix.lower() not in ("md", "markdown", "html"):
            return None
        front = front_matter(path)
        url = text(front.get("url"))
        if url is not None:
            return "/" + url.lstrip("/")
        folder, name = posixpath.split(stem)
        section = folder.split("/")[0] if folder else ""
        listing = name == "_index" or (name == "index" and not folder)
        rule = self._permalink_rule(folder, name, listing, path)
        if rule is not None:
            if listing:
                return _expand(rule.pattern, front, folder, posixpath.basename(folder))
            sections = posixpath.dirname(folder) if name == "index" else folder
            base = posixpath.basename(folder) if name == "index" else name
            return _expand(rule.pattern, front, sections, base)
        if listing:
            pattern = self.section_patterns.get(section) if folder == section else None
            if pattern is not None:  # a top-level section's own page
                return _expand(pattern, front, folder, posixpath.basename(folder))
            return "/" + (folder + "/" if folder else "")
        pattern = self.page_patterns.get(section)
        if pattern is not None and section:
            # A bundle (`post/x/index.md`) is named by its folder, as Hugo names it.
            sections = posixpath.dirname(folder) if name == "index" else folder
            base = posixpath.basename(folder) if name == "index" else name
            url = _expand(pattern, front, sections, base)
            ugly = self.ugly or section in self.ugly_sections
            return url.rstrip("/") + ".html" if ugly and url.endswith("/") else url
        if name == "index":
            return "/" + folder + "/"
        name = text(front.get("slug")) or name
        if self.ugly or section in self.ugly_sections:
            return "/" + posixpath.join(folder, name + ".html")
        return "/" + posixpath.join(folder, name) + "/"

    def _permalink_rule(
        self, folder: str, name: str, listing: bool, path: str
    ) -> PermalinkRule | None:
        """The first `permalinks:` entry (array form) whose page matcher selects the
        page: its logical path (`/articles/my-post`, a bundle's folder, a section's
        folder), its kind (`home`, `section`, `page`) and its language."""
        if not self.permalink_rules:
            return None
        leaf = folder if name == "index" else posixpath.join(folder, name)
        logical = "/" + (folder if listing else leaf).lower().strip("/")
        kind = "home" if listing and not folder else "section" if listing else "page"
        tree = self._tree(path)
        language = (tree[1].strip("/") if tree else "") or self.default_language
        for rule in self.permalink_rules:
            if rule.selects(logical, kind, language):
                return rule
        return None

    def pages(self) -> dict[str, str]:
        if self._pages is None:
            pages = super().pages()
            # Each page's `aliases` are redirect pages Hugo writes: from the site's
            # root (`/old-url`) or from the page's folder (`old-name`, `../old/path`).
            redirects = set(self.redirects)
            for path in set(pages.values()):
                aliases = front_matter(path).get("aliases")
                if isinstance(aliases, str):
                    aliases = [aliases]
                for alias in aliases if isinstance(aliases, list) else []:
                    if not isinstance(alias, str) or "://" in alias or not alias.strip():
                        continue
                    if alias.startswith("/"):  # under the page's language prefix
                        tree = self._tree(path)
                        url = "/" + (tree[1] if tree else "") + alias.lstrip("/")
                    else:
                        served = self.url_of(path)[len(self.mount) - 1 :]
                        folder = posixpath.dirname(served.rstrip("/"))
                        url = posixpath.normpath(posixpath.join(folder, alias))
                    redirects.add(self._key(url))
            self.redirects = frozenset(redirects)
            pages.update(dict.fromkeys(self._generated(pages.values()), self.config))
            for shown, path in self.mounted.items():
                tree = self._tree(shown)
                if tree is None:
                    continue
                relative = os.path.relpath(shown, tree[0]).replace(os.sep, "/")
                mounted = self._page_url(relative, path)
                if mounted is not None:
                    pages.setdefault(self._key("/" + tree[1] + mounted.lstrip("/")), path)
            return pages
        return self._pages

    def _generated(self, paths: Iterable[str]) -> set[str]:
        """The keys of what Hugo writes beside the pages: the taxonomies' list and term
        pages of the terms pages use (`tags: [upgrade]` gives `/tags/upgrade/`), the
        sitemap (and robots.txt), under each language's prefix."""
        keys: set[str] = set()
        prefixes = {prefix for _, prefix in self.trees}
        for prefix in prefixes:
            keys.update(self._key("/" + prefix + name) for name in self.root_files)
            keys.update(self._outputs("home", "/" + prefix))
        for path in set(paths):
            tree = self._tree(path)
            prefix = tree[1] if tree else ""
            served = self.url_of(path)[len(self.mount) - 1 :]
            if os.path.basename(path).startswith("_index."):
                if served != "/" + prefix:  # the home page's are the prefix's, above
                    keys.update(self._outputs("section", served))
            else:
                keys.update(self._outputs("page", served))
            front = front_matter(path)
            for plural in self.taxonomies:
                terms = front.get(plural)
                for term in [terms] if isinstance(terms, str) else terms or ():
                    if isinstance(term, str) and term.strip():
                        keys.add(self._key(f"/{prefix}{plural}/"))
                        keys.add(self._key(f"/{prefix}{plural}/{_urlize(term)}/"))
                        keys.update(self._outputs("taxonomy", f"/{prefix}{plural}/"))
                        keys.update(self._outputs("term", f"/{prefix}{plural}/{_urlize(term)}/"))
        return keys

    def _outputs(self, kind: str, served: str) -> set[str]:
        """The keys of the files a page of `kind` served at `served` gets from its
        output formats (none for a page with an ugly URL: not a folder)."""
        if not served.endswith("/"):
            return set()
        return {self._key(served + name) for name in self.output_files.get(kind, ())}

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        found = self._resolve(link_path, article)
        if isinstance(found, Missed) and not found.skipped and found.decided_by is None:
            format_ = self._unknown_format_of(found.url)
            if format_ is not None:
                return Missed(found.url, found.served_from, decided_by=format_)
        return found

    def _unknown_format_of(self, url: str) -> Extension | None:
        """The unknown output format that may write the file at `url`: a file name
        with a suffix (`llms.txt`), at a language's root for a home-only format."""
        folder, _, name = url.rpartition("/")
        if "." not in name.strip(".") or name.lower().endswith((".html", ".md")):
            return None
        roots = {(self.mount + prefix).rstrip("/") for _, prefix in self.trees}
        for extension, kinds in self.unknown_formats:
            if kinds != {"home"} or folder in roots:
                return extension
        return None

    def _resolve(self, link_path: str, article: str) -> Found | Missed:
        found = super().resolve(link_path, article)
        if isinstance(found, Found) or not self.embedded_link_hook:
            return found
        # Hugo's embedded link render hook: the destination is also a page's path in
        # the content folder, from the page's folder or (with `/`) from the top.
        tree = self._tree(article)
        if tree is None:
            return found
        page = self.get_page(link_path, article)
        if page is not None:
            return Found(page)
        start = tree[0] if link_path.startswith("/") else os.path.dirname(article)
        base = os.path.normpath(os.path.join(start, *link_path.strip("/").split("/")))
        for candidate in (base, base + ".md", *(os.path.join(base, i) for i in _INDEXES)):
            if os.path.isfile(candidate):
                return Found(candidate)
        return found

    def no_link_at(self, article: str, line: int, column: int) -> str | None:
        if not self.passthrough:
            return None
        if article not in self._passed:
            try:
                text = read_text(article).replace("\r\n", "\n")
            except OSError:
                text = ""
            starts = [0, *(m.end() for m in re.finditer("\n", text))]
            self._passed[article] = (starts, spans(text, self.passthrough))
        starts, ranges = self._passed[article]
        if not 0 < line <= len(starts):
            return None
        at = starts[line - 1] + column - 1
        for start, end in ranges:
            if start <= at < end:
                return "inside Goldmark's passthrough delimiters: no markdown, no link on the site"
        return None

    def page_extensions(self, path: str) -> tuple[Extension, ...]:
        """The shortcodes the page calls, but Hugo's own that add no id: any other may
        write an anchor (`{{% def id="LE" %}}` gives `#def-LE`)."""
        try:
            names = dict.fromkeys(_SHORTCODE.findall(read_text(path)))
        except OSError:
            return ()
        found = []
        for name in names:
            if name not in _PLAIN_SHORTCODES:
                found.append(self._shortcode(name))
        return tuple(found)

    def _shortcode(self, name: str) -> Extension:
        if name not in self._shortcodes:
            where = self.config
            for pattern in _SHORTCODE_FILES:
                for candidate in sorted(glob.glob(os.path.join(self.root, pattern.format(name)))):
                    where = candidate
                    break
                if where != self.config:
                    break
            anchors: frozenset[Decides] = frozenset({"anchors"})
            self._shortcodes[name] = Extension("Hugo shortcode", name, where, 0, anchors)
        return self._shortcodes[name]

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """Goldmark's footnote ids, by the footnotes' number (`#fn:1`, `#fnref:1`, not
        their labels); with `autoDefinitionTermID`, each definition list term (a line
        followed by `: definition`) gets the slug of its text as an id."""
        try:
            lines = read_text(path).splitlines()
        except OSError:
            return frozenset()
        labels = {m.group(1) for m in map(_FOOTNOTE.match, lines) if m}
        notes = {f"{kind}:{n}" for n in range(1, len(labels) + 1) for kind in ("fn", "fnref")}
        if not self.term_ids:
            return frozenset(notes)
        terms = (
            lines[i]
            for i in range(len(lines) - 1)
            if lines[i + 1].startswith(": ") and lines[i].strip()
        )
        found: set[str] = set()
        for term in terms:
            slug = github_slug(_MARKUP.sub("", term).strip())
            # Ids are made unique across headings and terms (`options-1`); which one
            # gets the suffix depends on their order, so both spellings are accepted.
            found.update((slug, f"{slug}-1", f"{slug}-2") if slug in found else (slug, f"{slug}-1"))
        return frozenset(found | notes)

    def get_page(self, ref: str, article: str, reflink: bool = False) -> str | None:
        """The content file Hugo's page lookup finds for `ref` from the page `article`
        (hugolib's getContentNode): `x` is `x.md`, `x/index.md` or `x/_index.md`; a path
        without `/` first is relative to the page (a section's own folder, else the
        folder holding the page or its leaf bundle), then, unless it starts with `.`,
        from the content root; a ref/relref (`reflink`) of a bare name last looks the
        name up among every page of the language (a section by its folder's name)."""
        tree = self._tree(article)
        if tree is None:
            return None
        ref = ref.strip().rstrip("/") or "/"
        extension = posixpath.splitext(ref)[1].lower() in (".md", ".markdown", ".html")
        refs = [ref] if extension else [ref + ".md", ref + "/index.md", ref + "/_index.md"]
        folder, stem = os.path.dirname(article), os.path.splitext(os.path.basename(article))[0]
        leaf = stem == "index" and not (extension and ref.startswith("../"))
        base = os.path.dirname(folder) if leaf else folder
        for candidate in refs:
            if not candidate.startswith("/"):
                found = self._content_file(os.path.join(base, *candidate.split("/")))
                if found is not None:
                    return found
            if candidate.startswith("."):
                continue
            found = self._content_file(os.path.join(tree[0], *candidate.strip("/").split("/")))
            if found is not None:
                return found
        if not reflink or ref.count("/") > (1 if ref.startswith("/") else 0):
            return None
        name = posixpath.splitext(posixpath.basename(ref))[0]
        named = []
        for relative, path in self.walk():
            if self._tree(path) != tree:
                continue
            stem_of, _ = posixpath.splitext(relative)
            if posixpath.basename(stem_of) in ("index", "_index"):
                stem_of = posixpath.dirname(stem_of)
            if posixpath.basename(stem_of) == name:
                named.append(path)
        return named[0] if len(named) == 1 else None  # several: Hugo says it is ambiguous

    def _content_file(self, path: str) -> str | None:
        """The file at `path` in a content folder, a file mounted there included."""
        path = os.path.normpath(path)
        return path if os.path.isfile(path) else self.mounted.get(path)

    def rewrite(self, url: str, article: str = "") -> str | None:
        """`{{< ref "x.md" >}}` and `relref`: the page's URL, looked up as Hugo does
        (`get_page`), else by its path in `content/` (from the top with a leading `/`,
        else by name)."""
        ref = _REF.match(url)
        if ref is None:
            return None if "{{" in url else url
        rest = url[ref.end() :]  # `{{< ref "x.md" >}}#anchor`
        if "{{" in rest:
            return None
        target, _, fragment = ref.group(1).partition("#")
        suffix = "#" + fragment + rest if fragment else rest
        if not target:
            return suffix or None
        page = self.get_page(target, article, reflink=True) if article else None
        if page is not None:
            return self.url_of(page) + suffix
        wanted = target.strip("/")
        for relative, path in self.walk():
            if (
                relative == wanted
                or relative.endswith("/" + wanted)
                or relative.rpartition(".")[0] == wanted
            ):
                return self.url_of(path) + suffix
        return "/" + wanted + suffix


def detect(root: str) -> bool:
    """`config.toml` and the like are common names: they count as Hugo's beside a
    folder only Hugo has (`content/`, `archetypes/`, `layouts/`)."""
    return any(os.path.isdir(os.path.join(root, f)) for f in ("content", "archetypes", "layouts"))


#: The config folder's files (`config/_default/`), merged as Hugo merges them: the
#: root config (`hugo.*`, `config.*`), then each other file under its name's key
#: (`module.toml` is `[module]`, `languages.fr.toml` is `[languages.fr]`), and the
#: `production` environment's over the defaults (the environment `hugo` builds).
_ENVIRONMENTS = ("_default", "production")
_SUFFIXES = (".toml", ".yaml", ".yml", ".json")


def config_folder_file(root: str) -> str | None:
    """The root config file of `config/_default/` (or any of its files)."""
    folder = os.path.join(root, "config", "_default")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    named = [n for n in names if n.endswith(_SUFFIXES)]
    roots = [n for n in named if n.rsplit(".", 1)[0] in ("hugo", "config")]
    chosen = roots or named
    return os.path.join(folder, chosen[0]) if chosen else None


def _read_folder(root: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for environment in _ENVIRONMENTS:
        folder = os.path.join(root, "config", environment)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if not name.endswith(_SUFFIXES):
                continue
            data = read_config(os.path.join(folder, name))
            keys = name.rsplit(".", 1)[0].split(".")
            if keys[0] in ("hugo", "config"):
                keys = keys[1:]
            if keys and keys[0] in ("params", "menus", "menu") and len(keys) > 1:
                keys = ["languages", keys[1], keys[0]]  # `params.fr.toml`: French params
            for key in reversed(keys):
                data = {key: data}
            _merge(merged, data)
    return merged


def _merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def load(config: str) -> Hugo:
    root = os.path.dirname(config)
    in_folder = (
        os.path.basename(root) in _ENVIRONMENTS
        and os.path.basename(os.path.dirname(root)) == "config"
    )
    if in_folder:
        root = os.path.dirname(os.path.dirname(root))
        data = _read_folder(root)
        for name in ("hugo", "config"):  # a root config beside the folder counts too
            for suffix in _SUFFIXES:
                if os.path.isfile(beside := os.path.join(root, name + suffix)):
                    data = {**read_config(beside), **data}
    else:
        data = read_config(config) if os.path.isfile(config) else {}
    content = _content_dir(data)
    base = text(data.get("baseURL", data.get("baseurl"))) or "/"
    site = Hugo(config, root, os.path.realpath(os.path.join(root, content)), mount_of(base))
    site.trees = _language_trees(data, root, site.source)
    ugly = data.get("uglyURLs", data.get("uglyurls"))
    site.ugly = ugly is True
    if isinstance(ugly, dict):  # per section
        site.ugly_sections = frozenset(str(k) for k, v in ugly.items() if v is True)
    site.lowercase_urls = data.get("disablePathToLower") is not True
    parser = data.get("markup", {})
    for key in ("goldmark", "parser"):
        parser = parser.get(key, {}) if isinstance(parser, dict) else {}
    site.term_ids = isinstance(parser, dict) and parser.get("autoDefinitionTermID") is True
    markup = data.get("markup")
    site.passthrough = delimiters(markup.get("goldmark") if isinstance(markup, dict) else None)
    renderer = data.get("markup", {})
    for key in ("goldmark", "renderer"):
        renderer = renderer.get(key, {}) if isinstance(renderer, dict) else {}
    # Goldmark writes a `javascript:` destination only when told its HTML is trusted.
    site.script_links = isinstance(renderer, dict) and renderer.get("unsafe") is True
    disabled = data.get("disableKinds")
    disabled = {str(k).lower() for k in disabled} if isinstance(disabled, list) else set()
    outputs = output_files(data, config, theme_configs(data, root), disabled)
    site.output_files = outputs.by_kind
    site.unknown_formats = outputs.unknown
    site.extensions = (*_render_hooks(root), *_written_redirects(data, config))
    hooks = data.get("markup", {})
    for key in ("goldmark", "renderHooks", "link"):
        hooks = hooks.get(key, {}) if isinstance(hooks, dict) else {}
    enabled = hooks.get("enableDefault") if isinstance(hooks, dict) else None
    languages = data.get("languages")
    several = isinstance(languages, dict) and len(languages) > 1
    site.embedded_link_hook = enabled is True or (enabled is None and several)
    site.page_patterns, site.section_patterns = _permalinks(data.get("permalinks"))
    site.permalink_rules = _permalink_rules(data.get("permalinks"))
    site.default_language = str(data.get("defaultContentLanguage", "en")).lower()
    module = data.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    for mount in mounts if isinstance(mounts, list) else []:
        target = mount.get("target") if isinstance(mount, dict) else None
        source = mount.get("source") if isinstance(mount, dict) else None
        if isinstance(target, str) and target.startswith("content/") and isinstance(source, str):
            path = os.path.realpath(os.path.join(root, source))
            if os.path.isfile(path):  # a folder mounted under content is not read yet
                for folder, _ in site.trees:  # in every language's content
                    shown = os.path.join(folder, *target[len("content/") :].split("/"))
                    site.mounted[os.path.normpath(shown)] = path
    taxonomies = data.get("taxonomies")
    if isinstance(taxonomies, dict):
        site.taxonomies = tuple(str(v) for v in taxonomies.values() if isinstance(v, str))
    if disabled & {"taxonomy", "term", "taxonomyterm"}:
        site.taxonomies = ()
    site.root_files = (
        *(() if "sitemap" in disabled else ("sitemap.xml",)),
        *(
            ("robots.txt",)
            if data.get("enableRobotsTXT") is True and "robotstxt" not in disabled
            else ()
        ),
    )
    return site


@dataclass(frozen=True, slots=True)
class PermalinkRule:
    """One entry of `permalinks:` in its array form (Hugo ≥ 0.161; hugoDocs
    content/en/configuration/permalinks.md, "Array form"): its `pattern` for the pages
    its `target` page matcher selects (all pages without one), the first that matches
    winning. The matcher's `path` and `kind` are glob patterns, `sites.matrix.languages`
    the languages; `environment` is matched against `production`, what `hugo` builds."""

    pattern: str
    path: re.Pattern[str] | None = None
    kind: re.Pattern[str] | None = None
    languages: frozenset[str] | None = None
    environment: re.Pattern[str] | None = None

    def selects(self, logical: str, kind: str, language: str) -> bool:
        return (
            (self.path is None or self.path.fullmatch(logical) is not None)
            and (self.kind is None or self.kind.fullmatch(kind) is not None)
            and (self.languages is None or language in self.languages)
            and (self.environment is None or self.environment.fullmatch("production") is not None)
        )


def _permalink_rules(value: Any) -> tuple[PermalinkRule, ...]:
    if not isinstance(value, list):
        return ()
    rules = []
    for entry in value:
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(pattern, str):
            continue
        target = entry.get("target")
        target = target if isinstance(target, dict) else {}
        globs = {
            k: _glob(v)
            for k in ("path", "kind", "environment")
            if isinstance(v := target.get(k), str)
        }
        sites = target.get("sites")
        matrix = sites.get("matrix") if isinstance(sites, dict) else None
        wanted = matrix.get("languages") if isinstance(matrix, dict) else target.get("lang")
        if isinstance(wanted, str):
            wanted = [wanted]
        languages = frozenset(str(w).lower() for w in wanted) if isinstance(wanted, list) else None
        rules.append(
            PermalinkRule(
                pattern, globs.get("path"), globs.get("kind"), languages, globs.get("environment")
            )
        )
    return tuple(rules)


def _glob(pattern: str) -> re.Pattern[str]:
    """A Hugo glob (gobwas/glob with `/` as separator): `**` anything, `*` anything but
    `/`, `?` one character but `/`, `{a,b}` either, `[abc]` one of; without case, as
    Hugo lowercases logical paths."""
    out, depth, i = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}" and depth:
            out.append(")")
            depth -= 1
        elif ch == "," and depth:
            out.append("|")
        elif ch == "[" and (end := pattern.find("]", i)) > i:
            out.append("[" + pattern[i + 1 : end].replace("!", "^", 1) + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(ch))
        i += 1
    try:
        return re.compile("".join(out), re.I)
    except re.error:
        return re.compile(re.escape(pattern), re.I)


def _written_redirects(data: dict[str, Any], config: str) -> tuple[Extension, ...]:
    """An output format of the home page named `_redirects` (`outputFormats: REDIRECTS:
    {baseName: _redirects}`, `outputs: home: [HTML, REDIRECTS]`): the build writes the
    host's redirect rules from a template (jaeger's `layouts/index.redirects`), which
    linkcheck cannot run, so any target the site lacks may be redirected."""
    formats = data.get("outputFormats", data.get("outputformats"))
    outputs = data.get("outputs")
    home = outputs.get("home") if isinstance(outputs, dict) else None
    wanted = {str(h).lower() for h in home} if isinstance(home, list) else set()
    try:
        text_of_config = read_text(config)
    except OSError:
        text_of_config = ""
    found = []
    for name, settings in formats.items() if isinstance(formats, dict) else ():
        if not isinstance(settings, dict) or str(name).lower() not in wanted:
            continue
        base = settings.get("baseName", settings.get("basename"))
        if isinstance(base, str) and base.lower() in ("_redirects", "vercel"):
            line = line_of(text_of_config, rf"""baseName\s*[:=]\s*['"]?{re.escape(base)}""")
            kind = "Hugo output format that writes the host's redirect rules"
            found.append(Extension(kind, str(name), config, line, frozenset({"targets"})))
    return tuple(found)


def _permalinks(value: Any) -> tuple[dict[str, str], dict[str, str]]:
    """`permalinks:` in its map form: `{post: pattern}` (regular pages) or
    `{page: {post: …}, section: {post: …}}` (Hugo ≥ 0.112); the array form is
    `_permalink_rules`'."""
    if not isinstance(value, dict):
        return {}, {}
    pages = {str(k): v for k, v in value.items() if isinstance(v, str)}
    nested = value.get("page")
    if isinstance(nested, dict):
        pages.update({str(k): v for k, v in nested.items() if isinstance(v, str)})
    sections = value.get("section")
    if not isinstance(sections, dict):
        sections = {}
    return pages, {str(k): v for k, v in sections.items() if isinstance(v, str)}


_TOKEN = re.compile(r":(\w+)(?:\[([^\]]*)\])?")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _expand(pattern: str, front: dict[str, Any], sections: str, base: str) -> str:
    """A `permalinks:` pattern filled in for one page, as Hugo fills it: `:year`,
    `:month`, `:day`… from the front matter `date`, `:slug` (else the title), `:title`,
    `:filename`/`:contentbasename` (a bundle's folder name), `:section`, `:sections`
    with slices (`:sections[1:]`, `:sections[last]`)."""
    when = _date(front.get("date"))
    title = _urlize(text(front.get("title")) or base)
    slug = text(front.get("slug"))
    parts = [p for p in sections.split("/") if p]

    def value(match: re.Match[str]) -> str:
        token, index = match.group(1), match.group(2)
        if token in ("sections", "sectionslugs"):
            return "/".join(_sliced(parts, index))
        values = {
            "year": f"{when.year:04d}", "month": f"{when.month:02d}",
            "monthname": _MONTHS[when.month - 1], "day": f"{when.day:02d}",
            "weekday": str((when.weekday() + 1) % 7),
            "weekdayname": _DAYS[(when.weekday() + 1) % 7],
            "yearday": str(when.timetuple().tm_yday),
            "section": parts[0] if parts else "", "sectionslug": parts[0] if parts else "",
            "title": title, "slug": _urlize(slug) if slug else title,
            "filename": base, "contentbasename": base,
            "slugorfilename": slug or base, "slugorcontentbasename": slug or base,
        }  # fmt: skip
        return values.get(token, match.group(0))

    url = _TOKEN.sub(value, pattern)
    return "/" + re.sub("/{2,}", "/", url).lstrip("/")


def _sliced(parts: list[str], index: str | None) -> list[str]:
    """Hugo's slice syntax on `:sections`, Go's slices: `[1:]`, `[:last]` (all but the
    last), `[last]`, `[1:2]`; out of range forgiven."""
    if not index:
        return parts

    def number(word: str, default: int) -> int:
        word = word.strip().lower()
        if not word:
            return default
        return len(parts) - 1 if word == "last" else int(word) if word.isdigit() else 0

    if ":" not in index:
        at = number(index, 0)
        return parts[at : at + 1]
    start, _, end = index.partition(":")
    return parts[number(start, 0) : number(end, len(parts))]


def _date(value: Any) -> date:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
            if match:
                return date(*map(int, match.groups()))
    return date(1, 1, 1)  # Hugo's zero time


def _urlize(value: str) -> str:
    """Hugo's `urlize` of a title: spaces become `-`, characters outside letters,
    digits and `._-~+#/` are dropped (lowercase comes with the site's URLs)."""
    value = "-".join(value.split())
    return "".join(c for c in value if c.isalnum() or c in "._-~+#/")


def _language_trees(data: dict[str, Any], root: str, source: str) -> list[tuple[str, str]]:
    """Each content folder and the URL prefix its pages get: every language with its
    own `contentDir` (or module mount with `lang`) under `/LANG/`, the default language
    at the root unless `defaultContentLanguageInSubdir`."""
    default = str(data.get("defaultContentLanguage", "en")).lower()
    in_subdir = data.get("defaultContentLanguageInSubdir") is True
    trees: dict[str, str] = {}
    languages = data.get("languages")
    for lang, settings in languages.items() if isinstance(languages, dict) else []:
        folder = settings.get("contentDir") if isinstance(settings, dict) else None
        if isinstance(folder, str):
            trees[os.path.realpath(os.path.join(root, folder))] = str(lang).lower()
    module = data.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    for mount in mounts if isinstance(mounts, list) else []:
        if isinstance(mount, dict) and mount.get("target") == "content":
            source_dir, lang = mount.get("source"), mount.get("lang")
            if isinstance(source_dir, str):
                folder = os.path.realpath(os.path.join(root, source_dir))
                trees.setdefault(folder, str(lang).lower() if lang else default)
    trees.setdefault(source, default)
    return [
        (folder, "" if lang == default and not in_subdir else lang + "/")
        for folder, lang in trees.items()
    ]


#: Where a site's own templates override how Hugo renders a link, an image or a heading
#: (Hugo ≥ 0.146 reads `layouts/_markup/`, older ones `layouts/_default/_markup/`; a
#: language or output format may have its own: `render-link.en.html`).
_HOOK_FOLDERS = ("layouts/_markup", "layouts/_default/_markup")
_HOOK = re.compile(r"^render-(link|image|heading)(?:\.[\w-]+)*\.html$")


def _render_hooks(root: str) -> tuple[Extension, ...]:
    found = []
    for folder in _HOOK_FOLDERS:
        try:
            names = sorted(os.listdir(os.path.join(root, *folder.split("/"))))
        except OSError:
            continue
        for name in names:
            hook = _HOOK.match(name)
            if hook is not None:
                path = os.path.join(root, *folder.split("/"), name)
                kind = hook.group(1)
                decides: frozenset[Decides] = frozenset(
                    {"anchors"} if kind == "heading" else {"targets"}
                )
                found.append(Extension(f"Hugo {kind} render hook", name, path, 0, decides))
    return tuple(found)


def _content_dir(data: dict[str, Any]) -> str:
    """`contentDir`, else the folder mounted as `content` for the default language
    (`[[module.mounts]] source = "content/en" target = "content"`)."""
    content = data.get("contentDir", data.get("contentdir"))
    if isinstance(content, str):
        return content
    module = data.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    if isinstance(mounts, list):
        for mount in mounts:
            if isinstance(mount, dict) and mount.get("target") == "content":
                source = mount.get("source")
                if isinstance(source, str):
                    return source
    return "content"
