"""Hugo: `hugo.toml`/`config.toml` (or `.yaml`/`.json`, or `config/_default/`) beside a
`content/` folder; `content/a/b.md` served at `/a/b/` (pretty URLs) or `/a/b.html`
(`uglyURLs`), `_index.md` and bundles' `index.md` as their folder, `url` and `slug`
front matter, `static/` at the root, `baseURL`'s path; `ref`/`relref` shortcodes."""

from __future__ import annotations

import os
import posixpath
import re

from ._files import front_matter, read_config, text
from ._site import ConfigProblem, Site
from .mkdocs import mount_of

CONFIG_FILES = (
    "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
    "config.toml", "config.yaml", "config.yml", "config.json",
)  # fmt: skip
_REF = re.compile(r"""^\{\{[<%]\s*(?:rel)?ref\s+"?([^"\s]+?)"?\s*[>%]\}\}$""")


class Hugo(Site):
    name = "hugo"
    ugly = False

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

    def rewrite(self, url: str) -> str | None:
        """`{{< ref "x.md" >}}` and `relref`: the page's URL, looked up by its path in
        `content/` (from the top with a leading `/`, else by name, as Hugo does)."""
        ref = _REF.match(url)
        if ref is None:
            return None if "{{" in url else url
        target, _, fragment = ref.group(1).partition("#")
        suffix = "#" + fragment if fragment else ""
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
    content = data.get("contentDir", data.get("contentdir", "content"))
    if not isinstance(content, str):
        raise ConfigProblem(f"{os.path.basename(config)}: contentDir must be a path")
    base = text(data.get("baseURL", data.get("baseurl"))) or "/"
    site = Hugo(config, root, os.path.realpath(os.path.join(root, content)), mount_of(base))
    site.ugly = data.get("uglyURLs", data.get("uglyurls")) is True
    return site
