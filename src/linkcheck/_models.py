"""The plain data that flows between the pipeline's stages.

discover -> extract -> classify -> resolve -> report. Every stage takes and returns
these frozen values; nothing here does I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._shard import Shard


class Kind(StrEnum):
    """How a link is written in the article (the SPEC's `kind`)."""

    INLINE = "inline"
    REFERENCE = "reference"
    AUTOLINK = "autolink"
    BARE = "bare"
    IMAGE = "image"
    HTML = "html"
    FOOTNOTE = "footnote"  # `[^label]`, a GFM footnote reference
    # --- added for more input formats (#23): constructs of their own
    INCLUDE = "include"  # rst `.. include::`, AsciiDoc `include::`: a file that must exist
    XREF = "xref"  # a cross reference: Sphinx `:doc:`/`:ref:`, AsciiDoc `<<id>>`, `xref:`
    IMPORT = "import"  # MDX `import X from './file.mdx'`
    ATTACHMENT = "attachment"  # a notebook cell's `attachment:name`, settled by the cell


class Status(StrEnum):
    """The closed set of outcomes of the SPEC, in the order reports list them."""

    BROKEN = "broken"
    PLACEHOLDER = "placeholder"
    INVALID = "invalid"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    RATE_LIMITED = "rate_limited"
    BLOCKED = "blocked"
    #: The target may well work, but what decides it is out of linkcheck's sight (a site
    #: extension it cannot emulate, an anchor only a page's scripts make): a warning, and
    #: a failure under --strict. Its reason is the why, shared by every such occurrence.
    UNVERIFIED = "unverified"
    REDIRECTED = "redirected"
    OK = "ok"
    EXCLUDED = "excluded"
    SKIPPED = "skipped"


#: The site generators linkcheck emulates, looked for in this order in each folder,
#: nearest folder first. Each is a module of `_generators/` of the same name (with
#: `CONFIG_FILES` and `load`): adding one is writing that module and its name here.
# Sphinx last: `conf.py` is a common name, and one that is not Sphinx's must mask nothing.
SiteGenerator = Literal[
    "mdbook", "mkdocs", "docusaurus", "vitepress", "starlight", "hugo", "jekyll", "sphinx"
]
#: `--generator`: a site generator, `github` (none: GitHub's rules), or `auto` (detect).
Generator = Literal["auto", "github", SiteGenerator]
#: How to read an ambiguous date like 03/04/2015: day first or month first.
DateOrder = Literal["dmy", "mdy"]
#: How --fix writes a preserved copy beside its citation (docs/citations.md).
FixPreserved = Literal["none", "link", "robust-links"]

DEFAULT_FAIL_ON: frozenset[Status] = frozenset(
    {Status.BROKEN, Status.TIMEOUT, Status.UNREACHABLE, Status.PLACEHOLDER, Status.INVALID}
)
#: A remote citation whose page is gone: what --archive looks up a copy for.
DEAD_STATUSES: frozenset[Status] = frozenset({Status.BROKEN, Status.UNREACHABLE, Status.TIMEOUT})
#: A target that works: what the cache reuses, what a flaky target worked as, what a
#: soft-404 probe compares. The one spelling of that rule.
WORKING_STATUSES: frozenset[Status] = frozenset({Status.OK, Status.REDIRECTED})
#: Statuses that are worth a person's look even when they do not fail the run.
WARNING_STATUSES: frozenset[Status] = frozenset(
    {Status.RATE_LIMITED, Status.BLOCKED, Status.UNVERIFIED}
)


@dataclass(frozen=True, slots=True)
class Source:
    """An article to read: `display` is how reports name it, `path` where it lives."""

    #: As given or found, `/`-separated, relative when given relative; `-` for stdin.
    display: str
    #: Filesystem path; None for stdin and for a page on the web.
    path: str | None
    #: A page on the web (a URL given as PATH, or found by --recursive): the address its
    #: relative links start from (where its redirects ended, or its `<base href>`).
    base: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """Where a destination is written: 1-based `line`, and `[start, end)` as 0-based
    character offsets within that line (after CRLF/CR are read as one line break)."""

    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Link:
    """One link occurrence exactly as written in an article.

    `line` and `column` are 1-based and count characters (a tab is one column)
    of the link's first source character: `[`, `!`, `<`, or the bare URL's first letter.
    """

    file: str
    line: int
    column: int
    kind: Kind
    text: str
    url: str
    #: For references: the normalised label used (`[text][label]`); None otherwise.
    label: str | None = None
    #: A full or collapsed reference whose label has no definition.
    undefined: bool = False
    #: Line of the `<!-- linkcheck-ignore… -->` comment that switches this link off.
    ignored_by: int | None = None
    #: Where the destination itself is written, for rewriting it in place. For a
    #: reference use, this is the destination in the definition, shared by every use.
    dest: Span | None = None
    #: A reference definition that no link uses: reported where it stands, and never
    #: fails the run whatever its status (no reader can click it).
    unused: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    """What extraction finds in one article."""

    links: tuple[Link, ...]
    #: Every `#fragment` the article answers to: heading slugs and HTML id/name anchors.
    anchors: frozenset[str]
    #: One line each about the article as written (an ignore region never closed).
    warnings: tuple[str, ...] = ()


class Category(Enum):
    """What a link points at, decided without touching disk or network."""

    REMOTE = "remote"  # http(s): resolved over the network
    LOCAL = "local"  # a file (and maybe #fragment) on disk
    PLACEHOLDER = "placeholder"
    INVALID = "invalid"
    EXCLUDED = "excluded"
    SKIPPED = "skipped"  # mailto:, tel:, root-relative without --root-dir, …
    UNDEFINED = "undefined"  # reference with no definition
    FOOTNOTE = "footnote"  # a footnote reference whose note exists: nothing to check


@dataclass(frozen=True, slots=True)
class Classified:
    """A link plus the decision of what to check for it."""

    link: Link
    category: Category
    #: What is checked: an absolute URL, or a path relative to the current directory
    #: (without its fragment). None for placeholders and invalid URLs.
    target: str | None
    reason: str | None = None
    shortlink: bool = False
    #: For LOCAL targets: the absolute path on disk to look at.
    path: str | None = None
    #: For LOCAL (and REMOTE with --check-fragments): the `#fragment`, unquoted, no `#`.
    fragment: str | None = None
    #: `remap` or `base_url` changed the URL: the target is not what the article says.
    remapped: bool = False


class Cause(StrEnum):
    """Why a remote check failed, set once where the failure is classified (like lychee's
    `ErrorKind`). Retries, the flaky policy, the cache and the reports read this, never
    the reason sentence."""

    DNS = "dns"
    REFUSED = "refused"
    RESET = "reset"
    CLOSED = "closed"  # the connection closed before an answer
    TLS = "tls"
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"  # not valid HTTP, or headers too large
    NETWORK = "network"  # any other OS or transport error
    MALFORMED = "malformed"  # the URL could not be sent at all
    PRIVATE = "private"  # refused by --exclude-private
    LOOP = "loop"
    TOO_MANY_REDIRECTS = "too-many-redirects"
    BAD_REDIRECT = "bad-redirect"  # a redirect to a non-HTTP address
    HTTP_STATUS = "http-status"  # the final answer's status code
    CHALLENGE = "challenge"  # a bot wall
    SOFT_404 = "soft-404"
    FRAGMENT = "fragment"  # the page has no such anchor
    OTHER = "other"
    # --- added for web fidelity (#13) and the network edges (#12)
    LOGIN = "login"  # redirected to a sign-in page (blocked, a warning)
    PARKED = "parked"  # a parked or for-sale domain (broken)
    RATE_LIMIT = "rate-limit"  # a rate limit that resets beyond --max-retry-wait
    FILE_LIMIT = "file-limit"  # this machine ran out of file descriptors (EMFILE)
    #: An `unverified` `#fragment` (an id made by scripts, in frames, or beyond the
    #: bytes read); the JSON report also says `"fragment": "not verified"`.
    FRAGMENT_UNVERIFIED = "fragment-unverified"
    INTERRUPTED = "interrupted"  # the run was stopped (Ctrl-C, SIGTERM) before the check
    #: A 503 with Retry-After still there after the retries: the server said it is down
    #: for a while (`rate_limited`, a warning), not that the page is gone.
    OUTAGE = "outage"
    #: Not asked: a `[[hosts]]` header of its host needs a `${VAR}` that is not set.
    UNSET_VARIABLE = "unset-variable"

    @property
    def retryable(self) -> bool:
        """A try may pass where this one failed: the network, not the target, failed."""
        return self in _RETRYABLE


_RETRYABLE = frozenset(
    {Cause.TIMEOUT, Cause.REFUSED, Cause.RESET, Cause.CLOSED, Cause.NETWORK, Cause.FILE_LIMIT}
)


@dataclass(frozen=True, slots=True)
class Redirect:
    status: int
    url: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of checking one target; shared by all its occurrences."""

    status: Status
    reason: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[Redirect, ...] = ()
    #: A transient failure of a target that worked before (see --flaky-threshold):
    #: reported with its true status, but it does not fail the run yet.
    flaky: bool = False
    #: Why a remote check failed; None for successes and for what never went out.
    cause: Cause | None = None


class Level(StrEnum):
    """How loudly a report shows an occurrence: the one severity rule every format reads."""

    ERROR = "error"  # fails the run
    WARNING = "warning"  # worth a person's look; does not fail the run


@dataclass(frozen=True, slots=True)
class Archived:
    """With --archive, what the archive holds for a dead citation (`url` None: no copy)."""

    url: str | None = None
    timestamp: str | None = None  # YYYYMMDDhhmmss

    @property
    def day(self) -> str | None:
        """The snapshot's date as YYYY-MM-DD."""
        stamp = self.timestamp
        return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if stamp else None


@dataclass(frozen=True, slots=True)
class Drift:
    """With --drift: a working citation whose live page no longer matches the archived
    copy closest before the article's date (the page as its author read it)."""

    similarity: float  # 0.0–1.0, of the two pages' main text (docs/citations.md)
    archived_url: str
    title_then: str
    title_now: str
    #: The snapshot's timestamp (YYYYMMDDhhmmss), for --fix-drift's note.
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class DriftSummary:
    """With --drift: how many citations were compared, how many drifted, and how many
    were not judged, by why (a home page, a feed, no snapshot before the date, …)."""

    compared: int
    drifted: int
    not_judged: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Preserved:
    """With --preserve: the capture asked of the archive for a working citation with no
    copy near the article's date: a snapshot (`url`, `timestamp`), or why there is none."""

    url: str | None = None
    timestamp: str | None = None  # YYYYMMDDhhmmss
    error: str | None = None
    #: The service refused for good (the page is blocked, gone, or not capturable);
    #: False: a later run may succeed (overload, a quota, a timeout).
    permanent: bool = False

    @property
    def day(self) -> str | None:
        stamp = self.timestamp
        return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if stamp else None


@dataclass(frozen=True, slots=True)
class FixNote:
    """What `--fix` proposed for an occurrence, and whether it was written."""

    to: str
    why: str
    applied: bool


@dataclass(frozen=True, slots=True)
class LinkResult:
    """One row of the report: an occurrence and what became of its target."""

    link: Link
    target: str | None
    shortlink: bool
    outcome: Outcome
    #: With --archive, for a dead remote citation: the archived copy looked up.
    archive: Archived | None = None
    #: With --fix or --dry-run: the rewrite proposed for this occurrence.
    fix: FixNote | None = None
    #: With --drift: the live page no longer says what the cited one did (a warning).
    drift: Drift | None = None
    #: With --preserve: the capture asked for this working citation.
    preserved: Preserved | None = None
    #: `remap` or `base_url` changed the URL (the text report shows the target).
    remapped: bool = False

    @property
    def status(self) -> Status:
        return self.outcome.status

    def level(self, fail_on: frozenset[Status]) -> Level | None:
        """ERROR if this occurrence fails the run, WARNING if a person should look (a
        warning status, a flaky failure, a fragment not verified, a drifted citation, or a
        failing definition nothing cites), None otherwise. An unused definition never fails
        the run: no reader can click it."""
        status = self.outcome.status
        if self.link.unused:
            return Level.WARNING if status in fail_on or status in WARNING_STATUSES else None
        if status in fail_on:
            return Level.WARNING if self.outcome.flaky else Level.ERROR
        if status in WARNING_STATUSES or self.outcome.cause is Cause.FRAGMENT_UNVERIFIED:
            return Level.WARNING  # a fragment not verified is worth a look, not a failure
        if self.drift is not None:
            return Level.WARNING  # it answers, but with other content than was cited
        return None


#: Sort key of report rows: by file, then line, then column (a C getter, not a lambda:
#: it runs once per occurrence).
by_position = attrgetter("link.file", "link.line", "link.column")


@dataclass(frozen=True, slots=True)
class FileIssue:
    """A file that could not be read or decoded as it should (one line for a person)."""

    file: str
    message: str
    #: False: the file was still checked (e.g. decoded with a fallback encoding).
    fatal: bool = True


@dataclass(frozen=True, slots=True)
class Report:
    files: tuple[str, ...]
    results: tuple[LinkResult, ...]
    file_issues: tuple[FileIssue, ...] = ()
    fail_on: frozenset[Status] = DEFAULT_FAIL_ON
    #: With --archive: per file, its date (YYYY-MM-DD or None) and where it came from.
    dates: dict[str, tuple[str | None, str]] = field(default_factory=dict, compare=False)
    #: The run was interrupted: targets not reached are `skipped` with cause INTERRUPTED.
    partial: bool = False
    #: The site generators that governed some article: (name, config file), outermost first;
    #: empty when every article was judged by GitHub's rules. None: not said (hand-built).
    generators: tuple[tuple[str, str], ...] | None = field(default=None, compare=False)
    #: With --shard: the shard whose links these are (the others' are left out).
    shard: Shard | None = None
    #: Interrupted while articles were parsed: how many were never read (not in `files`).
    unread: int = 0
    #: With --drift: what was compared and what was not judged (the summary says it).
    drift: DriftSummary | None = field(default=None, compare=False)
    #: The row cache's key of everything this report depends on, when every article's
    #: rows are in it: what the CLI keeps its written reports under (docs/ci.md).
    run_key: str | None = field(default=None, compare=False)

    @property
    def counts(self) -> Counter[Status]:
        return Counter(r.status for r in self.results)

    @property
    def unverified(self) -> tuple[tuple[str, int], ...]:
        """Why occurrences are `unverified`, and how many each, most first: what the
        summaries say once, instead of on every row."""
        why = Counter(r.outcome.reason or "" for r in self.results if r.status is Status.UNVERIFIED)
        return tuple(why.most_common())

    @property
    def unique_targets(self) -> int:
        return len({r.target for r in self.results if r.target is not None})

    @property
    def failures(self) -> tuple[LinkResult, ...]:
        fail_on = self.fail_on
        return tuple(r for r in self.results if r.level(fail_on) is Level.ERROR)

    def with_fixes(self, notes: Mapping[Link, FixNote]) -> Report:
        """This report with each occurrence's --fix proposal attached."""
        results = tuple(
            replace(r, fix=note) if (note := notes.get(r.link)) else r for r in self.results
        )
        return replace(self, results=results)

    @property
    def failed(self) -> bool:
        """True when the exit code is 1: a failing status, or a file that could not be read."""
        return bool(self.failures) or any(i.fatal for i in self.file_issues)


@dataclass(frozen=True, slots=True)
class Dump:
    """With --dump: every link found and what it points at, nothing checked."""

    files: tuple[str, ...]
    #: Each occurrence, classified (its target, its category), by position.
    links: tuple[Classified, ...]
    file_issues: tuple[FileIssue, ...] = ()
