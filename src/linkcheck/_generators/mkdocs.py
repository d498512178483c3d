"""MkDocs: `mkdocs.yml`, pages under `docs_dir` (default `docs`), served as `a/b/` with
`use_directory_urls` (the default) or `a/b.html`; `index.md` or `README.md` is the
folder's page; `site_url`'s path is where the site lives."""

from __future__ import annotations

import os
import posixpath
from urllib.parse import urlsplit

from ._files import read_config, text
from ._site import ConfigProblem, Site

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")


class MkDocs(Site):
    name = "mkdocs"
    directory_urls = True

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
    docs_dir = data.get("docs_dir", "docs")
    if not isinstance(docs_dir, str):
        raise ConfigProblem(f"{os.path.basename(config)}: docs_dir must be a path")
    site_url = text(data.get("site_url")) or "/"
    site = MkDocs(config, root, os.path.realpath(os.path.join(root, docs_dir)), mount_of(site_url))
    site.directory_urls = data.get("use_directory_urls", True) is not False
    return site


def mount_of(url: str) -> str:
    """The path part of a base URL (`https://x.org/docs/` → `/docs/`)."""
    path = urlsplit(url).path if "://" in url else url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"
