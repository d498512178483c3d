"""Templates are not articles: a walk skips a generator's layouts, includes and themes,
and HTML files whose markup is template syntax.

A template's links are the build's to fill in (`href="{{ page.url }}"`,
`{% link x.md %}`): read as an article, every one of them would be a false alarm, and
every link the template does write is checked where the built pages or the articles
use it. The folders are each generator's documented template locations, found by the
generator's config file in the folder that holds them (cheap: the walk lists every
folder anyway, and no config is parsed except MkDocs' `custom_dir`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from ._regular import NotRegularFile, open_regular

#: A generator's config file (any one of them) -> its template folders, relative to
#: the folder the config is in. Hugo's `config.toml` is a common name: it counts only
#: beside a folder Hugo alone has (`_HUGO_FOLDERS`).
_TEMPLATE_FOLDERS: dict[str, tuple[str, ...]] = {
    # Jekyll: layouts and includes (Liquid); a theme gem's copies live outside the repo.
    "_config.yml": ("_layouts", "_includes"),
    "_config.yaml": ("_layouts", "_includes"),
    "_config.toml": ("_layouts", "_includes"),
    # Hugo: layouts (Go templates), themes (each with its own layouts and partials),
    # archetypes (the templates `hugo new` fills in).
    "hugo.toml": ("layouts", "themes", "archetypes"),
    "hugo.yaml": ("layouts", "themes", "archetypes"),
    "hugo.json": ("layouts", "themes", "archetypes"),
    "config.toml": ("layouts", "themes", "archetypes"),
    "config.yaml": ("layouts", "themes", "archetypes"),
    "config.json": ("layouts", "themes", "archetypes"),
    # A Hugo theme's own repository.
    "theme.toml": ("layouts", "archetypes"),
    # MkDocs: the conventional `overrides` (plus `theme.custom_dir`, read below).
    "mkdocs.yml": ("overrides",),
    "mkdocs.yaml": ("overrides",),
    # Docusaurus: swizzled theme components.
    "docusaurus.config.js": ("src/theme",),
    "docusaurus.config.ts": ("src/theme",),
    "docusaurus.config.mjs": ("src/theme",),
    "docusaurus.config.cjs": ("src/theme",),
    # mdBook: the HTML renderer's theme (index.hbs, head.hbs…).
    "book.toml": ("theme",),
    # Sphinx: Jinja templates overriding the theme's.
    "conf.py": ("_templates",),
    # Eleventy: layouts and includes (Nunjucks, Liquid…).
    ".eleventy.js": ("_includes", "_layouts"),
    "eleventy.config.js": ("_includes", "_layouts"),
    "eleventy.config.mjs": ("_includes", "_layouts"),
    "eleventy.config.cjs": ("_includes", "_layouts"),
}
_HUGO_CONFIGS = frozenset({"config.toml", "config.yaml", "config.json"})
_HUGO_FOLDERS = frozenset({"content", "archetypes"})
_CUSTOM_DIR = re.compile(r"""^\s+custom_dir\s*:\s*["']?([^"'\s#]+)""", re.MULTILINE)


class TemplateFolders:
    """The template folders of the generators whose configs a walk has passed."""

    def __init__(self) -> None:
        self._folders: set[str] = set()

    def enter(self, directory: str, entries: Iterable[tuple[str, bool]]) -> None:
        """Note the template folders of a generator configured in `directory`, given
        its (name, is a folder) entries."""
        listed = list(entries)
        folders = {name for name, folder in listed if folder}
        for name, folder in listed:
            if folder or name not in _TEMPLATE_FOLDERS:
                continue
            if name in _HUGO_CONFIGS and not folders & _HUGO_FOLDERS:
                continue
            if name == "conf.py" and "_templates" not in folders:
                continue
            for relative in _TEMPLATE_FOLDERS[name]:
                self._folders.add(os.path.normpath(os.path.join(directory, relative)))
            if name.startswith("mkdocs."):
                custom = _custom_dir(os.path.join(directory, name))
                if custom is not None:
                    self._folders.add(os.path.normpath(os.path.join(directory, custom)))
        hugo_config_folder = os.path.join(directory, "config", "_default")
        if "config" in folders and folders & _HUGO_FOLDERS and os.path.isdir(hugo_config_folder):
            for relative in _TEMPLATE_FOLDERS["hugo.toml"]:
                self._folders.add(os.path.normpath(os.path.join(directory, relative)))

    def holds(self, folder: str) -> bool:
        return os.path.normpath(folder) in self._folders


def _custom_dir(config: str) -> str | None:
    """MkDocs' `theme: custom_dir:` (a folder of template overrides beside mkdocs.yml),
    found without parsing the YAML (its `!!python/name` tags need MkDocs itself)."""
    try:
        with open(config, encoding="utf-8", errors="replace") as file:
            text = file.read(256 * 1024)
    except OSError:
        return None
    match = _CUSTOM_DIR.search(text)
    return match.group(1) if match else None


#: What a template engine reads and the built page would not contain: Liquid, Jinja,
#: Nunjucks, Go templates and Handlebars (`{{ … }}`, `{% … %}`), ERB/EJS (`<% … %>`), and
#: the `%PUBLIC_URL%` placeholders Create React App and HtmlWebpackPlugin fill in (an
#: underscore in the name, so that a percent-encoded byte such as `%FF%` is never one).
_TEMPLATE_TAG = re.compile(
    r"\{\{.{0,200}?\}\}|\{%.{0,200}?%\}|<%.{0,200}?%>|%[A-Z][A-Z0-9]*_[A-Z0-9_]+%", re.DOTALL
)
#: A link whose whole address is a dev server's placeholder (`href="{__VITEST_FAVICON__}"`,
#: which vitest's browser server fills in; `src="%PUBLIC_URL%"`): one makes a template,
#: since no page is ever served with it.
_PLACEHOLDER_ADDRESS = re.compile(
    r"""\b(?:href|src)\s*=\s*(["'])\s*(?:\{__[A-Z][A-Z0-9_]*__\}|%[A-Z][A-Z0-9]*_[A-Z0-9_]+%)"""
)
#: Where a built page shows template syntax as text: code, scripts, comments.
_SHOWN = re.compile(
    r"<(pre|code|script|style|textarea|template)\b.*?</\1\s*>|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
#: Template tags outside code that make an HTML file a template: more than a stray one
#: in prose (a page about templates may quote one outside a code element).
TEMPLATE_TAGS = 2
_READ = 256 * 1024


def full_of_template_syntax(path: str) -> bool:
    """Whether the HTML file at `path` is a template rather than a page: its first
    256 KiB hold template tags outside code, scripts and comments."""
    try:
        with open_regular(path) as file:  # never blocks on a FIFO
            head = file.read(_READ)
    except (OSError, NotRegularFile):
        return False  # read (and reported) as an article
    text = head.decode("utf-8", errors="replace")
    if "{{" not in text and "{%" not in text and "<%" not in text and "_" not in text:
        return False
    visible = _SHOWN.sub(" ", text)
    if _PLACEHOLDER_ADDRESS.search(visible):
        return True
    for count, _ in enumerate(_TEMPLATE_TAG.finditer(visible), start=1):
        if count >= TEMPLATE_TAGS:
            return True
    return False
