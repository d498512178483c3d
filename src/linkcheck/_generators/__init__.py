"""Site generators: which one builds the articles of a folder, from its own config at or
above the folder, and where a link leads on the site it builds.

One module per generator; each has `CONFIG_FILES` and `load(config) -> Site`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from types import ModuleType
from typing import get_args

from .._extract import Dialect
from .._models import Generator, SiteGenerator
from . import _hosts, docusaurus, hugo, mdbook, mkdocs, starlight
from ._built import BuiltSite
from ._ignored import IgnoredFolders
from ._site import ConfigProblem, Found, Missed, Site, spelled_heading

__all__ = [
    "GENERATORS",
    "BuiltSite",
    "ConfigProblem",
    "Found",
    "IgnoredFolders",
    "Missed",
    "Site",
    "Sites",
    "spelled_heading",
]

#: Looked for in this order in each folder, nearest folder first (SiteGenerator's order).
_MODULES: dict[SiteGenerator, ModuleType] = {
    name: importlib.import_module(f".{name}", __name__) for name in get_args(SiteGenerator)
}
GENERATORS: tuple[Generator, ...] = get_args(Generator)


class Sites:
    """The site (if any) that governs each article folder; configs read once each."""

    def __init__(self, generator: Generator, stop_at: Callable[[str], str]) -> None:
        self._generator = generator
        self._stop_at = stop_at
        self._by_folder: dict[str, Site | None] = {}
        self._by_config: dict[str, Site | None] = {}
        #: One line per config that could not be used: (config file, why).
        self.problems: list[tuple[str, str]] = []
        self.used: dict[str, Site] = {}
        #: Configs that could not be read, and their generator's name.
        self._unreadable: dict[str, str] = {}
        #: Each folder's answer to "is it a translation of a sibling's MkDocs site?".
        self._translations: dict[str, str | None] = {}
        #: Host redirect files that could not be read (file, why): warnings, their
        #: rules not used; each said once however many sites share the file.
        self.host_problems: dict[str, str] = {}

    def governing(self, article: str) -> Site | None:
        """The site whose source tree holds `article` (absolute, real folder), found
        from the nearest generator config at or above it, up to the repository's root."""
        site = self._governing(article)
        if site is not None:
            self.used[site.config] = site
        return site

    def governs(self, article: str) -> bool:
        """Whether a site governs `article`, not counted as used (the row cache asks)."""
        return self._governing(article) is not None

    def governs_none_in(self, folder: str) -> bool:
        """Whether no site can govern an article in `folder` (absolute, real): none at
        or above it (the row cache asks once a folder, not once an article)."""
        return self._generator == "github" or self._nearest_known(folder) is None

    def dialect(self, article: str) -> Dialect:
        """How the build that governs `article` (absolute, real) reads its markdown."""
        site = self._governing(article)
        if site is None:
            return "github"
        return "mdx" if site.mdx and article.endswith(".mdx") else site.dialect

    def script_links(self, article: str) -> str | None:
        """The generator whose build writes `article`'s `javascript:` links into the
        page as written (absolute, real folder), or None: then they lead nowhere."""
        site = self._governing(article)
        return site.name if site is not None and site.script_links else None

    def unreadable(self, article: str) -> str | None:
        """Why a failure in `article` may not be one: a config that could not be read
        at or above it (its site's build decides where the article's links lead)."""
        for config, name in self._unreadable.items():
            top = os.path.dirname(config)
            if os.path.basename(top) in ("website", ".vitepress", "_default"):
                top = os.path.dirname(top)  # Docusaurus' and VitePress' own folders
            if os.path.basename(top) == "config":
                top = os.path.dirname(top)
            if article.startswith(os.path.join(top, "")):
                where = os.path.relpath(config).replace(os.sep, "/")
                return f"decided by the {name} config {where}, which linkcheck could not read"
        return None

    def unused_choice(self) -> tuple[str, str] | None:
        """With `--generator NAME`, when no article checked had NAME's config at or above
        it: (the config file looked for, why), for a warning: the user asked for rules
        that were never applied."""
        module = next((m for name, m in _MODULES.items() if name == self._generator), None)
        if module is None or not self._by_folder or self._by_config:
            return None
        why = (
            f"not found at or above any article checked: --generator {self._generator} "
            "changed nothing"
        )
        return module.CONFIG_FILES[0], why

    def _governing(self, article: str) -> Site | None:
        if self._generator == "github":
            return None
        site = self._nearest_known(os.path.dirname(article))
        return site if site is not None and site.governs(article) else None

    def _nearest_known(self, folder: str) -> Site | None:
        """`_nearest`, asked once per folder."""
        if folder not in self._by_folder:
            self._by_folder[folder] = self._nearest(folder)
        return self._by_folder[folder]

    def _nearest(self, folder: str) -> Site | None:
        stop = self._stop_at(folder)
        current = folder
        while True:
            site = self._site_in(current)
            if site is not None:
                return site
            parent = os.path.dirname(current)
            if current == stop or parent == current:
                return None
            current = parent

    def _site_in(self, folder: str) -> Site | None:
        for name, module in _MODULES.items():
            if self._generator not in ("auto", name):
                continue
            # A Docusaurus site often lives in `website/`, its docs beside it (`../docs`).
            nested = ("", "website") if module is docusaurus else ("",)
            for file in (os.path.join(n, f) for n in nested for f in module.CONFIG_FILES):
                config = os.path.join(folder, file)
                # `hugo.toml` is Hugo's own name; `config.toml` only beside Hugo's folders.
                named = name != "hugo" or file.startswith("hugo.") or hugo.detect(folder)
                if name == "starlight" and os.path.isfile(config):
                    named = starlight.detect(config)  # an Astro site, not a Starlight one
                if os.path.isfile(config) and named:
                    return self._load(module, config)
            if name == "hugo" and self._generator in ("auto", "hugo"):
                in_folder = hugo.config_folder_file(folder)  # `config/_default/hugo.yaml`
                if in_folder is not None:
                    return self._load(module, in_folder)
        if self._generator in ("auto", "mkdocs"):
            # `docs/fr/` beside `docs/en/mkdocs.yml`, with no config of its own.
            if folder not in self._translations:  # each folder looked at once a run
                self._translations[folder] = mkdocs.translation_of(folder)
            translated = self._translations[folder]
            if translated is not None:
                return self._load_translation(translated, folder)
        return None

    def _load_translation(self, config: str, folder: str) -> Site | None:
        if folder not in self._by_config:
            try:
                site: Site | None = mkdocs.load_translation(config, folder)
            except ConfigProblem:
                site = None  # the source language's own articles say why, once
            if site is not None:
                self._read_host(site)
            self._by_config[folder] = site
        return self._by_config[folder]

    def _load(self, module: ModuleType, config: str) -> Site | None:
        if config not in self._by_config:
            try:
                site: Site | None = module.load(config)
            except ConfigProblem as problem:
                self.problems.append((config, str(problem)))
                self._unreadable[config] = module.__name__.rpartition(".")[2]
                site = None
            if site is not None and module is mdbook:
                site.parent = self._enclosing_book(site)
            if site is not None:
                self._read_host(site)
            self._by_config[config] = site
        return self._by_config[config]

    def _read_host(self, site: Site) -> None:
        """The redirect rules of the host serving `site`: its `netlify.toml` or
        `vercel.json` in the site's folder or above it (a site in a subfolder of the
        repository), and the `_redirects` files the build copies to the output (from
        its static folders, its source or its own folder)."""
        stop = self._stop_at(site.root)
        folders = [site.root]
        while folders[-1] != stop and os.path.dirname(folders[-1]) != folders[-1]:
            folders.append(os.path.dirname(folders[-1]))
        copied = (*site.static_folders(), site.source, site.root)
        site.host, problems = _hosts.read(tuple(folders), copied)
        for file, why in problems:
            self.host_problems.setdefault(file, why)

    def _enclosing_book(self, book: Site) -> Site | None:
        """A book inside another book's folder is published under the parent's output,
        at the same relative path (old editions, redirect stubs)."""
        stop = self._stop_at(book.root)
        current = book.root
        while current != stop:
            current = os.path.dirname(current)
            config = os.path.join(current, "book.toml")
            if os.path.isfile(config):
                parent = self._load(mdbook, config)
                if parent is not None:
                    relative = os.path.relpath(book.root, parent.root).replace(os.sep, "/")
                    book.mount = parent.mount + relative.strip("/") + "/"
                return parent
            if os.path.dirname(current) == current:
                break
        return None
