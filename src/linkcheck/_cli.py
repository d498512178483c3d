"""The command line: a thin shell over linkcheck.check()."""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import click
from click.core import ParameterSource

from ._api import check
from ._config import ConfigError, display_path, format_duration, load_settings
from ._discover import PathError
from ._fix import fix_files
from ._git import GitError
from ._models import Report
from ._options import Options
from ._progress import progress_display
from ._report import WRITERS, Writer
from ._report.html import write_html
from ._report.text import inert, write_text
from ._version import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for Ctrl-C
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
    except click.Abort:
        click.echo("linkcheck: error: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        click.echo(f"linkcheck: error: {_one_line(error.format_message())}", err=True)
        return EXIT_USAGE
    except (ConfigError, PathError, GitError) as error:
        click.echo(f"linkcheck: error: {_one_line(str(error))}", err=True)
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK


def _one_line(message: str) -> str:
    return inert(re.sub(r"\s*\n\s*", " ", message).strip())


@click.command(
    "linkcheck",
    cls=_Command,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, type=str)
@click.option("--offline", is_flag=True, help="Check nothing over the network.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(sorted(WRITERS)),
    help="Report format on stdout (or in --output).  [default: text]",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT:PATH",
    help="Also write a report in FORMAT to PATH (repeatable).",
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--exclude", multiple=True, metavar="REGEX", help="Skip URLs matching (repeatable).")
@click.option(
    "--include", multiple=True, metavar="REGEX", help="Check URLs matching, even if excluded."
)
@click.option("--exclude-path", multiple=True, metavar="GLOB", help="Skip files (repeatable).")
@click.option("--fail-on", metavar="LIST", help="Statuses that fail the run (comma list).")
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
    type=click.Choice(["dmy", "mdy"]),
    help=_help("How to read 03/04/2015.", "date_order"),
)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite shortlinks and permanent redirects to where they lead, in place.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --fix: print the diff on stdout, change nothing."
)
@click.option("--hidden", is_flag=True, help="Also walk dot-folders and dot-files.")
@click.option("--no-ignore", is_flag=True, help="Also walk files that .gitignore ignores.")
@click.option(
    "--generator",
    metavar="NAME",
    help=_help("auto, github, mdbook, jekyll, hugo, mkdocs or docusaurus.", "generator"),
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
@click.option("-q", "--quiet", is_flag=True, help="No progress, no summary when nothing failed.")
@click.option("-v", "--verbose", is_flag=True, help="List every link, not only problems.")
@click.option("--no-progress", "no_progress", is_flag=True, help="Never show a progress bar.")
@click.version_option(__version__, "--version", prog_name="linkcheck")
def command(**given: Any) -> int:
    """Check every link and citation in markdown articles.

    PATH is a file, a folder (walked for *.md, *.markdown, *.mdx) or - for stdin;
    the default is the current folder. Exit 0: nothing failed; 1: a link in the failing
    set; 2: a usage or configuration error.
    """
    context = click.get_current_context()
    flags = {
        _KEY_OF_PARAMETER.get(name, name): value
        for name, value in given.items()
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE
        and name not in ("paths", "config_file")
    }
    if "progress" in flags:
        flags["progress"] = not flags["progress"]  # --no-progress is progress = false
    flags = {k: list(v) if isinstance(v, tuple) else v for k, v in flags.items()}
    settings = load_settings(flags, given["config_file"], Path.cwd())
    cli, options = settings.cli, settings.options
    if cli.get("no_cache"):
        options = replace(options, cache_path=None)
    elif options.cache_path is None:
        options = replace(options, cache_path=str(Path(DEFAULT_CACHE).resolve()))
    if options.archive and options.offline:
        click.echo(
            "linkcheck: warning: --archive needs the network; ignored with --offline", err=True
        )
    format_name: str = cli.get("format", "text")
    output: str | None = cli.get("output")
    extra_reports: list[tuple[str, str]] = cli.get("report", [])
    for path in [output, *(path for _, path in extra_reports)]:
        if path is not None and path != "-":
            _check_writable(path)
    quiet, verbose = bool(cli.get("quiet")), bool(cli.get("verbose"))
    dry_run = bool(cli.get("dry_run"))
    if dry_run and not cli.get("fix"):
        raise click.UsageError("--dry-run goes with --fix (it shows the diff --fix would write)")
    show_progress = not quiet and cli.get("progress", True) and _stderr_is_terminal()

    with progress_display(show_progress) as progress:
        report = check(list(given["paths"]) or ["."], options, progress=progress)

    for issue in report.file_issues:
        kind = "error" if issue.fatal else "warning"
        click.echo(f"linkcheck: {kind}: {inert(issue.file)}: {inert(issue.message)}", err=True)
    if cli.get("fix"):
        fixed = fix_files(report.results, write=not dry_run)
        for warning in fixed.warnings:
            click.echo(f"linkcheck: warning: {inert(warning)}", err=True)
        report = report.with_fixes(fixed.notes)
        if dry_run:
            with _stdout(format_name) as stream:
                stream.write(fixed.diff)  # the diff owns stdout; reports go to files
        else:
            click.echo(
                f"linkcheck: fixed {fixed.written} link(s) in {fixed.files} file(s)", err=True
            )
    if output is not None and output != "-":
        _write_file(report, format_name, output, verbose, options)
    # -q: a text report only when something failed; a machine always gets its report.
    elif not dry_run and not (quiet and format_name == "text" and not report.failed):
        with _stdout(format_name) as stream:
            color = format_name == "text" and _color_wanted(stream)
            _writer(format_name, verbose, options)(report, stream, color=color)
    for name, path in extra_reports:
        _write_file(report, name, path, verbose, options)
    return EXIT_FAILED if report.failed else EXIT_OK


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _color_wanted(stream: TextIO) -> bool:
    # https://no-color.org: NO_COLOR set to anything but "" turns colour off.
    return stream.isatty() and not os.environ.get("NO_COLOR")


@contextmanager
def _stdout(format_name: str) -> Iterator[TextIO]:
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
    finally:
        stream.flush()
        stream.detach()  # stdout stays open for whoever writes next


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
    report: Report, name: str, path: str, verbose: bool, options: Options | None = None
) -> None:
    try:
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
            _writer(name, verbose, options)(report, stream, color=False)
    except OSError as error:
        raise click.UsageError(
            f"cannot write {display_path(Path(path))}: {error.strerror or error}"
        ) from None


def _writer(name: str, verbose: bool, options: Options | None = None) -> Writer:
    if name == "html":  # the page says how the run was made
        return partial(write_html, options=options)
    return partial(write_text, verbose=verbose) if name == "text" else WRITERS[name]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: exit 0, 1 or 2, with usage errors as one line on stderr."""
    command.main(list(argv) if argv is not None else None)


def run(argv: Sequence[str] | None = None) -> int:
    """The exit code of one run with these arguments, in process (for tests and scripts)."""
    return command.main(list(argv) if argv is not None else None, standalone_mode=False)
