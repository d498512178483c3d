"""Jekyll (and GitHub Pages): `_config.yml`; pages anywhere outside `_` folders (and in
those `include:` names), posts in `_posts` with date permalinks, collections with
`output: true`; `permalink` global, per collection, per page and by `defaults:` scope;
`baseurl`; Liquid in link targets (`{{ site.baseurl }}`, `{% link %}`, `{% post_url %}`)."""

from __future__ import annotations

import glob
import os
import posixpath
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from fnmatch import fnmatch
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .._extract import Dialect
from .._regular import open_regular
from ._files import (
    attribute_ids,
    folder_setting,
    front_matter,
    read_config,
    read_text,
    text,
)
from ._site import PAGE_SUFFIXES, AnchorsOf, Site
from .mkdocs import mount_of

CONFIG_FILES = ("_config.yml", "_config.yaml")
_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.M)
_POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
_PLACEHOLDER = re.compile(r":(output_ext|[a-z_]+)")
_DEFAULT_EXCLUDE = ("Gemfile", "Gemfile.lock", "node_modules", "vendor")
_BASEURL = re.compile(r"\{\{-?\s*(site\.baseurl|site\.url)\s*-?\}\}")
_LINK_TAG = re.compile(r"\{%-?\s*(link|post_url)\s+(\S+)\s*-?%\}")
#: A reference definition whose label Liquid writes (`[#{{ issue }}]: …` in a loop).
_TEMPLATED_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]*(?:\{\{|\{%)[^\]\n]*\]:", re.MULTILINE)
#: `{{ "/x/" | relative_url }}`, `absolute_url`, `prepend: site.baseurl`: the site's path.
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(["'])([^"']*)\1\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*-?\}\}"""
)


#: A document's placeholder values and the permalink template they fill.
_Permalink = tuple[dict[str, str], str]


class Jekyll(Site):
    name = "jekyll"
    script_links = True
    dialect: Dialect = "jekyll"

    def __init__(self, config: str, root: str, source: str, mount: str) -> None:
        super().__init__(config, root, source, mount)
        self.permalink = _STYLES["date"]
        self.collections: dict[str, str | None] = {}  # folder name → permalink, output only
        self.hidden_collections: set[str] = set()
        self.exclude: tuple[str, ...] = _DEFAULT_EXCLUDE
        self.include: tuple[str, ...] = ()
        self.collections_dir = ""
        #: The jekyll-redirect-from plugin: front matter `redirect_from` URLs are pages.
        self.redirect_from = False
        self._templated: dict[str, bool] = {}  # article → has a Liquid-written definition
        #: The `timezone` a post's dated URL is written in: Jekyll converts a front matter
        #: date with an offset into it; without one, the builder's own zone, UTC on
        #: GitHub Pages and in CI, is taken.
        self.timezone: tzinfo = UTC
        #: `defaults:` — (scope path, scope type or None, permalink), least specific first.
        self.default_permalinks: list[tuple[str, str | None, str]] = []

    def extra_anchors(self, path: str, anchors_of: AnchorsOf) -> frozenset[str]:
        """kramdown's inline attribute lists give any element an id (`{: #id}`), and
        its footnotes `#fn:LABEL` (the note) and `#fnref:LABEL` (the reference)."""
        try:
            page = read_text(path) if path.lower().endswith(PAGE_SUFFIXES) else ""
        except OSError:
            page = ""
        notes = {f"{kind}:{label}" for label in _FOOTNOTE.findall(page) for kind in ("fn", "fnref")}
        return attribute_ids(path) | notes

    def pages(self) -> dict[str, str]:
        fresh = self._pages is None
        pages = super().pages()
        for path in list(pages.values()) if fresh and self.redirect_from else ():
            moved = front_matter(path).get("redirect_from")
            for url in _list([moved] if isinstance(moved, str) else moved):
                pages.setdefault(self._key("/" + url.lstrip("/")), path)
        return pages

    def undefined_reference(self, label: str, article: str) -> str | None:
        """A definition Liquid writes (`[#{{ issue }}]: …` in a `{% for %}` loop) may
        define any label: only a build knows which."""
        if article not in self._templated:
            try:
                found = _TEMPLATED_DEFINITION.search(read_text(article)) is not None
            except OSError:
                found = False
            self._templated[article] = found
        if self._templated[article]:
            return f"[{label}] may be defined by a Liquid-written definition: only a build knows"
        return super().undefined_reference(label, article)

    def _pretty(self) -> bool:
        return self.permalink.endswith("/")

    def page_url(self, relative: str, path: str) -> str | None:
        stem, dot, suffix = relative.rpartition(".")
        parts = relative.split("/")
        # A collection file with front matter is a document whatever its format
        # (choosealicense's `_licenses/mit.txt` is /licenses/mit/); without, static.
        if (not dot or "." + suffix.lower() not in PAGE_SUFFIXES) and (
            not dot or self._collection_of(parts) is None or not _has_front_matter(path)
        ):
            return None
        front = front_matter(path)
        folder, name = posixpath.split(stem)
        collection = self._collection_of(parts)
        kind = "posts" if "_posts" in parts else collection[0] if collection else "pages"
        scoped = self._scoped(relative, kind)  # a document's path as `defaults:` see it
        own = text(front.get("permalink")) or self._default_permalink(scoped, kind)
        if "_posts" in parts:
            found = self._post(parts, name, front, own)
        elif collection is not None:
            found = self._document(collection, name, front, own)
        else:
            found = self._page(parts, folder, name, own)
        if found is None:
            return None  # Jekyll builds no page of it
        values, template = found
        values = {"output_ext": ".html", "basename": name, "name": name} | values
        url = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
        return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")

    def _scoped(self, relative: str, kind: str) -> str:
        base = self.collections_dir.strip("/")
        if kind != "pages" and base and relative.startswith(base + "/"):
            return relative[len(base) + 1 :]
        return relative

    def _post(
        self, parts: list[str], name: str, front: dict[str, Any], own: str | None
    ) -> _Permalink | None:
        """A post's placeholders (its date and title from its name) and permalink."""
        dated = _POST_NAME.match(name)
        if dated is None:
            return None  # Jekyll skips a post whose name has no date
        year, month, day, title = dated.groups()
        # The front matter's `date` (when Ruby would read it) is the post's date, its
        # time converted to the site's `timezone` (Utils.parse_date: `.localtime`).
        when = _post_date(front.get("date"), self.timezone)
        if when is not None:
            year, month, day = str(when.year).zfill(4), str(when.month), str(when.day)
        above = parts[: parts.index("_posts")]
        values = {
            "year": year,
            "month": month.zfill(2),
            "day": day.zfill(2),
            "i_month": str(int(month)),
            "i_day": str(int(day)),
            "short_year": year[2:],
            "title": text(front.get("slug")) or title,
            "slug": text(front.get("slug")) or title,
            "categories": "/".join([*above, *_categories(front)]),
        }
        # `collections: posts: permalink:` is the posts' own, over the site's.
        return values, own or self.collections.get("posts") or self.permalink

    def _document(
        self, collection: tuple[str, str], name: str, front: dict[str, Any], own: str | None
    ) -> _Permalink | None:
        """A collection document's placeholders and permalink (none if not output)."""
        label, inside = collection
        if label in self.hidden_collections:
            return None
        values = {
            "collection": label,
            "path": inside.rpartition(".")[0],
            "title": text(front.get("slug")) or name,
            "slug": text(front.get("slug")) or name,
        }
        default = "/:collection/:path" + ("/" if self._pretty() else ":output_ext")
        return values, own or self.collections[label] or default

    def _page(self, parts: list[str], folder: str, name: str, own: str | None) -> _Permalink | None:
        """A page's placeholders and permalink (none for `_layouts` and the like, and
        for what `exclude` leaves out); an index or README is its folder's page."""
        hidden = any(p.startswith("_") for p in parts[:-1]) or parts[-1].startswith("_")
        if (hidden and not self._included(parts)) or self._excluded(parts):
            return None  # _layouts, _includes, _data…: not pages, unless `include:`d
        if own is None and name.lower() in ("index", "readme"):
            return {"path": folder}, "/:path/"
        default = "/:path/:basename" + ("/" if self._pretty() else ":output_ext")
        return {"path": folder}, own or default

    def _default_permalink(self, relative: str, kind: str) -> str | None:
        """The `permalink` that `defaults:` gives a document: of the scopes that match
        its path (a prefix, or a glob) and its type (pages, posts, a collection's
        label), the most specific — the longest path, then one naming a type — wins,
        as Jekyll merges them."""
        found = None
        for scope, scope_type, permalink in self.default_permalinks:
            if scope_type is not None and scope_type != kind:
                continue
            # Jekyll's own test: a plain prefix (`doc` covers `docs/`), a glob expanded.
            if "*" in scope:
                if not (fnmatch(relative, scope) or fnmatch(relative, scope + "/*")):
                    continue
            elif not relative.startswith(scope):
                continue
            found = permalink
        return None if found is None else _STYLES.get(found, found)

    def _collection_of(self, parts: list[str]) -> tuple[str, str] | None:
        prefix = [p for p in self.collections_dir.split("/") if p]
        if parts[: len(prefix)] != prefix or len(parts) <= len(prefix) + 1:
            return None
        folder = parts[len(prefix)]
        label = folder[1:] if folder.startswith("_") else None
        if label is None or label == "posts":
            return None
        if label in self.collections or label in self.hidden_collections:
            return label, "/".join(parts[len(prefix) + 1 :])
        return None

    def _included(self, parts: list[str]) -> bool:
        """Jekyll's `include`: names or globs that are built although they start with
        `_` or `.` (`include: [_pages]`); only the first folder can be named."""
        return any(fnmatch(parts[0], pattern) for pattern in self.include)

    def _excluded(self, parts: list[str]) -> bool:
        """Jekyll's `exclude` (names or globs, matched against the path from the source)."""
        return any(
            fnmatch("/".join(parts[: i + 1]), pattern)
            for pattern in self.exclude
            for i in range(len(parts))
        )

    def copies(self, relative: str) -> bool:
        """Jekyll's EntryFilter: a file or folder whose name starts with `.`, `_`, `#` or
        `~`, or ends with `~`, is not copied into the site (`.github/`, `_data/`), nor
        what `exclude` names, unless `include` names it (`.htaccess` by default)."""
        parts = relative.split("/")
        if self._excluded(parts) and not self._included(parts):
            return False
        collection = self._collection_of(parts)
        if collection is not None and collection[0] in self.collections:
            return True  # an output collection's files are written at its URLs
        for depth, part in enumerate(parts):
            special = part[:1] in (".", "_", "#", "~") or part.endswith("~")
            named = "/".join(parts[: depth + 1])
            included = any(
                fnmatch(part, pattern) or fnmatch(named, pattern)
                for pattern in (*self.include, ".htaccess")
            )
            if special and not included:
                return False
        return True

    def governs(self, path: str) -> bool:
        """Pages, posts and collection documents; not what `exclude` leaves out of the
        site (a README.md read on GitHub) nor `_layouts`, `_includes`…, whose links
        resolve from the pages that include them."""
        if not super().governs(path):
            return False
        parts = os.path.relpath(path, self.source).replace(os.sep, "/").split("/")
        if self._excluded(parts):
            return False
        folders = parts[:-1]
        underscored = [p for p in folders if p.startswith("_")]
        if not underscored or self._included(parts):
            return True
        return "_posts" in folders or self._collection_of(parts) is not None

    def walk(self) -> Iterator[tuple[str, str]]:
        for relative, path in super().walk():
            if not self._excluded(relative.split("/")):
                yield relative, path
        for label in self.collections:  # documents in other formats (`.txt`, `.json`…)
            folder = os.path.join(self.source, *self.collections_dir.split("/"), "_" + label)
            for current, _, files in os.walk(folder):
                for name in files:
                    path = os.path.join(current, name)
                    relative = os.path.relpath(path, self.source).replace(os.sep, "/")
                    if not name.lower().endswith(PAGE_SUFFIXES) and _has_front_matter(path):
                        yield relative, path

    def rewrite(self, url: str, article: str = "") -> str | None:
        """The link with Liquid's `{{ site.baseurl }}` put in; None when other Liquid is
        left, which only the build can evaluate."""
        base = self.mount.rstrip("/")
        url = _BASEURL.sub(lambda m: base if m.group(1) == "site.baseurl" else "", url)
        url = _URL_FILTER.sub(lambda m: base + "/" + m.group(2).lstrip("/"), url)
        tag = _LINK_TAG.search(url)
        # `{{ site.baseurl }}{% link x.md %}` (Jekyll 3) is the page's URL, like the tag
        # alone (which includes the base URL since Jekyll 4).
        if tag is not None and url[: tag.start()] in ("", base):
            kind, target = tag.groups()
            found = self._tag_target(kind, target.strip("'\""))
            rest = url[tag.end() :]
            return None if found is None or "{{" in rest or "{%" in rest else found + rest
        if "{{" in url or "{%" in url:
            return None
        return url

    def _tag_target(self, kind: str, target: str) -> str | None:
        if kind == "link":
            path = os.path.join(self.source, *target.split("/"))
            return self.url_of(path) if os.path.isfile(path) else "/" + target
        posts = glob.glob(
            os.path.join(glob.escape(self.source), "**", "_posts", glob.escape(target) + ".*"),
            recursive=True,
        )
        return self.url_of(posts[0]) if posts else "/_posts/" + target


#: The dates Ruby's Time.parse reads as Jekyll's posts write them: a day, an optional
#: time, an optional offset (`2013-05-06 02:12:52 +0200`, `…T…Z`).
_DATE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$"
)


def _post_date(value: Any, zone: tzinfo) -> date | None:
    """The day of a post's front matter `date` in `zone`; None when there is no date
    linkcheck can read (the file name's date stands, as Jekyll's does without one)."""
    if isinstance(value, datetime):
        return value.astimezone(zone) if value.tzinfo is not None else value
    if isinstance(value, date):
        return value
    found = _DATE.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    year, month, day, hour, minute, second, offset = found.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        when = when.replace(second=int(second or 0))
    except ValueError:
        return None
    if not offset:
        return when  # local time: the builder's zone, which is the site's
    if offset == "Z":
        return when.replace(tzinfo=UTC).astimezone(zone)
    digits = offset[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    shift = timedelta(minutes=minutes if offset[0] == "+" else -minutes)
    return when.replace(tzinfo=timezone(shift)).astimezone(zone)


def _zone(name: Any) -> tzinfo:
    """The site's `timezone` (an IANA name); UTC when it names none linkcheck knows."""
    try:
        return ZoneInfo(name) if isinstance(name, str) else UTC
    except (ValueError, ZoneInfoNotFoundError):
        return UTC


def _categories(front: dict[str, Any]) -> list[str]:
    raw = front.get("categories", front.get("category"))
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, list):
        return [str(c) for c in raw]
    return []


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def load(config: str) -> Jekyll:
    data = read_config(config)
    root = os.path.dirname(config)
    source = folder_setting(data, "source", ".", config)
    site = Jekyll(config, root, source, mount_of(text(data.get("baseurl")) or "/"))
    permalink = data.get("permalink")
    if isinstance(permalink, str):
        site.permalink = _STYLES.get(permalink, permalink)
    site.collections_dir = text(data.get("collections_dir")) or ""
    site.timezone = _zone(data.get("timezone"))
    collections = data.get("collections", {})
    if isinstance(collections, list):
        site.hidden_collections = {str(c) for c in collections}
    elif isinstance(collections, dict):
        for label, settings in collections.items():
            settings = settings if isinstance(settings, dict) else {}
            if settings.get("output") is True or label == "posts":  # posts are always built
                site.collections[str(label)] = text(settings.get("permalink"))
            else:
                site.hidden_collections.add(str(label))
    site.default_permalinks = _default_permalinks(data.get("defaults"), site.collections_dir)
    plugins = [*_list(data.get("plugins")), *_list(data.get("gems"))]
    site.redirect_from = "jekyll-redirect-from" in plugins
    include = data.get("include")
    if isinstance(include, list):
        site.include = tuple(str(i).strip("/") for i in include)
    exclude = data.get("exclude")
    if isinstance(exclude, list):
        site.exclude = tuple(str(e).strip("/") for e in exclude) + _DEFAULT_EXCLUDE
    return site


def _default_permalinks(defaults: Any, collections_dir: str) -> list[tuple[str, str | None, str]]:
    """`defaults:` entries that set a permalink, ordered as Jekyll applies them: by the
    length of their scope's path, a scope naming a type after one that does not."""
    found = []
    for entry in defaults if isinstance(defaults, list) else []:
        if not isinstance(entry, dict):
            continue
        scope, values = entry.get("scope"), entry.get("values")
        scope = scope if isinstance(scope, dict) else {}
        permalink = text(values.get("permalink")) if isinstance(values, dict) else None
        if permalink is None:
            continue
        path = (text(scope.get("path")) or "").strip("/")
        if collections_dir and path.startswith(collections_dir.strip("/") + "/"):
            path = path[len(collections_dir.strip("/")) + 1 :]  # as Jekyll strips it
        kind = text(scope.get("type"))
        found.append((path, kind, permalink))
    return sorted(found, key=lambda d: (len(d[0]), d[1] is not None))


def _has_front_matter(path: str) -> bool:
    """Whether a file starts with YAML front matter (`---`): Jekyll renders it."""
    try:
        with open_regular(path) as file:  # a FIFO would hang the run
            head = file.read(16).removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return False
    return re.match(rb"---[ \t]*\r?\n", head) is not None
