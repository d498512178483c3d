"""VitePress: `.vitepress/config.{js,ts,mjs,mts,cjs,cts}` (or `.vitepress/config/index.*`)
in the project's folder, read only as far as string literals go: `srcDir` (default: the
project's folder), `base`, `rewrites` (`'en/:rest*': ':rest*'`). Pages are the `*.md`
under `srcDir`: `a/b.md` served at `/a/b.html` (`/a/b` with `cleanUrls`, the same page
to linkcheck), `index.md` as its folder; links name pages with or without `.md` or
`.html`, from the page's folder or from `srcDir` (`/guide/setup`); `public/` is served
at the root. Headings' ids are VitePress' own slugs; `<!--@include: x.md-->` brings the
included file's anchors. Markdown-it plugins (`md.use(…)`) are extensions linkcheck
cannot emulate."""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata

from .._extract import heading_texts
from ._files import read_text
from ._js import balanced, js_extensions, js_string, js_strings_of
from ._site import AnchorsOf, ConfigProblem, Extension, Site, line_of, page_key

CONFIG_FILES = tuple(
    f".vitepress/{stem}.{suffix}"
    for stem in ("config", "config/index")
    for suffix in ("js", "ts", "mjs", "mts", "cjs", "cts")
)
_SCRIPT_SUFFIXES = (".js", ".ts", ".mjs", ".mts", ".cjs", ".cts")
_INCLUDE = re.compile(r"<!--\s*@include:\s*([^\s#{]+?)(?:#[^\s{]*)?(?:\{[^}]*\})?\s*-->")
_SPECIAL = re.compile(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'“”‘’<>,.?/]+""")
_COMBINING = re.compile(r"[\u0300-\u036f]")
#: Markdown-it plugins that add no link and no anchor (code-group icons, image sizes,
#: tabs whose panels keep their markdown).
_HARMLESS = frozenset(
    {"groupIconMdPlugin", "markdownItImageSize", "tabsMarkdownPlugin", "footnote",
     "markdownItFootnote", "taskLists", "llmstxt"}
)  # fmt: skip


def slug(heading: str) -> str:
    """VitePress' heading id (`@mdit-vue/shared`'s slugify): accents dropped, runs of
    blanks and punctuation one `-`, lowercase, a leading digit prefixed with `_`."""
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", heading))
    text = "".join(ch for ch in text if ord(ch) >= 0x20)
    text = re.sub(r"-{2,}", "-", _SPECIAL.sub("-", text)).strip("-")
    return re.sub(r"^(\d)", r"_\1", text).lower()


class VitePress(Site):
    name = "vitepress"

    def __init__(self, config: str, root: str, source: str, mount: str) -> None:
        super().__init__(config, root, source, mount)
        #: An explicit id written with markdown-it-attrs' delimiters, when not `{…}`.
        self.attribute_id: re.Pattern[str] | None = None
        #: `rewrites`: (source path pattern, its target with `:name` parameters).
        self.rewrites: list[tuple[re.Pattern[str], str]] = []

    def static_folders(self) -> tuple[str, ...]:
        return (os.path.join(self.source, "public"), self.source)

    def governs(self, path: str) -> bool:
        inside = os.path.relpath(path, self.source).replace(os.sep, "/")
        return super().governs(path) and not inside.startswith((".vitepress/", "public/"))

    def page_url(self, relative: str, path: str) -> str | None:
        if not relative.lower().endswith(".md") or relative.startswith(".vitepress/"):
            return None
        for pattern, target in self.rewrites:
            match = pattern.fullmatch(relative)
            if match is not None:
                relative = _fill(target, match.groupdict())
                break
        stem = relative[: -len(".md")].lstrip("/")
        folder, name = posixpath.split(stem)
        if name == "index":
            return "/" + (folder + "/" if folder else "")
        return "/" + stem + ".html"

    def _key(self, url: str) -> str:
        # A link may name the page's source: `/guide/setup.md` is `/guide/setup.html`;
        # and `./index`, which VitePress makes `./index.html`, is its folder's page.
        if url.endswith((".md", "/index")):
            url = url.removesuffix(".md") + ".html"
        return page_key(url)

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        try:
            page = read_text(path)
        except OSError:
            return frozenset()
        found = {slug(h) for h in heading_texts(page)}
        if self.attribute_id is not None:
            found.update(self.attribute_id.findall(page))
        for name in _INCLUDE.findall(page):
            base = self.source if name.startswith("@/") else os.path.dirname(path)
            included = anchors_of(os.path.join(base, *name.removeprefix("@/").split("/")))
            if included is not None:
                found |= included
        return frozenset(found)


def _fill(target: str, values: dict[str, str | None]) -> str:
    """A rewrite's target with its `:name` parameters put in."""
    return re.sub(r":(\w+)\*?", lambda m: values.get(m.group(1)) or "", target)


def _rewrite_pattern(source: str) -> re.Pattern[str]:
    """`'packages/:pkg/src/(.*)'`-style keys: `:name` one segment, `:name*` any."""
    parts = re.split(r"(:\w+\*?)", source)
    regex = ""
    for part in parts:
        if part.startswith(":"):
            name = part[1:].rstrip("*")
            regex += f"(?P<{name}>.*)" if part.endswith("*") else f"(?P<{name}>[^/]+)"
        else:
            regex += re.escape(part)
    return re.compile(regex)


def load(config: str) -> VitePress:
    folder = os.path.dirname(config)
    while os.path.basename(folder) != ".vitepress":
        folder = os.path.dirname(folder)
    root = os.path.dirname(folder)
    try:
        source = read_text(config)
    except OSError as error:
        raise ConfigProblem(f"cannot read {os.path.basename(config)}: {error}") from None
    # A config split in a folder (`config/index.ts` importing `shared.ts`, `en.ts`):
    # every file of it is read.
    files = [(config, source)]
    if os.path.basename(os.path.dirname(config)) == "config":
        for name in sorted(os.listdir(os.path.dirname(config))):
            other = os.path.join(os.path.dirname(config), name)
            if other != config and name.endswith(_SCRIPT_SUFFIXES) and os.path.isfile(other):
                try:
                    files.append((other, read_text(other)))
                except OSError:
                    continue
    source = "\n".join(text for _, text in files)
    src_dir = js_string(source, "srcDir") or "."
    site = VitePress(
        config,
        root,
        os.path.realpath(os.path.join(root, src_dir)),
        js_string(source, "base") or "/",
    )
    for key, target in js_strings_of(source, "rewrites"):
        try:
            site.rewrites.append((_rewrite_pattern(key), target))
        except re.error:
            continue
    site.extensions = tuple(
        extension
        for path, text in files
        for extension in js_extensions(text, path, "markdown-it plugin", _HARMLESS)
    )
    for path, text in files:
        # `markdown: {anchor: {slugify}}`: the site's own function gives headings their
        # ids (pinia's keep case: `#Option-Stores`), which linkcheck cannot run.
        anchor = re.search(r"\banchor\s*:\s*\{", text)
        if anchor is not None and re.search(r"\bslugify\b", balanced(text, anchor.end())):
            line = line_of(text, r"\bslugify\b", text.count("\n", 0, anchor.start()) + 1)
            site.extensions += (
                Extension(
                    "heading slug function",
                    "markdown.anchor.slugify",
                    path,
                    line,
                    decides=frozenset({"anchors"}),
                    respells_headings=True,
                ),
            )
    left, right = js_string(source, "leftDelimiter"), js_string(source, "rightDelimiter")
    if left and right and (left, right) != ("{", "}"):
        # markdown-it-attrs with other delimiters: `### StateTree %{#statetree}%`.
        site.attribute_id = re.compile(
            re.escape(left) + r"[^\n]*?#([\w:.-]+)[^\n]*?" + re.escape(right)
        )
    return site
