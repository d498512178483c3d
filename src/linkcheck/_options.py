"""All settings of a run in one frozen value.

A config key is the long option's name with underscores (SPEC); `_config.py` loads
them from files and the CLI, this module only says what they are.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, get_args

from ._models import DEFAULT_FAIL_ON, DateOrder, FixPreserved, Generator, Status
from ._patterns import PatternError, user_pattern, user_substitution
from ._shard import Shard

#: Fields that hold regexes: each must compile with RE2, the engine that runs them.
REGEX_FIELDS = frozenset({"exclude", "include"})
FIX_PRESERVED_STYLES: tuple[FixPreserved, ...] = get_args(FixPreserved)
#: Whole-number fields' least values (0 for the others).
MINIMUM = {
    "max_concurrency": 1,
    "max_per_host": 1,
    "max_file_size": 1,
    "flaky_threshold": 1,
    "max_pages": 1,
}


@dataclass(frozen=True, slots=True)
class HostRule:
    """Per-host settings (`[[hosts]]` in config)."""

    #: `host`, `host:port`, or `*.domain` (which also matches `domain` itself).
    match: str
    headers: tuple[tuple[str, str], ...] = ()
    max_concurrency: int | None = None
    #: Minimum seconds between two requests to this host.
    interval: float | None = None
    #: Environment variables its headers use (`${VAR}`) that were not set: its hosts are
    #: not asked at all (`unverified`, naming them), and a run that never asks them, or
    #: `--offline`, does not need them.
    unset: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Options:
    # --- what to read
    exclude_path: tuple[str, ...] = ()  # glob patterns of files/dirs not to read
    root_dir: str | None = None  # where root-relative links (/docs/a.md) start
    max_file_size: int = 20 * 1024 * 1024  # bytes; larger files are reported, not read
    # --- what to check
    offline: bool = False
    exclude: tuple[str, ...] = ()  # regexes on the URL as written and on the target
    include: tuple[str, ...] = ()  # regexes that win over `exclude`
    shorteners: tuple[str, ...] = ()  # extra shortener hosts, added to the built-in list
    exclude_private: bool = False
    check_fragments: bool = False
    # --- how to check over HTTP
    timeout: float = 20.0
    max_concurrency: int = 64
    max_per_host: int = 8
    host_interval: float = 0.0  # minimum seconds between requests to one host
    retries: int = 2
    retry_backoff: float = 0.5  # seconds before the first retry, doubling after
    max_retry_wait: float = 60.0
    max_redirects: int = 20  # as browsers: Chrome and Firefox follow 20
    accept: tuple[tuple[int, int], ...] = ((200, 299),)  # inclusive ranges
    user_agent: str | None = None  # None: "linkcheck/<version>"
    headers: tuple[tuple[str, str], ...] = ()
    hosts: tuple[HostRule, ...] = ()
    #: Certificates not verified at all (lychee's --insecure): for a test site with a
    #: self-signed certificate; the CLI warns once. A fix to prefer: `ca_cert`.
    insecure: bool = False
    #: A PEM file of CA certificates trusted besides the system's (and SSL_CERT_FILE's).
    ca_cert: str | None = None
    #: A cookies.txt (curl's, Netscape's format): its cookies sent to their domains, and
    #: what the sites set written back after the run (lychee's --cookie-jar).
    cookie_jar: str | None = None
    # --- across runs
    cache_path: str | None = None  # SQLite result cache; the CLI's default: .linkcheck/cache.db
    cache_max_age: float = 86400.0  # seconds a working result is reused
    cache_failures: bool = False  # reuse failures too, instead of rechecking them every run
    flaky_threshold: int = 3  # failed checks in a row before a link that worked fails the run
    changed_since: str | None = None  # a git ref: only articles changed since it
    # --- citation rescue
    soft_404: bool = False  # probe a random sibling of each working page (Bar-Yossef 2004)
    archive: bool = False  # look up an archived copy of every dead remote target
    archive_url: str = "https://archive.org"  # the Wayback Machine, or a mirror
    archive_interval: float = 1.0  # seconds between two requests to the archive
    article_date: str | None = None  # YYYY-MM-DD: the date of every article checked
    date_order: DateOrder = "dmy"  # how to read an ambiguous 03/04/2015: dmy or mdy
    # --- citation integrity (#24): drift and preservation, docs/citations.md
    drift: bool = False  # compare each working citation with its snapshot before the date
    drift_threshold: float = 0.65  # drift is a similarity below this (measured, citations.md)
    preserve: bool = False  # ask Save Page Now to capture working citations with no copy
    preserve_interval: float | None = None  # between captures; None: 9 s with keys, 20 s without
    preserve_wait: float = 120.0  # seconds one capture job is polled before it is given up
    fix_drift: bool = False  # with --fix: point a drifted citation at its snapshot
    fix_preserved: FixPreserved = (
        "none"  # with --fix: write the copy beside it: none, link, robust-links
    )
    #: Save Page Now 2 keys; the CLI reads IA_S3_ACCESS_KEY/IA_S3_SECRET_KEY, never a flag.
    ia_access_key: str | None = field(default=None, repr=False)
    ia_secret_key: str | None = field(default=None, repr=False)
    # --- how to report
    fail_on: frozenset[Status] = field(default=DEFAULT_FAIL_ON)
    strict: bool = False  # `unverified` fails the run too (CI that must prove every link)
    # --- discovery, local targets and site generators
    hidden: bool = False  # also walk dot-folders and dot-files
    no_ignore: bool = False  # also walk what .gitignore and .git/info/exclude ignore
    generator: Generator = "auto"  # auto, github, or one of the SiteGenerator names
    remap: tuple[tuple[str, str], ...] = ()  # (regex, replacement), applied in order to targets
    fallback_extensions: tuple[str, ...] = ()  # tried in order on a missing local file
    index_files: tuple[str, ...] = ()  # a linked folder needs one of these (none: any folder)
    base_url: str | None = None  # where the site lives: links to it are checked as local files
    #: The extensions a walk takes (without the dot); None: every article format's
    #: (md, markdown, mdx, txt, html, htm, rst, adoc, asciidoc, ipynb; SPEC "More inputs").
    extensions: tuple[str, ...] | None = None
    #: The generator's built output (--site DIR): local links of the articles it built
    #: are judged against the HTML the build produced (SPEC "Certain or silent").
    site: str | None = None
    # --- pages on the web as articles (a URL given as PATH)
    recursive: bool = False  # crawl each URL's site (its origin and path prefix)
    max_depth: int | None = None  # links followed from a start page; None: no limit
    max_pages: int = 1000  # pages a crawl reads at most: a bound against endless sites
    ignore_robots: bool = False  # crawl what robots.txt forbids (your own site, say)
    # --- splitting the work over CI jobs
    shard: Shard | None = None  # check only this shard's hosts (--shard I/N)
    # --- network environment (#12, #17)
    no_proxy_env: bool = False  # ignore HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY
    #: Sent as `Authorization: Bearer …` to `github_hosts` only; the CLI reads GITHUB_TOKEN.
    github_token: str | None = field(default=None, repr=False)
    github_hosts: tuple[str, ...] = ("github.com", "api.github.com")

    @property
    def failing(self) -> frozenset[Status]:
        """The statuses that fail the run: `fail_on`, and `unverified` under --strict."""
        return self.fail_on | {Status.UNVERIFIED} if self.strict else self.fail_on

    def __post_init__(self) -> None:
        # A library user's `Options(exclude="gone")` would otherwise exclude every URL
        # with a g, o, n or e in it: a wrong type is an error naming the field.
        for spec in fields(self):
            _check(spec.name, _hints()[spec.name], getattr(self, spec.name))


class _Mismatch(Exception):
    pass


@cache
def _hints() -> dict[str, Any]:
    return typing.get_type_hints(Options)


def _check(name: str, hint: Any, value: Any) -> None:
    try:
        _conforms(hint, value)
    except _Mismatch:
        raise ValueError(f"Options.{name}: {value!r} is not a {_shown(hint)}") from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or value < MINIMUM.get(name, 0):
            raise ValueError(f"Options.{name}: {value!r} must be ≥ {MINIMUM.get(name, 0)}")
        if name == "timeout" and value == 0:
            raise ValueError("Options.timeout: must be more than 0")
        if name == "drift_threshold" and value > 1:
            raise ValueError("Options.drift_threshold: must be between 0 and 1")
    if name in REGEX_FIELDS:
        for pattern in value:
            try:
                user_pattern(pattern)
            except PatternError as error:
                raise PatternError(f"Options.{name}: bad regex {pattern!r}: {error}") from None
    if name == "remap":
        for pattern, replacement in value:
            try:
                user_substitution(pattern, replacement)
            except PatternError as error:
                raise PatternError(f"Options.remap: bad regex {pattern!r}: {error}") from None


def _conforms(hint: Any, value: Any) -> None:
    """Raise _Mismatch unless `value` is of the type `hint` describes."""
    generic = _GENERICS.get(typing.get_origin(hint))
    if generic is not None:
        generic(typing.get_args(hint), value)
    elif not _is_plain(hint, value):
        raise _Mismatch


def _is_plain(hint: Any, value: Any) -> bool:
    """`value` is a `hint` that is no generic: None, a number (a bool is none), a class."""
    if hint is type(None):
        return value is None
    if hint is float or hint is int:
        numbers = int | float if hint is float else int
        return isinstance(value, numbers) and not isinstance(value, bool)
    return not isinstance(hint, type) or isinstance(value, hint)


def _union(options: tuple[Any, ...], value: Any) -> None:
    for option in options:
        try:
            return _conforms(option, value)
        except _Mismatch:
            continue
    raise _Mismatch


def _literal(allowed: tuple[Any, ...], value: Any) -> None:
    if value not in allowed:
        raise _Mismatch


def _tuple(items: tuple[Any, ...], value: Any) -> None:
    """`tuple[X, ...]` (any length) or `tuple[X, Y]` (exactly these)."""
    if not isinstance(value, tuple):
        raise _Mismatch
    if len(items) == 2 and items[1] is Ellipsis:
        items = (items[0],) * len(value)
    if len(items) != len(value):
        raise _Mismatch
    for item_hint, item in zip(items, value, strict=True):
        _conforms(item_hint, item)


def _frozenset(items: tuple[Any, ...], value: Any) -> None:
    if not isinstance(value, frozenset):
        raise _Mismatch
    for item in value:
        _conforms(items[0], item)


#: How each generic type of an Options field is checked, by its origin.
_GENERICS: dict[Any, Callable[[tuple[Any, ...], Any], None]] = {
    types.UnionType: _union,
    typing.Union: _union,
    typing.Literal: _literal,
    tuple: _tuple,
    frozenset: _frozenset,
}


def _shown(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__name__
    return (
        str(hint)
        .replace("typing.", "")
        .replace("linkcheck._models.", "")
        .replace("linkcheck._options.", "")
    )
