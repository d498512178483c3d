"""All settings of a run in one frozen value.

A config key is the long option's name with underscores (SPEC); `_config.py` loads
them from files and the CLI, this module only says what they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._models import DEFAULT_FAIL_ON, Status


@dataclass(frozen=True, slots=True)
class HostRule:
    """Per-host settings (`[[hosts]]` in config)."""

    #: `host`, `host:port`, or `*.domain` (which also matches `domain` itself).
    match: str
    headers: tuple[tuple[str, str], ...] = ()
    max_concurrency: int | None = None
    #: Minimum seconds between two requests to this host.
    interval: float | None = None


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
    max_redirects: int = 10
    accept: tuple[tuple[int, int], ...] = ((200, 299),)  # inclusive ranges
    user_agent: str | None = None  # None: "linkcheck/<version>"
    headers: tuple[tuple[str, str], ...] = ()
    hosts: tuple[HostRule, ...] = ()
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
    date_order: str = "dmy"  # how to read an ambiguous 03/04/2015: dmy or mdy
    # --- how to report
    fail_on: frozenset[Status] = field(default=DEFAULT_FAIL_ON)
    # --- network environment (#12, #17)
    no_proxy_env: bool = False  # ignore HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY
    #: Sent as `Authorization: Bearer …` to `github_hosts` only; the CLI reads GITHUB_TOKEN.
    github_token: str | None = field(default=None, repr=False)
    github_hosts: tuple[str, ...] = ("github.com", "api.github.com")
