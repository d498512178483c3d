"""MkDocs: `mkdocs.yml`, pages under `docs_dir` (default `docs`), served as `a/b/` with
`use_directory_urls` (the default) or `a/b.html`; `index.md` or `README.md` is the
folder's page; `site_url`'s path is where the site lives."""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any
from urllib.parse import urlsplit

from .._anchors import python_markdown_slugs
from .._extract import heading_texts
from ._files import attribute_ids, folder_setting, read_config, read_text, text
from ._site import AnchorsOf, ConfigProblem, Extension, Found, Missed, Site, line_of

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")
_SNIPPET = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["']([^"'\n]+)["']""", re.M)
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\]\\\n]|\\.)+)\]:", re.M)
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
_TAB = re.compile(r'^[ \t]*===[!+]?[ \t]+"([^"\n]*)"', re.M)
#: Markdown extensions that change no link nor anchor linkcheck reads (Python-Markdown's
#: own, pymdown-extensions' and Material's), or whose effect linkcheck emulates.
_KNOWN_EXTENSIONS = re.compile(
    r"^(?:markdown\.extensions\.)?(?:abbr|admonition|attr_list|codehilite|def_list|extra|"
    r"fenced_code|footnotes|legacy_attrs|legacy_em|md_in_html|meta|nl2br|sane_lists|smarty|"
    r"tables|toc|wikilinks_disabled)$|^pymdownx\.|^material\.|^mdx_truly_sane_lists$|"
    r"^markdown_checklist\b|^mdx_gh_links$"
)
#: Plugins that change no link nor anchor (or whose effect linkcheck emulates: autorefs).
_KNOWN_PLUGINS = frozenset(
    {"search", "tags", "social", "offline", "privacy", "optimize", "minify", "info",
     "git-revision-date-localized", "git-revision-date", "git-committers", "git-authors",
     "rss", "glightbox", "awesome-pages", "awesome-nav", "literate-nav", "section-index",
     "meta", "typeset", "autorefs", "mkdocstrings", "exclude", "mike", "termynal",
     "llmstxt", "group", "projects", "redirects", "material/search", "material/social",
     "material/tags", "material/offline", "material/privacy", "material/optimize",
     "material/info", "material/meta", "material/typeset", "material/group",
     "material/projects", "mermaid2", "drawio", "swagger-ui-tag", "open-in-new-tab",
     "caption", "badges", "autolinks_disabled"}
)  # fmt: skip


class MkDocs(Site):
    name = "mkdocs"
    script_links = True
    dialect = "mkdocs"
    directory_urls = True
    snippets = False
    footnotes = False
    tabs = False

    def __init__(self, config: str, root: str, source: str, mount: str = "/") -> None:
        super().__init__(config, root, source, mount)
        #: pymdownx.snippets' `base_path` folders and the files `auto_append` adds.
        self.snippet_bases: tuple[str, ...] = (root,)
        self.auto_append: tuple[str, ...] = ()
        self._defined: dict[str, frozenset[str]] = {}
        #: Pages `nav:` lists that are no file in docs_dir: a script writes them before
        #: the build (uv's `reference/cli.md`).
        self.generated: dict[str, Extension] = {}
        #: For a translation (`docs/fr/` beside `docs/en/mkdocs.yml`): the source
        #: language's site, whose pages the build stages under the translation's own
        #: before it builds (FastAPI's scripts/docs.py, mkdocs-static-i18n's fallback),
        #: and what the reason names.
        self.staged: MkDocs | None = None
        self.staging: Extension | None = None
        #: Markdown extensions that write only into the pages using their block syntax
        #: (mkautodoc's `::: pkg.Obj`), with that syntax: an anchor elsewhere is not theirs.
        self.block_extensions: tuple[tuple[Extension, re.Pattern[str]], ...] = ()

    #: The `toc` extension's `slugify`: Python-Markdown's ASCII one unless the config
    #: names another; None for one whose rule is not known (GitHub's slug stands in).
    slugify: str | None = "ascii"

    def page_extensions(self, path: str) -> tuple[Extension, ...]:
        """The block extensions the page at `path` uses (mkautodoc's docstrings may
        carry headings, so their ids are its doing), none on a page without one."""
        if not self.block_extensions:
            return ()
        try:
            text = read_text(path)
        except OSError:
            return ()
        return tuple(e for e, block in self.block_extensions if block.search(text))

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """The ids the built page's headings get (`toc`'s slugify: `Über uns` is
        `#uber-uns`, a repeat `#intro_1`), attr_list ids on any element, and with
        pymdownx.snippets the anchors of the files a page pulls in (`--8<--
        "CONTRIBUTING.md"`, from the config's folder)."""
        found = set(attribute_ids(path))
        try:
            page = read_text(path) if path.lower().endswith((".md", ".markdown")) else ""
        except OSError:
            page = ""
        if self.slugify is not None and page:
            headings = heading_texts(page)
            found.update(python_markdown_slugs(headings, ascii_only=self.slugify == "ascii"))
        if self.footnotes:  # `[^7]: …` is `#fn:7`, the reference to it `#fnref:7`
            for label in _FOOTNOTE.findall(page):
                found.update((f"fn:{label}", f"fnref:{label}"))
        if self.tabs:  # pymdownx.tabbed: `__tabbed_1_2`, or the slug of the tab's title
            titles = _TAB.findall(page)
            found.update(python_markdown_slugs(titles, ascii_only=self.slugify != "unicode"))
            for number in range(1, page.count("===") + 1):
                found.update(f"__tabbed_{number}_{i}" for i in range(1, 21))
        if self.snippets:
            try:
                included = _SNIPPET.findall(read_text(path))
            except OSError:
                included = []
            for name in included:
                for base in (*self.snippet_bases, os.path.dirname(path)):
                    anchors = anchors_of(os.path.join(base, *name.split("/")))
                    if anchors is not None:
                        found |= anchors
                        break
        return frozenset(found)

    def undefined_reference(self, label: str, article: str) -> str | None:
        if self.resolves_references is not None:
            return super().undefined_reference(label, article)
        return None

    def appended_definition(self, label: str, article: str) -> str | None:
        """The file that defines `[label]` for `article` on the built site:
        pymdownx.snippets' `auto_append` files (added to every page) or a file the page
        pulls in with `--8<--`; None when none does."""
        wanted = _label_key(label)
        files: list[str | None] = list(self.auto_append)
        if self.snippets:
            try:
                included = _SNIPPET.findall(read_text(article))
            except OSError:
                included = []
            files += [self._snippet(name, article) for name in included]
        for file in files:
            if file is not None and wanted in self._definitions(file):
                return file
        return None

    def _snippet(self, name: str, article: str) -> str | None:
        for base in (*self.snippet_bases, os.path.dirname(article)):
            path = os.path.join(base, *name.split("/"))
            if os.path.isfile(path):
                return path
        return None

    def _definitions(self, path: str) -> frozenset[str]:
        labels = self._defined.get(path)
        if labels is None:
            try:
                found = _DEFINITION.findall(read_text(path))
            except OSError:
                found = []
            labels = self._defined[path] = frozenset(_label_key(f) for f in found)
        return labels

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        found = super().resolve(link_path, article)
        if isinstance(found, Missed) and link_path.lower().endswith((".md", ".markdown")):
            # MkDocs reads a `.md` link from the source file's folder (or docs_dir's top).
            start = self.source if link_path.startswith("/") else os.path.dirname(article)
            target = os.path.normpath(os.path.join(start, *link_path.strip("/").split("/")))
            relative = os.path.relpath(target, self.source).replace(os.sep, "/")
            if (
                self.staged is not None
                and not relative.startswith("..")
                and os.path.isfile(os.path.join(self.staged.source, *relative.split("/")))
            ):  # a page left untranslated: the source language's is staged in its place
                return Missed(found.url, found.served_from, decided_by=self.staging)
            if relative in self.generated:
                return Missed(found.url, found.served_from, decided_by=self.generated[relative])
        if isinstance(found, Missed) and self.staged is not None:
            tail = found.url[len(self.mount) :] if found.url.startswith(self.mount) else None
            there = None if tail is None else self.staged.lookup(self.staged.mount + tail, "")
            if isinstance(there, Found):  # an image or page only the source language has
                return Missed(found.url, found.served_from, decided_by=self.staging)
        return found

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        if not dot or suffix.lower() not in ("md", "markdown"):
            return None
        folder, name = posixpath.split(stem)
        if name.lower() in ("index", "readme"):
            return "/" + (folder + "/" if folder else "")
        if self.directory_urls:
            return "/" + posixpath.join(folder, name) + "/"
        return "/" + posixpath.join(folder, name + ".html")


def _inherited(config: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The config with its `INHERIT:` parent's settings under it, as MkDocs merges them
    (mappings deeply, any other value replaced; a translation's `INHERIT:
    ../en/mkdocs.yml`)."""
    data = read_config(config)
    parent = data.pop("INHERIT", None)
    if not isinstance(parent, str) or len(seen) > 8:
        return data
    path = os.path.realpath(os.path.join(os.path.dirname(config), parent))
    if path in seen:
        return data
    return _deep_merge(_inherited(path, (*seen, path)), data)


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


#: A translation's folder name: a language tag (`fr`, `zh-hant`, `pt_BR`).
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def translation_of(folder: str) -> str | None:
    """The config of the site `folder` translates, when `folder` has no config of its
    own: it is named as a language (`docs/fr`), and a sibling named as a language
    (`docs/en`) holds an MkDocs config whose `docs_dir` inside it (`docs/en/docs`)
    `folder` mirrors (`docs/fr/docs`). Such a tree is built as the site's translation
    by a script that writes its config (FastAPI's scripts/docs.py); linkcheck reads it
    as if it said `INHERIT:` of the sibling's config."""
    name = os.path.basename(folder)
    if not _LANGUAGE.fullmatch(name) or any(
        os.path.isfile(os.path.join(folder, f)) for f in CONFIG_FILES
    ):
        return None
    parent = os.path.dirname(folder)
    try:
        siblings = sorted(os.listdir(parent))
    except OSError:
        return None
    for sibling in siblings:
        if sibling == name or not _LANGUAGE.fullmatch(sibling):
            continue
        for file in CONFIG_FILES:
            config = os.path.join(parent, sibling, file)
            if os.path.isfile(config) and _mirrors(config, folder):
                return os.path.realpath(config)
    return None


def _mirrors(config: str, folder: str) -> bool:
    """Whether `folder` has the docs folder `config`'s site has inside its own folder."""
    try:
        data = _inherited(config)
        docs_dir = folder_setting(data, "docs_dir", "docs", config)
    except (ConfigProblem, OSError):  # reported where the config itself is loaded
        return False
    inside = os.path.relpath(docs_dir, os.path.dirname(os.path.realpath(config)))
    return (
        not inside.startswith("..")
        and inside != "."
        and os.path.isdir(os.path.join(folder, inside))
    )


def load_translation(config: str, folder: str) -> MkDocs:
    """The site of the translation in `folder` of the site `config` declares: its
    settings, its own docs folder, and the source language's pages staged under it."""
    source = load(config, stage=False)
    site = load(config, stage=False)
    inside = os.path.relpath(source.source, source.root)
    site.root = os.path.realpath(folder)
    site.source = os.path.join(site.root, inside)
    _stage(site, source, config)
    return site


def _stage(site: MkDocs, source: MkDocs, config: str) -> None:
    try:
        text_of = read_text(config)
    except OSError:
        text_of = ""
    # Material's language selector (`extra: alternate:`) is where the config declares
    # its translations; else the config file itself is named.
    line = line_of(text_of, r"^\s*alternate\s*:")
    what = "build step that stages into each translation the pages of"
    where = os.path.relpath(source.source).replace(os.sep, "/")
    site.staged = source
    site.staging = Extension(what, where, config, line)


def load(config: str, *, stage: bool = True) -> MkDocs:
    data = _inherited(config)
    root = os.path.dirname(config)
    docs_dir = folder_setting(data, "docs_dir", "docs", config)
    site = MkDocs(config, root, docs_dir, mount_of(text(data.get("site_url")) or "/"))
    site.directory_urls = data.get("use_directory_urls", True) is not False
    extensions = data.get("markdown_extensions") or []
    names = [next(iter(e)) if isinstance(e, dict) and e else e for e in extensions]
    site.snippets = "pymdownx.snippets" in names
    site.footnotes = "footnotes" in names or "markdown.extensions.footnotes" in names
    site.tabs = "pymdownx.tabbed" in names
    snippets = next(
        (e["pymdownx.snippets"] for e in extensions if _named(e, "pymdownx.snippets")), None
    )
    if isinstance(snippets, dict):
        bases = snippets.get("base_path", ["."])
        bases = [bases] if isinstance(bases, str) else bases if isinstance(bases, list) else ["."]
        site.snippet_bases = tuple(os.path.join(root, str(b)) for b in bases)
        appended = snippets.get("auto_append") or []
        site.auto_append = tuple(
            found for name in appended if (found := site._snippet(str(name), config)) is not None
        )
    site.extensions, site.block_extensions = _extensions(data, config, names)
    site.generated = _generated(data.get("nav"), site, config)
    site.slugify = _toc_slugify(extensions)
    if site.slugify is None:
        # A slug function linkcheck does not know gives the headings their ids (it
        # may keep case, as pymdownx's `case: none` does): a fragment that spells a
        # heading otherwise is not found, but not proven missing either.
        source = read_text(config)
        line = line_of(source, r"^\s*slugify\s*:", line_of(source, r"^\s*-?\s*toc\s*:"))
        slug = Extension(
            "toc slug function",
            "toc.slugify",
            config,
            line,
            decides=frozenset({"anchors"}),
            respells_headings=True,
        )
        site.extensions += (slug,)
    plugin_names = _plugin_names(data)
    if "autorefs" in plugin_names or "mkdocstrings" in plugin_names:
        site.resolves_references = "autorefs"
    if "mkdocstrings" in plugin_names:
        site.extensions += _documented_objects(site, config)
    site.redirect_to = _redirect_maps(data, site)
    parent = read_config(config).get("INHERIT")
    if stage and isinstance(parent, str):  # a translation's `INHERIT: ../en/mkdocs.yml`
        inherited = os.path.realpath(os.path.join(root, parent))
        if _translates(os.path.realpath(root), inherited):
            _stage(site, load(inherited, stage=False), inherited)
    return site


#: mkdocstrings' block: `::: identifier` on a line of its own documents that object.
_AUTODOC = re.compile(r"^::: *([\w.:/-]+)[ \t]*$", re.M)


def _documented_objects(site: MkDocs, config: str) -> tuple[Extension, ...]:
    """mkdocstrings gives each object a `::: identifier` block documents an id, its
    path (`pkg.mod.Obj`), and its members theirs beneath it (`pkg.mod.Obj.attr`), as far
    as its handler's options and the code decide: a fragment under one of the site's
    identifiers may be its doing; any other is not."""
    names: set[str] = set()
    for _, path in site.walk():
        try:
            names.update(_AUTODOC.findall(read_text(path)))
        except OSError:
            continue
    if not names:
        return ()
    try:
        source = read_text(config)
    except OSError:
        source = ""
    line = line_of(source, r"^\s*-?\s*['\"]?mkdocstrings\b", line_of(source, r"^plugins\s*:"))
    ids = "(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")(?:[.(-].*)?"
    plugin = Extension("MkDocs plugin", "mkdocstrings", config, line, frozenset({"anchors"}), ids)
    return (plugin,)


def _translates(folder: str, parent: str) -> bool:
    """Whether `folder` (a config's own, `docs/hi`) is a translation of the site of
    `parent` (the config it inherits, `docs/en/mkdocs.yml`): both named as languages,
    side by side, the docs folder mirrored."""
    name, sibling = os.path.basename(folder), os.path.basename(os.path.dirname(parent))
    same_parent = os.path.dirname(os.path.dirname(parent)) == os.path.dirname(folder)
    named = bool(_LANGUAGE.fullmatch(name) and _LANGUAGE.fullmatch(sibling))
    return same_parent and named and _mirrors(parent, folder)


def _generated(nav: object, site: MkDocs, config: str) -> dict[str, Extension]:
    """The `nav:` entries that name a markdown file docs_dir does not have."""
    listed: list[str] = []

    def walk(entry: object) -> None:
        if isinstance(entry, str):
            listed.append(entry)
        elif isinstance(entry, list):
            for item in entry:
                walk(item)
        elif isinstance(entry, dict):
            for item in entry.values():
                walk(item)

    walk(nav)
    try:
        source = read_text(config)
    except OSError:
        source = ""
    found: dict[str, Extension] = {}
    start = line_of(source, r"^nav\s*:")
    for page in listed:
        page = page.strip().lstrip("/")
        if "://" in page or not page.lower().endswith((".md", ".markdown")):
            continue
        if not os.path.isfile(os.path.join(site.source, *page.split("/"))):
            line = line_of(source, re.escape(page), start)
            found[page] = Extension("build step that writes the nav page", page, config, line)
    return found


def _plugin_names(data: dict[str, Any]) -> list[object]:
    """`plugins:` as a list (`- search`, `- blog: {…}`) or a mapping (`search: {}`)."""
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        return list(plugins)
    if not isinstance(plugins, list):
        return []
    return [next(iter(p)) if isinstance(p, dict) and p else p for p in plugins]


def _redirect_maps(data: dict[str, Any], site: MkDocs) -> dict[str, str]:
    """The mkdocs-redirects plugin's `redirect_maps: {old.md: new.md}` (its README,
    mkdocs/mkdocs-redirects): a redirect page at each old page's URL, to the new page
    (a path in docs_dir, `#fragment` kept) or to another site's address."""
    plugins = data.get("plugins") or []
    entries = (
        plugins.items()
        if isinstance(plugins, dict)
        else (next(iter(p.items())) for p in plugins if isinstance(p, dict) and p)
        if isinstance(plugins, list)
        else ()
    )
    options = next((o for n, o in entries if n == "redirects" and isinstance(o, dict)), None)
    maps = options.get("redirect_maps") if options is not None else None
    moved: dict[str, str] = {}
    for old, new in maps.items() if isinstance(maps, dict) else ():
        old_url = site.page_url(str(old).lstrip("/"), "")
        if old_url is None or not isinstance(new, str):
            continue
        path, hash_, fragment = new.partition("#")
        new_url = new if "://" in new else site.page_url(path.lstrip("/"), "")
        if new_url is not None:
            moved[site._key(old_url)] = new_url + (hash_ + fragment if "://" not in new else "")
    return moved


def _named(entry: object, name: str) -> bool:
    return isinstance(entry, dict) and name in entry


def _label_key(label: str) -> str:
    """A reference label as markdown matches it: case and inner whitespace folded."""
    return " ".join(label.split()).casefold()


def _extensions(
    data: dict[str, Any], config: str, markdown: list[Any]
) -> tuple[tuple[Extension, ...], tuple[tuple[Extension, re.Pattern[str]], ...]]:
    """Hooks, and the plugins and markdown extensions that may write links or anchors
    linkcheck does not see (macros, gen-files, include-markdown, mkdocs-click…); and
    apart, those that write only where their block is (with the block's pattern)."""
    try:
        source = read_text(config)
    except OSError:
        source = ""
    found: list[Extension] = []
    by_block: list[tuple[Extension, re.Pattern[str]]] = []
    hooks = data.get("hooks") or []
    start = line_of(source, r"^hooks\s*:")
    for hook in hooks if isinstance(hooks, list) else []:
        line = line_of(source, re.escape(str(hook)), start)
        found.append(Extension("MkDocs hook", str(hook), config, line))
    start = line_of(source, r"^plugins\s*:")
    for name in _plugin_names(data):
        if isinstance(name, str) and name not in _KNOWN_PLUGINS:
            line = line_of(source, rf"^\s*-\s*['\"]?{re.escape(name)}\b", start)
            found.append(Extension("MkDocs plugin", name, config, line))
    start = line_of(source, r"^markdown_extensions\s*:")
    for name in markdown:
        if not isinstance(name, str) or _KNOWN_EXTENSIONS.search(name):
            continue
        line = line_of(source, rf"^\s*-\s*['\"]?{re.escape(name)}\b", start)
        if name in _BLOCK_EXTENSIONS:  # it decides the pages using its block only
            extension = Extension("Markdown extension", name, config, line, frozenset({"anchors"}))
            by_block.append((extension, _BLOCK_EXTENSIONS[name]))
        else:
            found.append(Extension("Markdown extension", name, config, line))
    return tuple(found), tuple(by_block)


#: Markdown extensions whose output lands only where their block is written: mkautodoc
#: renders `::: pkg.Obj` as the object's signature (no id) and its docstrings through
#: the page's own extensions (their headings get ids); nothing on any other page.
_BLOCK_EXTENSIONS = {"mkautodoc": re.compile(r"^::: ?[:\w.]*[ \t]*$", re.MULTILINE)}


def mount_of(url: str) -> str:
    """The path part of a base URL (`https://x.org/docs/` → `/docs/`)."""
    path = urlsplit(url).path if "://" in url else url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _toc_slugify(extensions: object) -> str | None:
    """Which slug rule `toc` uses: `slugify: !!python/name:markdown.extensions.toc.
    slugify_unicode` (or pymdownx's `uslugify`) keeps non-ASCII letters."""
    for extension in extensions if isinstance(extensions, list) else []:
        if isinstance(extension, dict) and isinstance(extension.get("toc"), dict):
            named = extension["toc"].get("slugify")
            if named is None:
                return "ascii"
            named = str(named)
            if named.endswith("toc.slugify"):
                return "ascii"
            if "slugify_unicode" in named or "uslugify" in named:
                return "unicode"
            return None
    return "ascii"
