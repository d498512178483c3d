"""Hugo's output formats: the files a page kind's `outputs` write beside its HTML
(`outputs: home: [HTML, LLMS]` with `outputFormats: LLMS: {baseName: llms, mediaType:
text/plain}` writes `/llms.txt`; RSS, on by default for the home page and sections,
writes `index.xml`). Formats and media types come from Hugo's built-in ones, then the
theme's config, then the site's (Hugo merges `outputFormats` and `mediaTypes` from a
theme; `outputs` only from the site)."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from typing import Any

from .._git import work_tree_above
from ._files import read_config, read_text
from ._site import ConfigProblem, Extension, line_of

#: Hugo's built-in output formats (output/outputFormat.go): name → (baseName, media
#: type, path); those whose file is the page itself (HTML) are left out.
_BUILT_IN = {
    "rss": ("index", "application/rss+xml", ""),
    "json": ("index", "application/json", ""),
    "markdown": ("index", "text/markdown", ""),
    "amp": ("index", "text/html", "amp"),
    "calendar": ("index", "text/calendar", ""),
    "csv": ("index", "text/csv", ""),
}
_NOT_FILES = {"html", "robots", "sitemap", "sitemapindex", "css", "webappmanifest"}
#: Built-in media types' first suffix (media/builtin.go).
_SUFFIXES = {
    "text/html": "html",
    "application/rss+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
    "text/markdown": "md",
    "text/calendar": "ics",
    "text/csv": "csv",
    "text/plain": "txt",
    "text/css": "css",
    "text/javascript": "js",
    "application/javascript": "js",
    "application/toml": "toml",
    "application/yaml": "yaml",
}
#: `outputs` by page kind when the site's config says nothing of a kind.
_DEFAULT_OUTPUTS = {
    "home": ("html", "rss"),
    "section": ("html", "rss"),
    "page": ("html",),
    "taxonomy": ("html", "rss"),
    "term": ("html", "rss"),
}
_THEME_CONFIGS = tuple(
    f"{name}.{suffix}" for name in ("hugo", "config") for suffix in ("toml", "yaml", "yml", "json")
)


@dataclass(frozen=True, slots=True)
class OutputFiles:
    """The files each page kind's output formats write in the page's folder
    (`llms.txt`, `_print/index.html`), and the formats linkcheck found no definition
    of (a theme or module it could not read defines them), as extensions."""

    by_kind: dict[str, tuple[str, ...]]
    #: Each unknown format and the page kinds that list it.
    unknown: tuple[tuple[Extension, frozenset[str]], ...]


def output_files(
    data: dict[str, Any], config: str, themes: list[dict[str, Any]], disabled: set[str]
) -> OutputFiles:
    formats: dict[str, dict[str, Any]] = {}
    media: dict[str, str] = dict(_SUFFIXES)
    for layer in (*themes, data):  # the site's over its themes'
        for name, settings in _mapping(layer, "outputFormats").items():
            if isinstance(settings, dict):
                formats[str(name).lower()] = {**formats.get(str(name).lower(), {}), **settings}
        for kind, settings in _mapping(layer, "mediaTypes").items():
            suffixes = settings.get("suffixes") if isinstance(settings, dict) else None
            if isinstance(suffixes, list) and suffixes:
                media[str(kind).lower()] = str(suffixes[0])
    outputs = _mapping(data, "outputs")
    try:
        config_text = read_text(config)
    except OSError:
        config_text = ""
    by_kind: dict[str, tuple[str, ...]] = {}
    unknown: dict[str, Extension] = {}
    kinds: dict[str, set[str]] = {}
    for kind, default in _DEFAULT_OUTPUTS.items():
        named = outputs.get(kind)
        names = [str(n).lower() for n in named] if isinstance(named, list) else list(default)
        files = []
        for name in names:
            if name in disabled:  # `disableKinds: [rss]`
                continue
            settings = formats.get(name)
            if settings is None and name in _BUILT_IN:
                base, media_type, path = _BUILT_IN[name]
                settings = {"baseName": base, "mediaType": media_type, "path": path}
            if settings is None:
                if name not in _NOT_FILES:
                    kinds.setdefault(name, set()).add(kind)
                if name not in _NOT_FILES and name not in unknown:
                    listed = line_of(config_text, r"(?i)^\s*\[?outputs\b")
                    line = line_of(config_text, rf"(?i)\b{re.escape(name)}\b", listed)
                    unknown[name] = Extension(
                        "Hugo output format defined where linkcheck cannot read it",
                        name,
                        config,
                        line,
                        frozenset({"targets"}),
                    )
                continue
            base = _value(settings, "baseName") or "index"
            media_type = (_value(settings, "mediaType") or "text/html").lower()
            suffix = media.get(media_type)
            if suffix is None or (name == "html" and base == "index"):
                continue
            path = (_value(settings, "path") or "").strip("/")
            files.append(f"{path}/{base}.{suffix}" if path else f"{base}.{suffix}")
        by_kind[kind] = tuple(files)
    return OutputFiles(by_kind, tuple((e, frozenset(kinds[n])) for n, e in unknown.items()))


def theme_configs(data: dict[str, Any], root: str) -> list[dict[str, Any]]:
    """The root config of each theme the site names that linkcheck finds: under
    `themesDir` (default `themes/`) beside the site or in a folder above it (up to its
    git work tree, else two folders up), or in such a folder when it is the theme's own
    repository (docsy's `theme: [docsy/theme]`, built with `--themesDir ../..` from
    `docsy.dev/`, is the repository's `theme/`)."""
    named = data.get("theme")
    names = [named] if isinstance(named, str) else named if isinstance(named, list) else []
    themes_dir = data.get("themesDir", data.get("themesdir"))
    top = work_tree_above(root)
    above = [root]
    while len(above) < 3 or (top is not None and above[-1].startswith(top) and above[-1] != top):
        parent = os.path.dirname(above[-1])
        if parent == above[-1] or (top is not None and not parent.startswith(top)):
            break
        above.append(parent)
    found = []
    for name in (n.strip("/") for n in names if isinstance(n, str)):
        parts = name.split("/")
        candidates = [os.path.join(root, themes_dir, *parts)] if isinstance(themes_dir, str) else []
        for folder in above:
            candidates += [os.path.join(folder, "themes", *parts), os.path.join(folder, *parts)]
            if len(parts) > 1:  # the theme's repository checked out under another name
                candidates.append(os.path.join(folder, *parts[1:]))
        for candidate in candidates:
            if os.path.normpath(candidate) == os.path.normpath(root):
                continue
            file = next((n for n in _THEME_CONFIGS if _is_file(candidate, n)), None)
            if file is None:
                continue
            # A theme config that cannot be read: its formats stay unknown.
            with contextlib.suppress(ConfigProblem):
                found.append(read_config(os.path.join(candidate, file)))
            break
    return found


def _is_file(folder: str, name: str) -> bool:
    return os.path.isfile(os.path.join(folder, name))


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, data.get(key.lower()))
    return value if isinstance(value, dict) else {}


def _value(settings: dict[str, Any], key: str) -> str | None:
    value = settings.get(key, settings.get(key.lower()))
    return value if isinstance(value, str) else None
