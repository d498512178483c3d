"""Stage 3: decide what each link points at, without touching disk or network."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from ._local import Roots, TargetRewrite
from ._models import Category, Classified, Kind, Link, Source
from ._options import Options
from ._patterns import Exclusions
from ._shorteners import is_shortener

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Stand-ins writers leave for "link goes here" (compared case-insensitively).
_STAND_IN_WORDS = frozenset(
    {"todo", "tbd", "tbc", "fixme", "xxx", "placeholder", "url", "link", "...", "…"}
)
_STAND_IN_WHOLE = _STAND_IN_WORDS | {"insert-link-here", "link-here", "url-here", "your-url-here"}
_HOSTLESS = frozenset({"http:", "https:", "http://", "https://", "http:///", "https:///", "//"})
_STAND_IN_HINT = re.compile("|".join(re.escape(w) for w in _STAND_IN_WORDS - {"url", "link"}))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: A template tag a generator's build evaluates (Liquid, Jinja, Go templates, Hugo
#: shortcodes) left in an address: what the address is, only the build knows.
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_TEMPLATE_IN_ADDRESS = "template in the link target: only a build can evaluate it"
_BAD_HOST_CHARS = re.compile(r"[\s<>\"\\^`{|}%]")
_IPV6_LITERAL = re.compile(r"^\[[0-9A-Fa-f:.]+\]$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_URL = re.compile(
    rf"https?://(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?(?=[/?#]|$)",
    re.IGNORECASE,
)


#: Everything a Classified holds but the link itself, in field order.
_Decision = tuple[Category, str | None, str | None, bool, str | None, str | None]


class Classifier:
    """Sorts links into what is checked where; compiled once per run.

    A URL cited a thousand times is decided once: decisions are kept by URL, and, for
    local paths (which depend on the citing article's folder), by URL and article.
    """

    def __init__(
        self,
        options: Options,
        roots: Roots | None = None,
        forbids: Callable[[str], str | None] | None = None,
        script_links: Callable[[str], str | None] | None = None,
    ) -> None:
        self._roots = roots or Roots(options)
        #: The generator (if any) whose build writes an article's `javascript:` links
        #: into its page as written (`Sites.script_links`, by the article's real path).
        self._script_links = script_links
        #: Why a crawl may not request a URL (its site's robots.txt), for --recursive.
        self._forbids = forbids
        self._rewrite = TargetRewrite(options)
        self._excluded = Exclusions(options.exclude, options.include).why
        self._shorteners = frozenset(host.lower() for host in options.shorteners)
        self._cwd = self._roots.cwd
        self._under_cwd = os.path.join(self._cwd, "")
        self._folders: dict[str, str] = {}
        #: Per absolute folder outside the current directory: its relpath, `/`-separated.
        self._shown_folders: dict[str, str] = {}
        self._by_url: dict[tuple[str, bool], _Decision | None] = {}
        self._by_path: dict[tuple[str, str, str | None], _Decision] = {}

    def classify_all(self, links: Iterable[Link], source: Source) -> list[Classified]:
        """Every link of one article (one loop per article: this runs per occurrence)."""
        by_url, by_path, bare, footnote = self._by_url, self._by_path, Kind.BARE, Kind.FOOTNOTE
        rewrite = self._rewrite
        classified = []
        page = (source.path or "").lower().endswith(_PAGE_SUFFIXES)
        for link in links:
            if link.ignored_by is not None:
                reason = f"ignored by the ignore comment on line {link.ignored_by}"
                classified.append(Classified(link, Category.EXCLUDED, None, reason))
                continue
            if page and _script_control(link.url):
                classified.append(Classified(link, Category.SKIPPED, None, SCRIPT_CONTROL))
                continue
            if link.kind is footnote:
                classified.append(_footnote(link))
                continue
            if link.kind is Kind.ATTACHMENT:
                classified.append(_attachment(link))
                continue
            if link.undefined:
                reason = f"reference [{link.label}] has no definition"
                classified.append(Classified(link, Category.UNDEFINED, None, reason))
                continue
            key = (link.url, link.kind is bare)
            try:
                decision = by_url[key]
            except KeyError:
                decision = by_url[key] = self._decide(*key)
            if decision is not None and decision[0] is Category.PLACEHOLDER:
                # A stand-in everywhere, but a script that does something is a control
                # on a site whose renderer keeps it: that depends on the article's site.
                writer = self._script_writer(source) if _runs_code(link.url) else None
                if writer is not None:
                    reason = f"runs a script on the page {writer} builds, not a destination"
                    classified.append(Classified(link, Category.SKIPPED, None, reason))
                    continue
            if decision is None:  # a local path: it depends on where the article is
                # By the source's strings: a frozen dataclass hashes in Python, per call.
                where = (link.url, source.display, source.path)
                try:
                    decision = by_path[where]
                except KeyError:
                    decision = by_path[where] = self._relative(link.url, source)
            if rewrite.changes(link.url):
                classified.append(Classified(link, *decision, remapped=True))
            else:
                classified.append(Classified(link, *decision))
        return classified

    def _script_writer(self, source: Source) -> str | None:
        if self._script_links is None or source.path is None or source.path == "-":
            return None
        return self._script_links(self._roots.real(os.path.abspath(source.path)))

    def _decide(self, written: str, bare: bool) -> _Decision | None:
        """What a destination is, wherever it is written; None for a local path."""
        url = self._rewrite(written.strip())
        if url.startswith("/") and not written.lstrip().startswith("/"):
            return None  # a link to the site itself (--base-url): checked as its files
        stand_in = _placeholder_reason(url)
        if stand_in is not None:
            return (Category.PLACEHOLDER, None, stand_in, False, None, None)
        scheme = _SCHEME.match(url)
        if scheme is None and bare:
            return self._remote(url, "http://" + url)
        if url.startswith("//"):
            return self._remote(url, "https:" + url)
        if scheme is None or _is_windows_drive(url):
            return None
        name = scheme.group(1).lower()
        if name in ("http", "https"):
            if _TEMPLATE_TAG.search(url):
                return (Category.SKIPPED, url, _TEMPLATE_IN_ADDRESS, False, None, None)
            return self._remote(url, url)
        excluded = self._excluded(url)
        if excluded is not None:
            return (Category.EXCLUDED, url, excluded, False, None, None)
        return (Category.SKIPPED, url, f"{name}: links are not checked", False, None, None)

    def _remote(self, written: str, url: str) -> _Decision:
        problem, host = _url_problem(url)
        if problem is not None:
            return (Category.INVALID, None, problem, False, None, None)
        shortlink = is_shortener(host, self._shorteners)
        excluded = self._excluded(written, url)
        if excluded is None and self._forbids is not None:
            excluded = self._forbids(url)
        if excluded is not None:
            return (Category.EXCLUDED, url, excluded, shortlink, None, None)
        fragment = url.partition("#")[2] or None
        return (Category.REMOTE, url, None, shortlink, None, fragment)

    def _relative(self, written: str, source: Source) -> _Decision:
        """A relative destination: a file beside the article, or on a page from the web,
        an address relative to where the page was served from."""
        if source.base is None:
            return self._local(written, source)
        return self._remote(written, urljoin(source.base, written.strip()))

    def _local(self, written: str, source: Source) -> _Decision:
        url = self._rewrite(written.strip())
        excluded = self._excluded(url)
        if excluded is not None:
            return (Category.EXCLUDED, url, excluded, False, None, None)
        if _CONTROL.search(url):
            return (Category.INVALID, None, "path contains control characters", False, None, None)
        rest, _, fragment = url.partition("#")
        path = unquote(rest.partition("?")[0])
        anchor = unquote(fragment) if fragment else None
        if not path:
            # `#section`: an anchor of this very article.
            here = "-" if source.path is None else self._article_of(source)
            target = source.display + (f"#{fragment}" if fragment else "")
            return (Category.LOCAL, target, None, False, here, anchor)
        if path.startswith("/"):
            root = self._roots.site_root(self._roots.real.folder(self._folder_of(source)))
            absolute = os.path.normpath(os.path.join(root, path.lstrip("/")))
        else:
            absolute = os.path.normpath(os.path.join(self._folder_of(source), path))
        target = self._display(absolute) + (f"#{fragment}" if fragment else "")
        return (Category.LOCAL, target, None, False, absolute, anchor)

    def _folder_of(self, source: Source) -> str:
        """The absolute folder of an article, which its relative links start from."""
        base = os.path.dirname(source.path) if source.path else ""
        folder = self._folders.get(base)
        if folder is None:
            folder = self._folders[base] = os.path.normpath(os.path.join(self._cwd, base))
        return folder

    def _article_of(self, source: Source) -> str:
        """The absolute, normalised path of an article (every Classified path is)."""
        assert source.path is not None
        return os.path.join(self._folder_of(source), os.path.basename(source.path))

    def _display(self, absolute: str) -> str:
        """The path relative to the current directory, `/`-separated (SPEC's `target`)."""
        if absolute.startswith(self._under_cwd):  # what relpath would say, 10x faster
            return absolute[len(self._under_cwd) :].replace(os.sep, "/")
        folder, name = os.path.split(absolute)
        if not name or self._under_cwd.startswith(os.path.join(absolute, "")):
            return self._relpath(absolute)  # the current directory or above it
        # Outside the current directory: relpath walks every component of both paths,
        # per target; its folder's answer is the same for every file in it.
        shown = self._shown_folders.get(folder)
        if shown is None:
            shown = self._shown_folders[folder] = self._relpath(folder)
        return name if shown == "." else f"{shown}/{name}"

    def _relpath(self, absolute: str) -> str:
        try:
            relative = os.path.relpath(absolute, self._cwd)
        except ValueError:  # another drive on Windows
            relative = absolute
        return relative.replace(os.sep, "/")


def _footnote(link: Link) -> Classified:
    """A footnote reference is settled by the article itself: its note exists or not."""
    if link.undefined:
        reason = f"footnote [^{link.label}] has no definition"
        return Classified(link, Category.UNDEFINED, None, reason)
    return Classified(link, Category.FOOTNOTE, None)


def _attachment(link: Link) -> Classified:
    """A notebook cell's `attachment:name` is settled by the cell: it holds it or not."""
    if link.undefined:
        reason = f"attachment {link.label!r} is not among the cell's attachments"
        return Classified(link, Category.UNDEFINED, None, reason)
    return Classified(link, Category.FOOTNOTE, None)


def _is_windows_drive(url: str) -> bool:
    return len(url) > 2 and url[1] == ":" and url[0].isalpha() and url[2] in "\\/"


_PAGE_SUFFIXES = (".html", ".htm")
#: In an HTML page, `href="#"` and `href="javascript:…"` are the handles of its scripts
#: (menus, modals, "back" buttons), which work in the browser: no dead end to report.
#: In a markdown article the same destinations are stand-ins (placeholders).
SCRIPT_CONTROL = "a control of the page's scripts (an HTML page), not a destination"


def _script_control(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered in ("#", "#!", "#/") or lowered.startswith("javascript:")


#: What a `javascript:` link runs when it does nothing: a stand-in for a destination.
_NO_OP_SCRIPT = re.compile(
    r"(?:void\s*\(?\s*0\s*\)?|return\s+false|false|true|null|undefined|0)?\s*;?\s*", re.IGNORECASE
)


def _runs_code(url: str) -> bool:
    """A `javascript:` link whose code does something (a site's demo button, a dialog
    opened), not `javascript:void(0)` and the like."""
    stripped = url.strip()
    if stripped[:11].lower() != "javascript:":
        return False
    return _NO_OP_SCRIPT.fullmatch(unquote(stripped[11:]).strip()) is None


def _placeholder_reason(url: str) -> str | None:
    """Why `url` is a stand-in rather than a destination, or None when it is a destination."""
    lowered = url.lower()
    if not url:
        return "empty link target"
    if lowered in ("#", "#!", "#/"):
        return f"link target is only {url!r}"
    if lowered in _HOSTLESS:
        return "URL has no host"
    if lowered.startswith("javascript:"):
        return "javascript: link is not a destination"
    if lowered in ("about:blank", "about:"):
        return f"{url} is not a destination"
    if lowered in _STAND_IN_WHOLE:
        return f"link target is a stand-in ({url!r})"
    try:
        parts = urlsplit(url) if "//" in url and _STAND_IN_HINT.search(lowered) else None
    except ValueError:  # malformed: _url_problem says how
        parts = None
    if parts is not None:
        segments = [*parts.path.split("/"), parts.fragment]
        if any(segment.lower() in _STAND_IN_WORDS - {"url", "link"} for segment in segments):
            return f"link target is a stand-in ({url!r})"
    return None


def _url_problem(url: str) -> tuple[str | None, str]:
    """Why an http(s) URL is malformed (or None), and its host name, lowercase."""
    if _CONTROL.search(url):
        return "URL contains control characters", ""
    plain = _PLAIN_URL.match(url)
    if plain is not None and (plain["port"] is None or 0 < int(plain["port"]) < 65536):
        # Most URLs: a well-formed ASCII host, no user info. urlsplit would agree at 5x the cost.
        return None, plain["host"].lower()
    return _parsed_url_problem(url)


def _parsed_url_problem(url: str) -> tuple[str | None, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"malformed URL ({error})", ""
    netloc = parts.netloc.rpartition("@")[2]
    host = netloc.rsplit(":", 1)[0] if not netloc.endswith("]") else netloc
    return _host_problem(host, port), (parts.hostname or "")


def _host_problem(host: str, port: int | None) -> str | None:
    if not host:
        return "URL has no host name"
    if port == 0:
        return "port 0 is not a valid port"
    if host.startswith("["):
        return None if _IPV6_LITERAL.match(host) else "malformed IPv6 address"
    bad = _BAD_HOST_CHARS.search(host)
    if bad is not None:
        what = "a space" if bad.group().isspace() else repr(bad.group())
        return f"host name contains {what}"
    labels = host.rstrip(".").split(".")
    if any(not label for label in labels):
        return "host name has an empty label"
    if any(len(label) > 63 for label in labels):
        return "host name has a label longer than 63 characters"
    if not host.isascii():
        try:
            host.encode("idna")
        except UnicodeError:
            return "host name is not a valid internationalised domain name"
    return None
