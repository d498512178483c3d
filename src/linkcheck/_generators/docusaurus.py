"""Docusaurus: `docusaurus.config.{js,ts,mjs}` read only as far as static patterns go
(`baseUrl: '…'`, `path: '…'` / `routeBasePath: '…'` of the docs plugin); docs served at
`/docs/…` with `id` and `slug` front matter and number prefixes dropped, `blog/` at
`/blog/…`, `src/pages/` at the root, `static/` as is, `@site/` paths from the site root.

Not understood: configs computed at run time (imports, functions, environment
variables), several docs plugin instances, versioned docs and i18n folders."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator

from .._discover import SKIPPED_DIRS
from ._files import front_matter, read_text, text
from ._site import ConfigProblem, Found, Missed, Site
from .mkdocs import mount_of

CONFIG_FILES = ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs")
_STRING = r"""\s*:\s*['"`]([^'"`$]*)['"`]"""
_BASE_URL = re.compile(r"\bbaseUrl" + _STRING)
_DOCS_PATH = re.compile(r"\bdocs\s*:\s*\{[^{}]*?\bpath" + _STRING, re.S)
_ROUTE = re.compile(r"\bdocs\s*:\s*\{[^{}]*?\brouteBasePath" + _STRING, re.S)
_PAGE_FILES = (".md", ".mdx", ".js", ".jsx", ".ts", ".tsx")
_NUMBER_PREFIX = re.compile(r"^\d+[-_.]\s*")


class Docusaurus(Site):
    name = "docusaurus"

    def __init__(self, config: str, root: str, mount: str, docs: str, route: str) -> None:
        super().__init__(config, root, root, mount)
        self.docs = docs
        self.route = "/" + route.strip("/")

    def governs(self, path: str) -> bool:
        folders = (
            self.docs,
            os.path.join(self.root, "blog"),
            os.path.join(self.root, "src", "pages"),
        )
        return any(path.startswith(os.path.join(f, "")) for f in folders)

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
        docs = os.path.relpath(self.docs, self.root).replace(os.sep, "/")
        front = front_matter(full)
        slug = text(front.get("slug"))
        if relative.startswith(docs + "/"):
            inside = stem[len(docs) + 1 :]
            folder, name = posixpath.split(inside)
            folder = "/".join(_NUMBER_PREFIX.sub("", p) for p in folder.split("/") if p)
            if slug is not None:
                page = slug if slug.startswith("/") else posixpath.join("/", folder, slug)
            elif name.lower() in ("index", "readme") or name == posixpath.basename(folder):
                page = "/" + folder
            else:
                page = "/" + posixpath.join(
                    folder, text(front.get("id")) or _NUMBER_PREFIX.sub("", name)
                )
            return (self.route.rstrip("/") + page) or "/"
        if relative.startswith("blog/"):
            name = posixpath.basename(stem)
            if name == "index":
                name = posixpath.basename(posixpath.dirname(stem))
            dated = re.match(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$", name)
            if slug is not None:
                return "/blog/" + slug.lstrip("/")
            if dated is not None:
                return "/blog/{}/{}/{}/{}".format(*dated.groups())
            return "/blog/" + name
        if relative.startswith("src/pages/"):
            page = stem[len("src/pages/") :]
            return "/" + (page.removesuffix("index") if page.endswith("index") else page)
        return None

    def walk(self) -> Iterator[tuple[str, str]]:
        for folder in (
            self.docs,
            os.path.join(self.root, "blog"),
            os.path.join(self.root, "src", "pages"),
        ):
            for current, subdirs, files in os.walk(folder):
                subdirs[:] = [
                    d for d in subdirs if not d.startswith((".", "_")) and d not in SKIPPED_DIRS
                ]
                for name in files:
                    if name.endswith(_PAGE_FILES) and not name.startswith("_"):
                        path = os.path.join(current, name)
                        yield os.path.relpath(path, self.root).replace(os.sep, "/"), path

    def rewrite(self, url: str) -> str | None:
        return url

    def resolve(self, link_path: str, article: str) -> Found | Missed:
        if link_path.startswith("@site/"):
            path = os.path.join(self.root, *link_path[len("@site/") :].split("/"))
            return Found(path) if os.path.exists(path) else Missed(link_path, self.url_of(article))
        return super().resolve(link_path, article)


def load(config: str) -> Docusaurus:
    root = os.path.dirname(config)
    try:
        source = read_text(config)
    except OSError as error:
        raise ConfigProblem(f"cannot read {os.path.basename(config)}: {error}") from None
    base = _BASE_URL.search(source)
    docs = _DOCS_PATH.search(source)
    route = _ROUTE.search(source)
    return Docusaurus(
        config,
        root,
        mount_of(base.group(1) if base else "/"),
        os.path.realpath(os.path.join(root, docs.group(1) if docs else "docs")),
        route.group(1) if route else "docs",
    )
