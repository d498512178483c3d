"""Hugo: `hugo.toml`/`config.toml` (or `.yaml`/`.json`, or `config/_default/`) beside a
`content/` folder; `content/a/b.md` served at `/a/b/` (pretty URLs) or `/a/b.html`
(`uglyURLs`), `_index.md` and bundles' `index.md` as their folder, `url` and `slug`
front matter, `static/` at the root, `baseURL`'s path; `ref`/`relref` shortcodes."""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any

from .._anchors import github_slug
from ._files import front_matter, read_config, read_text, text
from ._site import AnchorsOf, Extension, Site
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


class Hugo(Site):
    name = "hugo"
    dialect = "hugo"
    ugly = False
    # Hugo lowercases page URLs (unless disablePathToLower), so links are written lowercase.
    lowercase_urls = True
    term_ids = False

    def static_folders(self) -> tuple[str, ...]:
        return (os.path.join(self.root, "static"), self.source)

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        if not dot or suffix.lower() not in ("md", "markdown", "html"):
            return None
        front = front_matter(path)
        url = text(front.get("url"))
        if url is not None:
            return "/" + url.lstrip("/")
        folder, name = posixpath.split(stem)
        if name in ("_index", "index"):
            return "/" + (folder + "/" if folder else "")
        name = text(front.get("slug")) or name
        if self.ugly:
            return "/" + posixpath.join(folder, name + ".html")
        return "/" + posixpath.join(folder, name) + "/"

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """With `autoDefinitionTermID`, each definition list term (a line followed by
        `: definition`) gets the slug of its text as an id."""
        if not self.term_ids:
            return frozenset()
        try:
            lines = read_text(path).splitlines()
        except OSError:
            return frozenset()
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
        return frozenset(found)

    def rewrite(self, url: str) -> str | None:
        """`{{< ref "x.md" >}}` and `relref`: the page's URL, looked up by its path in
        `content/` (from the top with a leading `/`, else by name, as Hugo does)."""
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
    """Hugo's config names are common; it counts only beside a content folder."""
    return os.path.isdir(os.path.join(root, "content"))


def load(config: str) -> Hugo:
    data = read_config(config) if os.path.isfile(config) else {}
    root = os.path.dirname(config)
    if os.path.basename(root) == "_default" and os.path.basename(os.path.dirname(root)) == "config":
        root = os.path.dirname(os.path.dirname(root))
    content = _content_dir(data)
    base = text(data.get("baseURL", data.get("baseurl"))) or "/"
    site = Hugo(config, root, os.path.realpath(os.path.join(root, content)), mount_of(base))
    site.ugly = data.get("uglyURLs", data.get("uglyurls")) is True
    site.lowercase_urls = data.get("disablePathToLower") is not True
    parser = data.get("markup", {})
    for key in ("goldmark", "parser"):
        parser = parser.get(key, {}) if isinstance(parser, dict) else {}
    site.term_ids = isinstance(parser, dict) and parser.get("autoDefinitionTermID") is True
    site.extensions = _render_hooks(root)
    return site


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
                found.append(Extension(f"Hugo {hook.group(1)} render hook", name, path, 0))
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
