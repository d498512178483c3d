"""MkDocs: `mkdocs.yml`, pages under `docs_dir` (default `docs`), served as `a/b/` with
`use_directory_urls` (the default) or `a/b.html`; `index.md` or `README.md` is the
folder's page; `site_url`'s path is where the site lives."""

from __future__ import annotations

import os
import posixpath
import re
from urllib.parse import urlsplit

from .._anchors import python_markdown_slugs
from .._extract import heading_texts
from ._files import attribute_ids, folder_setting, read_config, read_text, text
from ._site import AnchorsOf, Site

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")
_SNIPPET = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["']([^"'\n]+)["']""", re.M)


class MkDocs(Site):
    name = "mkdocs"
    directory_urls = True
    snippets = False
    #: The `toc` extension's `slugify`: Python-Markdown's ASCII one unless the config
    #: names another; None for one whose rule is not known (GitHub's slug stands in).
    slugify: str | None = "ascii"

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """The ids the built page's headings get (`toc`'s slugify: `Über uns` is
        `#uber-uns`, a repeat `#intro_1`), attr_list ids on any element, and with
        pymdownx.snippets the anchors of the files a page pulls in (`--8<--
        "CONTRIBUTING.md"`, from the config's folder)."""
        found = set(attribute_ids(path))
        if self.slugify is not None and path.lower().endswith((".md", ".markdown")):
            try:
                headings = heading_texts(read_text(path))
            except OSError:
                headings = []
            found.update(python_markdown_slugs(headings, ascii_only=self.slugify == "ascii"))
        if self.snippets:
            try:
                included = _SNIPPET.findall(read_text(path))
            except OSError:
                included = []
            for name in included:
                for base in (self.root, os.path.dirname(path)):
                    anchors = anchors_of(os.path.join(base, *name.split("/")))
                    if anchors is not None:
                        found |= anchors
                        break
        return frozenset(found)

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


def load(config: str) -> MkDocs:
    data = read_config(config)
    root = os.path.dirname(config)
    docs_dir = folder_setting(data, "docs_dir", "docs", config)
    site = MkDocs(config, root, docs_dir, mount_of(text(data.get("site_url")) or "/"))
    site.directory_urls = data.get("use_directory_urls", True) is not False
    extensions = data.get("markdown_extensions") or []
    names = [next(iter(e)) if isinstance(e, dict) and e else e for e in extensions]
    site.snippets = "pymdownx.snippets" in names
    site.slugify = _toc_slugify(extensions)
    plugins = data.get("plugins") or []
    plugin_names = [next(iter(p)) if isinstance(p, dict) and p else p for p in plugins]
    if "autorefs" in plugin_names or "mkdocstrings" in plugin_names:
        site.resolves_references = "autorefs"
    return site


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
