"""The command line: a thin shell over linkcheck.check()."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import click
from click.core import ParameterSource

from ._api import check
from ._config import ConfigError, build_options, display_path, find_config, read_config
from ._discover import PathError
from ._fix import fix_files
from ._git import GitError
from ._models import Report
from ._progress import progress_display
from ._report import WRITERS, Writer
from ._report.text import inert, write_text
from ._version import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CACHE = ".linkcheck/cache.db"


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
@click.option("--timeout", type=float, metavar="SECONDS", help="Per request.  [default: 20]")
@click.option(
    "--max-concurrency", type=click.IntRange(1), help="Requests in flight.  [default: 64]"
)
@click.option("--max-per-host", type=click.IntRange(1), help="Per host.  [default: 8]")
@click.option(
    "--host-interval", type=float, metavar="SECONDS", help="Pause between requests to a host."
)
@click.option(
    "--retries", type=click.IntRange(0), help="Retries on transient errors.  [default: 2]"
)
@click.option(
    "--max-retry-wait", type=float, metavar="SECONDS", help="Cap on Retry-After.  [default: 60]"
)
@click.option("--max-redirects", type=click.IntRange(0), help="[default: 10]")
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
    help="Result cache.  [default: .linkcheck/cache.db]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--cache-max-age",
    metavar="DURATION",
    help="Reuse working results this long (3600, 30m, 12h, 1d).  [default: 1d]",
)
@click.option(
    "--cache-failures", is_flag=True, help="Reuse cached failures too, instead of rechecking them."
)
@click.option(
    "--flaky-threshold",
    type=click.IntRange(1),
    help="Failed checks in a row before a link that worked fails the run.  [default: 3]",
)
@click.option("--changed-since", metavar="REF", help="Only articles changed since this git ref.")
@click.option("--soft-404", is_flag=True, help="Probe a random sibling of each working page.")
@click.option("--archive", is_flag=True, help="Find an archived copy of every dead citation.")
@click.option(
    "--archive-url", metavar="BASE", help="The archive to ask.  [default: https://archive.org]"
)
@click.option(
    "--archive-interval",
    type=float,
    metavar="SECONDS",
    help="Pause between two requests to the archive.  [default: 1]",
)
@click.option("--article-date", metavar="YYYY-MM-DD", help="The date of every article checked.")
@click.option(
    "--date-order",
    type=click.Choice(["dmy", "mdy"]),
    help="How to read 03/04/2015.  [default: dmy]",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite shortlinks and permanent redirects to where they lead, in place.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --fix: print the diff on stdout, change nothing."
)
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
    from_command_line = {
        name: value
        for name, value in given.items()
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }
    flags = _as_settings(from_command_line)
    # Command-line values are checked on their own first, so an error names the flag
    # rather than the config file they are merged with.
    build_options(flags, "command line", Path.cwd())
    settings, source, base = _settings(from_command_line.get("config_file"), flags)
    if settings.get("no_cache"):
        settings.pop("cache_path", None)
    else:
        settings.setdefault("cache_path", str(Path(DEFAULT_CACHE).resolve()))
    options = build_options(settings, source, base)
    if options.archive and options.offline:
        click.echo(
            "linkcheck: warning: --archive needs the network; ignored with --offline", err=True
        )
    paths = list(given["paths"]) or ["."]
    format_name = settings.get("format", "text")
    if format_name not in WRITERS:
        raise ConfigError(f"{source}: unknown format {format_name!r}")
    extra_reports = [_report_target(spec) for spec in settings.get("report", ())]
    quiet = bool(settings.get("quiet"))
    show_progress = not quiet and settings.get("progress", True) and sys.stderr.isatty()

    with progress_display(show_progress) as progress:
        report = check(paths, options, progress=progress)

    for issue in report.file_issues:
        kind = "error" if issue.fatal else "warning"
        click.echo(f"linkcheck: {kind}: {inert(issue.file)}: {inert(issue.message)}", err=True)
    output = settings.get("output")
    dry_run = bool(settings.get("dry_run"))
    if settings.get("fix") or dry_run:
        fixed = fix_files(report.results, write=not dry_run, archives=report.archives)
        for warning in fixed.warnings:
            click.echo(f"linkcheck: warning: {inert(warning)}", err=True)
        report = replace(report, fixes=fixed.notes)
        if dry_run:
            sys.stdout.write(fixed.diff)  # the diff owns stdout; reports go to files
        else:
            click.echo(
                f"linkcheck: fixed {fixed.written} link(s) in {fixed.files} file(s)", err=True
            )
    verbose = bool(settings.get("verbose"))
    stdout_free = not dry_run and not (quiet and not report.failed)
    if output is not None or stdout_free:
        _emit(report, format_name, output, verbose)
    for name, path in extra_reports:
        _write_file(report, name, path, verbose)
    return EXIT_FAILED if report.failed else EXIT_OK


def _settings(config_file: str | None, flags: dict[str, Any]) -> tuple[dict[str, Any], str, Path]:
    """Config file settings overlaid with the command line's, and where they came from."""
    path = Path(config_file) if config_file else find_config(Path.cwd())
    if path is None:
        return dict(flags), "command line", Path.cwd()
    settings = dict(read_config(path))
    source, base = display_path(path), path.parent
    # Check the file on its own too: a bad value is an error even where a flag wins.
    build_options(settings, source, base)
    return settings | flags, source, base


def _as_settings(given: dict[str, Any]) -> dict[str, Any]:
    """Flags as config keys: `--no-progress` is `progress = false`, paths absolute."""
    settings: dict[str, Any] = {}
    for name, value in given.items():
        if name in ("paths", "config_file"):
            continue
        key = {"format_": "format", "reports": "report", "no_progress": "progress"}.get(name, name)
        if key == "progress":
            value = not value
        if key in ("root_dir", "cache_path"):
            value = str(Path(value).resolve())
        settings[key] = list(value) if isinstance(value, tuple) else value
    return settings


def _report_target(spec: str) -> tuple[str, str]:
    name, sep, path = spec.partition(":")
    if not sep or not path or name not in WRITERS:
        known = ", ".join(sorted(WRITERS))
        raise click.UsageError(f"--report takes FORMAT:PATH with FORMAT one of {known}: {spec!r}")
    return name, path


def _emit(report: Report, name: str, output: str | None, verbose: bool) -> None:
    if output is not None:
        _write_file(report, name, output, verbose)
        return
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ and name == "text"
    _writer(name, verbose)(report, sys.stdout, color=color)


def _write_file(report: Report, name: str, path: str, verbose: bool) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as stream:
            _writer(name, verbose)(report, stream, color=False)
    except OSError as error:
        raise click.UsageError(f"cannot write {path}: {error.strerror}") from None


def _writer(name: str, verbose: bool) -> Writer:
    return partial(write_text, verbose=verbose) if name == "text" else WRITERS[name]


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: exit 0, 1 or 2, with usage errors as one line on stderr."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None, stderr: TextIO | None = None) -> int:
    err = stderr or sys.stderr
    try:
        result = command.main(list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:  # --help, --version
        return done.exit_code
    except click.Abort:
        print("linkcheck: error: interrupted", file=err)
        return EXIT_USAGE
    except click.ClickException as error:
        print(f"linkcheck: error: {_one_line(error.format_message())}", file=err)
        return EXIT_USAGE
    except (ConfigError, PathError, GitError) as error:
        print(f"linkcheck: error: {_one_line(str(error))}", file=err)
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK


def _one_line(message: str) -> str:
    return re.sub(r"\s*\n\s*", " ", message).strip()
