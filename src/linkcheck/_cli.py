"""The command line: a thin shell over linkcheck.check()."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import sys
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, get_args

import click
from click.core import ParameterSource

from ._config import display_path, load_settings, parse_reports
from ._durations import format_duration
from ._errors import LinkcheckError
from ._models import Cause, DateOrder, Generator, Report
from ._options import FIX_PRESERVED_STYLES, Options
from ._progress import progress_display
from ._realpath import RealPaths
from ._redact import redact
from ._replay import keep_written, replay_written
from ._report import WRITERS, ReportFormat, Writer, redacting
from ._report._inert import inert
from ._version import __version__

if TYPE_CHECKING:
    from ._api import Progress

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # 128 + SIGTERM
DEFAULT_CACHE = ".linkcheck/cache.db"
#: Parameters whose config key is not their own name.
_DEFAULTS = Options()


def _help(text: str, field: str) -> str:
    """`text` with the field's default as Options has it: the help never keeps a copy."""
    value = getattr(_DEFAULTS, field)
    if field == "cache_max_age":
        shown = format_duration(value)
    elif isinstance(value, float) and value.is_integer():
        shown = str(int(value))
    else:
        shown = str(value)
    return f"{text}  [default: {shown}]".lstrip()


_KEY_OF_PARAMETER = {"format_": "format", "reports": "report", "no_progress": "progress"}


class _Command(click.Command):
    """A click command whose every error is one line on stderr and exit 2.

    In `main` rather than around it, so `python -m linkcheck`, the console script and
    click's CliRunner all behave alike.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        parent: Any = super()
        argv = list(args) if args is not None else sys.argv[1:]
        if self is command and argv[:1] == ["merge"]:
            # A subcommand by its first word only: `linkcheck ./merge` checks a folder.
            return merge_command.main(
                argv[1:], "linkcheck merge", complete_var, standalone_mode, **extra
            )

        def invoke() -> Any:
            return parent.main(args, prog_name or "linkcheck", complete_var, False, **extra)

        code = _one_line_errors(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


def _one_line_errors(invoke: Callable[[], Any]) -> int:
    try:
        result = invoke()
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
    except click.Abort as abort:
        click.echo("linkcheck: error: interrupted", err=True)
        return EXIT_TERMINATED if isinstance(abort.__cause__, _Terminated) else EXIT_INTERRUPTED
    except _Interrupted as stop:
        return stop.code
    except _StdoutFailed as error:
        click.echo(f"linkcheck: error: cannot write the report: {error}", err=True)
        return EXIT_USAGE
    except click.ClickException as error:
        click.echo(f"linkcheck: error: {_one_line(error.format_message())}", err=True)
        return EXIT_USAGE
    except LinkcheckError as error:  # a config, path, pattern, git ref, report or merge
        click.echo(f"linkcheck: error: {_one_line(str(error))}", err=True)
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK


def _one_line(message: str) -> str:
    return inert(redact(re.sub(r"\s*\n\s*", " ", message).strip()))


class _Terminated(KeyboardInterrupt):
    """SIGTERM outside the check: stops the run like Ctrl-C, and exits 143."""


class _Interrupted(Exception):
    """The check was interrupted and its partial report written: exit with `code`."""

    def __init__(self, code: int) -> None:
        self.code = code


class _StdoutFailed(Exception):
    """stdout refused the report (a full disk, a closed pipe): one line, exit 2."""


@contextmanager
def _termination_like_interruption() -> Iterator[list[int]]:
    """SIGTERM (a CI job cancelled, a container stopped) handled as Ctrl-C is: during the
    check, asyncio cancels it and the partial report is written; elsewhere the run stops
    (a `--fix` in progress removes its temporary file). The list gets the exit code."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def on_term(signum: int, frame: Any) -> None:
        received.append(EXIT_TERMINATED)
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # outside the check (writing reports, --fix): stop here
            raise _Terminated from None
        # The check: asyncio's Ctrl-C handler cancels it. Called, not raised as SIGINT,
        # so that it also works while SIGINT is held (below).
        on_ctrl_c = signal.getsignal(signal.SIGINT)
        if callable(on_ctrl_c):
            on_ctrl_c(signal.SIGINT, frame)

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with _ctrl_c_path_armed():
            yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _ctrl_c_path_armed() -> Iterator[None]:
    """A job started by a script (`linkcheck … &`) inherits an ignored SIGINT, and
    asyncio then installs no Ctrl-C handler for SIGTERM to use: the run would finish and
    exit 0. Here SIGINT gets Python's default handler, so that asyncio installs its own,
    and is blocked, so that a SIGINT from outside stays as ignored as the parent asked;
    on the way out it is ignored again (which discards one that came meanwhile)."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


_Function = TypeVar("_Function", bound=Callable[..., Any])


def _report_options(function: _Function) -> _Function:
    """--format, -o and --report: the same for checking and for merging."""
    options = [
        click.option(
            "--format",
            "format_",
            type=click.Choice(sorted(WRITERS)),
            help="Report format on stdout (or in --output).  [default: text]",
        ),
        click.option(
            "-o", "--output", type=click.Path(dir_okay=False), help="Write the report here."
        ),
        click.option(
            "--report",
            "reports",
            multiple=True,
            metavar="FORMAT:PATH",
            help="Also write a report in FORMAT to PATH (repeatable).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command(
    "linkcheck",
    cls=_Command,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, type=str)
@click.option("--offline", is_flag=True, help="Check nothing over the network.")
@_report_options
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--exclude", multiple=True, metavar="REGEX", help="Skip URLs matching (repeatable).")
@click.option(
    "--include", multiple=True, metavar="REGEX", help="Check URLs matching, even if excluded."
)
@click.option("--exclude-path", multiple=True, metavar="GLOB", help="Skip files (repeatable).")
@click.option("--fail-on", metavar="LIST", help="Statuses that fail the run (comma list).")
@click.option("--strict", is_flag=True, help="Fail on `unverified` links too.")
@click.option("--timeout", type=float, metavar="SECONDS", help=_help("Per request.", "timeout"))
@click.option(
    "--max-concurrency",
    metavar="N",
    type=click.IntRange(1),
    help=_help("Requests in flight.", "max_concurrency"),
)
@click.option(
    "--max-per-host", metavar="N", type=click.IntRange(1), help=_help("Per host.", "max_per_host")
)
@click.option(
    "--host-interval", type=float, metavar="SECONDS", help="Pause between requests to a host."
)
@click.option(
    "--retries",
    metavar="N",
    type=click.IntRange(0),
    help=_help("Retries on transient errors.", "retries"),
)
@click.option(
    "--max-retry-wait",
    type=float,
    metavar="SECONDS",
    help=_help("Cap on Retry-After.", "max_retry_wait"),
)
@click.option(
    "--max-redirects", metavar="N", type=click.IntRange(0), help=_help("", "max_redirects")
)
@click.option("--accept", metavar="LIST", help="Accepted status codes, e.g. 200..299,403.")
@click.option("--user-agent", metavar="TEXT", help="User-Agent header.")
@click.option(
    "--header", "headers", multiple=True, metavar="'NAME: VALUE'", help="Extra header (repeatable)."
)
@click.option("--check-fragments", is_flag=True, help="Check #fragments of remote HTML pages.")
@click.option(
    "--exclude-private", is_flag=True, help="Never request private or loopback addresses."
)
@click.option(
    "--no-proxy-env", is_flag=True, help="Ignore HTTP_PROXY/HTTPS_PROXY/ALL_PROXY/NO_PROXY."
)
@click.option(
    "-i",
    "--insecure",
    is_flag=True,
    help="Do not verify TLS certificates (a test site's self-signed one); prefer --ca-cert.",
)
@click.option(
    "--ca-cert",
    metavar="FILE",
    help="Also trust the CA certificates in this PEM file (SSL_CERT_FILE replaces the system's).",
)
@click.option(
    "--cookie-jar",
    metavar="FILE",
    help="Cookies sent to their sites, read before and written after the run (curl's format).",
)
@click.option(
    "--root-dir", type=click.Path(file_okay=False), help="Where /root-relative links start."
)
@click.option(
    "--max-file-size", type=click.IntRange(1), metavar="BYTES", help="Larger files are not read."
)
@click.option(
    "--shortener", "shorteners", multiple=True, metavar="HOST", help="Another shortener host."
)
@click.option(
    "--cache-path",
    type=click.Path(dir_okay=False),
    help=f"Result cache.  [default: {DEFAULT_CACHE}]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--cache-max-age",
    metavar="DURATION",
    help=_help("Reuse working results this long (3600, 30m, 12h, 1d).", "cache_max_age"),
)
@click.option(
    "--cache-failures", is_flag=True, help="Reuse cached failures too, instead of rechecking them."
)
@click.option(
    "--flaky-threshold",
    metavar="N",
    type=click.IntRange(1),
    help=_help(
        "Failed checks in a row before a link that worked fails the run.", "flaky_threshold"
    ),
)
@click.option("--changed-since", metavar="REF", help="Only articles changed since this git ref.")
@click.option(
    "--shard",
    metavar="I/N",
    help="Check only the hosts of shard I of N (auto: from GitLab or Kubernetes); merge "
    "the shards' JSON reports with `linkcheck merge`.",
)
# A sharded run in two stages, each article parsed once (docs/ci.md): flags of one job,
# not settings, so they are neither config keys nor Options fields.
@click.option(
    "--save-links",
    "save_links",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Stage 1: parse every article once and write its links to FILE (.gz: gzipped) "
    "for the shards' --links-from; check nothing remote.",
)
@click.option(
    "--links-from",
    "links_from",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Stage 2: check the links --save-links wrote to FILE (with --shard: its share), "
    "reading no article.",
)
@click.option(
    "--recursive", is_flag=True, help="Crawl each URL's site (its origin and path prefix)."
)
@click.option(
    "--max-depth", metavar="N", type=click.IntRange(0), help="Links a crawl follows from a start."
)
@click.option(
    "--max-pages",
    metavar="N",
    type=click.IntRange(1),
    help=_help("Pages a crawl reads.", "max_pages"),
)
@click.option("--ignore-robots", is_flag=True, help="Crawl what robots.txt forbids.")
@click.option("--soft-404", is_flag=True, help="Probe a random sibling of each working page.")
@click.option("--archive", is_flag=True, help="Find an archived copy of every dead citation.")
@click.option("--archive-url", metavar="BASE", help=_help("The archive to ask.", "archive_url"))
@click.option(
    "--archive-interval",
    type=float,
    metavar="SECONDS",
    help=_help("Pause between two requests to the archive.", "archive_interval"),
)
@click.option("--article-date", metavar="YYYY-MM-DD", help="The date of every article checked.")
@click.option(
    "--date-order",
    type=click.Choice(get_args(DateOrder)),
    help=_help("How to read 03/04/2015.", "date_order"),
)
@click.option(
    "--drift", is_flag=True, help="Flag working citations whose page no longer says what it did."
)
@click.option(
    "--drift-threshold",
    type=click.FloatRange(0, 1),
    metavar="X",
    help=_help("Drift is a similarity below X (0–1).", "drift_threshold"),
)
@click.option(
    "--preserve",
    is_flag=True,
    help="Ask Save Page Now to capture working citations with no archived copy "
    "(keys from IA_S3_ACCESS_KEY/IA_S3_SECRET_KEY).",
)
@click.option(
    "--preserve-interval",
    type=float,
    metavar="SECONDS",
    help="Pause between two captures.  [default: 9 with keys, 20 without]",
)
@click.option(
    "--preserve-wait",
    type=float,
    metavar="SECONDS",
    help=_help("How long one capture job is waited for.", "preserve_wait"),
)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite shortlinks and permanent redirects to where they lead, in place.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --fix: print the diff on stdout, change nothing."
)
@click.option(
    "--fix-drift", is_flag=True, help="With --fix: point drifted citations at their snapshot."
)
@click.option(
    "--fix-preserved",
    type=click.Choice(FIX_PRESERVED_STYLES),
    help=_help(
        "With --fix: write a preserved copy beside its citation: a markdown link after it, "
        "or Robust Links attributes on an HTML anchor.",
        "fix_preserved",
    ),
)
@click.option("--hidden", is_flag=True, help="Also walk dot-folders and dot-files.")
@click.option("--no-ignore", is_flag=True, help="Also walk files that .gitignore ignores.")
@click.option(
    "--generator",
    metavar="NAME",
    help=_help(", ".join(get_args(Generator)) + ".", "generator"),
)
@click.option(
    "--remap", multiple=True, metavar="'REGEX REPLACEMENT'", help="Rewrite targets (repeatable)."
)
@click.option(
    "--fallback-extensions",
    "fallback_extensions",
    multiple=True,
    metavar="EXT",
    help="Tried on a missing local file (repeatable).",
)
@click.option(
    "--index-files", multiple=True, metavar="NAME", help="A linked folder needs one (repeatable)."
)
@click.option("--base-url", metavar="URL", help="Where the site lives: its links checked locally.")
# What a walk takes (#23): the default is every article format's extensions.
@click.option(
    "--extensions",
    metavar="LIST",
    help="Extensions a folder walk takes (comma list; default: every article format's).",
)
@click.option(
    "--site",
    metavar="DIR",
    help="The generator's built output: local links judged against the HTML it holds.",
)
@click.option(
    "--files-from",
    "files_from",
    metavar="FILE",
    help="Also check the paths listed in FILE, one a line (- for stdin).",
)
@click.option(
    "--dump",
    is_flag=True,
    help="List every link found (position, kind, URL, target) and check nothing; exit 0. "
    "In text, json or csv.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress, no summary when nothing failed.")
@click.option("-v", "--verbose", is_flag=True, help="List every link, not only problems.")
@click.option("--no-progress", "no_progress", is_flag=True, help="Never show a progress bar.")
@click.version_option(__version__, "--version", prog_name="linkcheck")
def command(**given: Any) -> int:
    """Check every link and citation in articles and pages.

    PATH is a file, a folder (walked for markdown, .txt, HTML, reStructuredText,
    AsciiDoc and notebooks), a quoted glob ('archive/*.txt', 'docs/**'), - for stdin, or
    an http(s):// page (--recursive: its site); the default is the current folder.
    Exit 0: nothing failed; 1: a link in the failing set; 2: a usage or configuration
    error.

    `linkcheck merge REPORT.json…` joins the JSON reports of a sharded run (see
    `linkcheck merge --help`); `linkcheck ./merge` checks a folder named merge.
    """
    cwd = Path.cwd()  # read once: the config, the cache and every relative path
    settings = load_settings(_flags(given), given["config_file"], cwd)
    cli, options = settings.cli, _run_options(settings.options, cli=settings.cli, cwd=cwd)
    format_name: ReportFormat = cli.get("format", "text")
    output: str | None = cli.get("output")
    extra_reports: list[tuple[ReportFormat, str]] = cli.get("report", [])
    for path in [output, *(path for _, path in extra_reports)]:
        if path is not None and path != "-":
            _check_writable(path)
    _refuse_contradictions(cli)
    _refuse_two_stage_contradictions(given, cli, options)
    paths = _paths(given)
    if given["save_links"] is not None:
        return _save_links(paths, given["save_links"], options)
    if cli.get("dump"):
        return _dump(paths, options, format_name, output, extra_reports)
    links_from: str | None = given["links_from"]
    quiet = bool(cli.get("quiet"))
    show_progress = not quiet and cli.get("progress", True) and _stderr_is_terminal()

    how = _how_written(cli, options, links_from, format_name, output, extra_reports)
    with _termination_like_interruption() as signals:
        kept = replay_written(paths, options, how) if how is not None else None
        if kept is not None:  # nothing changed since a run that wrote the same reports
            return _write_kept(*kept)
        with progress_display(show_progress) as progress:
            if links_from is None:
                report = check(paths, options, progress=progress)
            else:
                from ._api import check_links

                report = check_links(links_from, options, progress=progress)
        _refuse_overwriting_articles(report.files, [output, *(p for _, p in extra_reports)])
        _write_outputs(report, options, cli, format_name, output, extra_reports)
        if how is not None and report.run_key is not None:
            _keep_written(report, paths, options, how, [output, *(p for _, p in extra_reports)])
    if report.partial:
        _say_partial(report)
        raise _Interrupted(signals[0] if signals else EXIT_INTERRUPTED)
    return EXIT_FAILED if report.failed else EXIT_OK


def check(paths: Sequence[str], options: Options, *, progress: Progress) -> Report:
    """`linkcheck.check`: the stages are imported by the first run that checks, not by
    one that replays its reports (`replay_written`)."""
    from ._api import check as checked

    return checked(paths, options, progress=progress)


def _how_written(
    cli: dict[str, Any],
    options: Options,
    links_from: str | None,
    format_name: ReportFormat,
    output: str | None,
    extra_reports: list[tuple[ReportFormat, str]],
) -> str | None:
    """How this run writes its reports, when all of them go to files (stdout's depend
    on the terminal), none is HTML and the run changes no file: what a run that wrote
    them is kept and found under (`replay_written`); None when they are not kept."""
    outputs = [output, *(path for _, path in extra_reports)]
    if any(path is None or path == "-" for path in outputs) or cli.get("fix"):
        return None
    if "html" in (format_name, *(name for name, _ in extra_reports)):
        return None  # the page says when it was made, and quotes the articles' lines
    if links_from is not None or options.cache_path is None:
        return None
    return json.dumps([format_name, output, extra_reports, bool(cli.get("verbose"))])


def _write_kept(reals: list[str], meta: str, written: bytes) -> int:
    """A kept run's messages and reports, as it said and wrote them; its exit code."""
    said = json.loads(meta)
    _refuse_overwriting(set(reals), [path for path, _ in said["outputs"]])
    for line in said["messages"]:
        click.echo(line, err=True)
    data, start = zlib.decompress(written), 0
    for path, size in said["outputs"]:
        _write_bytes(data[start : start + size], path)
        start += size
    return EXIT_FAILED if said["failed"] else EXIT_OK


def _keep_written(
    report: Report, paths: list[str], options: Options, how: str, outputs: list[str | None]
) -> None:
    """Keep the reports just written, read back as bytes, for the next run to replay."""
    written = []
    for path in outputs:
        assert path is not None
        try:
            with open(path, "rb") as file:
                written.append((path, file.read()))
        except OSError:
            return  # gone already (or a pipe): nothing kept
    meta = {
        "outputs": [[path, len(data)] for path, data in written],
        "messages": _issue_lines(report),
        "failed": report.failed,
    }
    data = zlib.compress(b"".join(data for _, data in written), 1)
    keep_written(paths, options, report.run_key or "", how, json.dumps(meta), data)


def _issue_lines(report: Report) -> list[str]:
    """The report's file problems as stderr says them."""
    return [
        f"linkcheck: {'error' if i.fatal else 'warning'}: {_shown(i.file)}: {_shown(i.message)}"
        for i in report.file_issues
    ]


def _flags(given: dict[str, Any]) -> dict[str, Any]:
    """The options given on the command line (not defaults), by config key."""
    context = click.get_current_context()
    flags = {
        _KEY_OF_PARAMETER.get(name, name): value
        for name, value in given.items()
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE
        and name not in ("paths", "config_file", "files_from", "save_links", "links_from")
    }
    if "progress" in flags:
        flags["progress"] = not flags["progress"]  # --no-progress is progress = false
    return {k: list(v) if isinstance(v, tuple) else v for k, v in flags.items()}


def _run_options(options: Options, *, cli: dict[str, Any], cwd: Path) -> Options:
    """The settings as the CLI runs them (the token from the environment, the default
    cache), and a warning for each that is not what it seems."""
    if options.github_token is None and os.environ.get("GITHUB_TOKEN"):
        # The environment, not a flag: a token on a command line shows in process lists.
        options = replace(options, github_token=os.environ["GITHUB_TOKEN"])
    if options.ia_access_key is None and options.ia_secret_key is None:
        # Save Page Now's keys: from the environment only, like GITHUB_TOKEN.
        access, secret = os.environ.get("IA_S3_ACCESS_KEY"), os.environ.get("IA_S3_SECRET_KEY")
        if access and secret:
            options = replace(options, ia_access_key=access, ia_secret_key=secret)
    if cli.get("no_cache"):
        options = replace(options, cache_path=None)
    elif options.cache_path is None:
        options = replace(options, cache_path=str((cwd / DEFAULT_CACHE).resolve()))
    if options.insecure and not options.offline:
        click.echo(
            "linkcheck: warning: --insecure: TLS certificates are not verified; a page "
            "served by anyone in between counts as working",
            err=True,
        )
    if options.archive and options.offline:
        click.echo(
            "linkcheck: warning: --archive needs the network; ignored with --offline", err=True
        )
    for wanted, flag in ((options.drift, "--drift"), (options.preserve, "--preserve")):
        if wanted and options.offline:
            click.echo(
                f"linkcheck: warning: {flag} needs the network; ignored with --offline", err=True
            )
    return options


def _refuse_contradictions(cli: dict[str, Any]) -> None:
    if cli.get("dump") and cli.get("fix"):
        raise click.UsageError("--dump checks nothing, so it fixes nothing: not with --fix")
    if cli.get("dry_run") and not cli.get("fix"):
        raise click.UsageError("--dry-run goes with --fix (it shows the diff --fix would write)")


def _refuse_two_stage_contradictions(
    given: dict[str, Any], cli: dict[str, Any], options: Options
) -> None:
    """--save-links checks nothing and --links-from reads no article: what needs the
    other is a usage error, not a flag silently ignored."""
    if given["save_links"] is not None:
        if given["links_from"] is not None:
            raise click.UsageError("--save-links and --links-from are the two stages: not both")
        for key, flag in (("dump", "--dump"), ("fix", "--fix")):
            if cli.get(key):
                raise click.UsageError(f"--save-links checks nothing: not with {flag}")
        if options.shard is not None:
            raise click.UsageError("--save-links writes every shard's links: not with --shard")
        if given["output"] is not None or given["reports"]:
            raise click.UsageError("--save-links writes no report: not with -o or --report")
    elif given["links_from"] is not None:
        if given["paths"] or given.get("files_from") is not None:
            raise click.UsageError("--links-from reads no article: give no PATH")
        for key, flag in (("dump", "--dump"), ("fix", "--fix")):
            if cli.get(key):
                raise click.UsageError(f"--links-from reads no article: not with {flag}")


def _save_links(paths: list[str], links_file: str, options: Options) -> int:
    """--save-links: stage 1 of a two-stage run; the files' problems are said now and
    again in every shard's report, which is where they fail the run."""
    from ._api import save_links

    _refuse_overwriting_articles(paths, [links_file])
    for issue in save_links(paths, links_file, options):
        kind = "error" if issue.fatal else "warning"
        click.echo(f"linkcheck: {kind}: {_shown(issue.file)}: {_shown(issue.message)}", err=True)
    return EXIT_OK


def _say_partial(report: Report) -> None:
    skipped = sum(1 for r in report.results if r.outcome.cause is Cause.INTERRUPTED)
    unread = f", {report.unread} article(s) not read" if report.unread else ""
    click.echo(
        f"linkcheck: error: interrupted; the report is partial ({skipped} target(s) "
        f"not checked{unread})",
        err=True,
    )


def _dump(
    paths: list[str],
    options: Options,
    format_name: ReportFormat,
    output: str | None,
    extra_reports: list[tuple[ReportFormat, str]],
) -> int:
    """--dump: the links found, written in `format_name`; nothing is checked."""
    from ._api import dump
    from ._report.dump import DUMPERS

    written = [(format_name, output), *extra_reports]
    for name, _path in written:
        if name not in DUMPERS:
            known = ", ".join(DUMPERS)
            raise click.UsageError(f"--dump writes {known}, not {name}")
    found = dump(paths, options)
    _refuse_overwriting_articles(found.files, [path for _, path in written])
    for issue in found.file_issues:
        kind = "error" if issue.fatal else "warning"
        click.echo(f"linkcheck: {kind}: {_shown(issue.file)}: {_shown(issue.message)}", err=True)
    for name, path in written:
        if path is None or path == "-":
            with _stdout(name) as stream:
                DUMPERS[name](found, stream)
        else:
            _write_with(partial(DUMPERS[name], found), path)
    return EXIT_OK


def _write_outputs(
    report: Report,
    options: Options,
    cli: dict[str, Any],
    format_name: ReportFormat,
    output: str | None,
    extra_reports: list[tuple[ReportFormat, str]],
) -> None:
    quiet, verbose = bool(cli.get("quiet")), bool(cli.get("verbose"))
    dry_run = bool(cli.get("dry_run"))
    for line in _issue_lines(report):
        click.echo(line, err=True)
    if cli.get("fix") and not report.partial:
        from ._fix import fix_files

        fixed = fix_files(
            report.results,
            write=not dry_run,
            drift=options.fix_drift,
            beside=options.fix_preserved,
        )
        for warning in fixed.warnings:
            click.echo(f"linkcheck: warning: {_shown(warning)}", err=True)
        report = report.with_fixes(fixed.notes)
        if dry_run:
            with _stdout(format_name) as stream:
                stream.write(redact(fixed.diff))  # the diff owns stdout; reports go to files
        else:
            click.echo(
                f"linkcheck: fixed {fixed.written} link(s) in {fixed.files} file(s)", err=True
            )
    # -q: a text report only when something failed; a machine always gets its report.
    on_stdout = not dry_run and not (quiet and format_name == "text" and not report.failed)
    _emit(report, format_name, output, extra_reports, verbose, on_stdout, options)


@click.command(
    "merge",
    cls=_Command,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("report_files", nargs=-1, required=True, metavar="REPORT.json...")
@_report_options
@click.option("-v", "--verbose", is_flag=True, help="List every link, not only problems.")
def merge_command(
    report_files: tuple[str, ...],
    format_: ReportFormat | None,  # a click.Choice of WRITERS
    output: str | None,
    reports: tuple[str, ...],
    verbose: bool,
) -> int:
    """Join the JSON reports of a sharded run (one per `--shard I/N`) into one report.

    The result is the report the unsharded run would have written, in any format, and
    the exit code is that run's: 0 nothing failed, 1 a link in the failing set, 2 a
    file that is not a linkcheck JSON report, or a shard missing or given twice.
    """
    extra_reports = parse_reports(list(reports), Path.cwd())
    for path in [output, *(path for _, path in extra_reports)]:
        if path is not None and path != "-":
            _check_writable(path)
    if format_ == "json" and not extra_reports:  # streamed: a million rows, not held
        failed = _emit_merged_json(report_files, output)
        return EXIT_FAILED if failed else EXIT_OK
    from ._merge import merge_files

    report = merge_files(report_files)
    _emit(report, format_ or "text", output, extra_reports, verbose, on_stdout=True)
    return EXIT_FAILED if report.failed else EXIT_OK


def _emit_merged_json(report_files: Sequence[str], output: str | None) -> bool:
    """`linkcheck merge --format json`, written as the rows are read; whether it failed."""
    from ._merge import write_merged_json

    if output is None or output == "-":
        with _stdout("json") as stream:
            return write_merged_json(report_files, stream)
    # Into a file beside it, renamed over it at the end: a report that turns out broken
    # half way leaves the output as it was, not half written.
    partial_path = f"{output}.{os.getpid()}.partial"  # created as the output would be
    try:
        with open(
            partial_path, "x", encoding="utf-8", errors="backslashreplace", newline="\n"
        ) as stream:
            try:
                failed = write_merged_json(report_files, stream)
            except BaseException:
                stream.close()
                os.unlink(partial_path)
                raise
        os.replace(partial_path, output)
    except OSError as error:
        raise click.UsageError(
            f"cannot write {display_path(Path(output))}: {error.strerror or error}"
        ) from None
    return failed


def _emit(
    report: Report,
    format_name: ReportFormat,
    output: str | None,
    extra_reports: list[tuple[ReportFormat, str]],
    verbose: bool,
    on_stdout: bool,
    options: Options | None = None,
) -> None:
    """The report to `output` (or stdout, when `on_stdout`) and to each extra report;
    `options`, when known, for the formats that say how the run was made."""
    if output is not None and output != "-":
        _write_file(report, format_name, output, verbose, options)
    elif on_stdout:
        with _stdout(format_name) as stream:
            color = format_name == "text" and _color_wanted(stream)
            _writer(format_name, verbose, options)(report, stream, color=color)
    for name, path in extra_reports:
        _write_file(report, name, path, verbose, options)


def _shown(message: str) -> str:
    """A message about an article as stderr may show it: no escape codes, no secrets."""
    return inert(redact(message))


def _paths(given: dict[str, Any]) -> list[str]:
    """The PATH arguments, then the paths `--files-from` lists (one a line; blank lines
    and surrounding spaces ignored); `.` when there are none at all."""
    paths = list(given["paths"])
    listing = given.get("files_from")
    if listing is not None:
        if listing == "-" and "-" in paths:
            raise click.UsageError("--files-from - and a PATH of - both want stdin")
        try:
            if listing == "-":
                text = sys.stdin.read()
            else:
                with open(listing, encoding="utf-8") as file:
                    text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise click.UsageError(f"cannot read --files-from {listing}: {reason}") from None
        listed = [line.strip() for line in text.splitlines() if line.strip()]
        if not listed and not paths:
            raise click.UsageError(f"--files-from {listing} lists no path")
        paths.extend(listed)
    return paths or ["."]


def _refuse_overwriting_articles(files: Sequence[str], paths: Sequence[str | None]) -> None:
    """A report written over an article it checked would destroy the article."""
    outputs = [p for p in paths if p is not None and p != "-" and os.path.exists(p)]
    if not outputs:
        return  # a file that does not exist yet is no article (the common case)
    real = RealPaths()
    _refuse_overwriting({real(file) for file in files if file != "-"}, outputs)


def _refuse_overwriting(articles: set[str], outputs: Sequence[str | None]) -> None:
    """As `_refuse_overwriting_articles`, given the articles' real paths."""
    for path in outputs:
        if path is None or path == "-" or not os.path.exists(path):
            continue
        if os.path.realpath(path) in articles:
            raise click.UsageError(
                f"cannot write the report to {display_path(Path(path))}: it is an article "
                "being checked"
            )


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _color_wanted(stream: TextIO) -> bool:
    # https://no-color.org: NO_COLOR set to anything but "" turns colour off.
    return stream.isatty() and not os.environ.get("NO_COLOR")


@contextmanager
def _stdout(format_name: ReportFormat) -> Iterator[TextIO]:
    """stdout as UTF-8 (the SPEC's encoding), and never a crash on a terminal that
    cannot show a character: text reports fall back to `\\u2014`-style escapes."""
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # a stream without bytes underneath (replaced by a caller)
        yield stdout
        return
    stdout.flush()
    encoding = (stdout.encoding or "utf-8") if format_name == "text" else "utf-8"
    # backslashreplace also keeps JSON valid: a lone surrogate becomes a `\\udc80` escape.
    stream = io.TextIOWrapper(buffer, encoding=encoding, errors="backslashreplace")
    stream.isatty = stdout.isatty  # type: ignore[method-assign]
    try:
        yield stream
        stream.flush()
        buffer.flush()
    except OSError as error:  # a full disk, a closed pipe
        _discard_stdout(buffer)
        raise _StdoutFailed(error.strerror or str(error)) from None
    finally:
        stream.detach()  # stdout stays open for whoever writes next


def _discard_stdout(buffer: Any) -> None:
    """Point stdout at /dev/null: what could not be written is dropped, rather than
    tried again (and reported as a traceback) when the interpreter exits."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, buffer.fileno())
        os.close(devnull)
        buffer.flush()
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _check_writable(path: str) -> None:
    """Before the run, not after it: a long check should not end on a typo in -o."""
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        problem = "it is a folder"
    elif not os.path.isdir(folder):
        problem = "No such file or directory"
    elif not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        problem = "Permission denied"
    else:
        return
    raise click.UsageError(f"cannot write {display_path(Path(path))}: {problem}")


def _write_file(
    report: Report, name: ReportFormat, path: str, verbose: bool, options: Options | None = None
) -> None:
    _write_with(partial(_writer(name, verbose, options), report, color=False), path)


def _write_with(write: Callable[[TextIO], None], path: str) -> None:
    """`write` given the file at `path`, as UTF-8; an error is one line and exit 2."""
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            write(stream)
    except OSError as error:
        raise click.UsageError(
            f"cannot write {display_path(Path(path))}: {error.strerror or error}"
        ) from None


def _write_bytes(data: bytes, path: str) -> None:
    """`data` as the file at `path`; an error is one line and exit 2, as `_write_with`."""
    try:
        with open(path, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise click.UsageError(
            f"cannot write {display_path(Path(path))}: {error.strerror or error}"
        ) from None


def _writer(name: ReportFormat, verbose: bool, options: Options | None = None) -> Writer:
    # Writers with settings of their own, redacted through the wrapper WRITERS use.
    from ._report.html import write_html
    from ._report.text import write_text

    if name == "html":  # the page says how the run was made
        return partial(redacting(write_html), options=options)
    if name == "text":
        return partial(redacting(write_text), verbose=verbose)
    return WRITERS[name]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: exit 0, 1 or 2, with usage errors as one line on stderr."""
    command.main(list(argv) if argv is not None else None)


def run(argv: Sequence[str] | None = None) -> int:
    """The exit code of one run with these arguments, in process (for tests and scripts)."""
    return command.main(list(argv) if argv is not None else None, standalone_mode=False)
