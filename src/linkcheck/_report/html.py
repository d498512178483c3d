"""The HTML report: one self-contained page a person opens, shares and works through.

Everything on the page that came from an article (link texts, URLs, file names, source
lines) or from a server (redirect locations, reasons) is hostile. It reaches the page
only through Jinja2's autoescaping, after control characters are shown as escapes; a URL
is a live link only when it is absolute http(s). A Content-Security-Policy allows the
page's own script and style alone (by hash), so even a slip could not run anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TextIO

from .._durations import format_duration
from .._models import Drift, Link, Preserved, Report, Status
from .._options import Options
from .._version import __version__
from ._problems import Problem, Rank, expands, problems
from ._source import Context, SourceLines, context
from ._years import MEASURES, citations_by_year
from .text import inert

_TEXT_MAX = 300  # link text beyond this (a whole paragraph) is shortened on the page


def write_html(
    report: Report,
    stream: TextIO,
    *,
    color: bool = False,
    options: Options | None = None,
    now: datetime | None = None,
    sources: SourceLines | None = None,
) -> None:
    """The report as one HTML page; `options` adds how the run was made, `sources` where
    the source lines come from (default: the article files, read again now)."""
    page = _page(report, options, now or datetime.now(UTC), sources or SourceLines(report.files))
    template = _environment().get_template("report.html.j2")
    for chunk in template.generate(**page):
        stream.write(chunk)


# ------------------------------------------------------------------ what the page shows


@dataclass(frozen=True, slots=True)
class Href:
    """A URL shown on the page; `live` only for absolute http(s), never javascript:."""

    text: str
    live: bool


_LIVE = re.compile(r"https?://[^/?#\s]", re.IGNORECASE)


def href(url: str) -> Href:
    # Browsers drop leading spaces and controls and every tab or newline before they
    # read a scheme; a URL that starts with http:// or https:// and a host as written is
    # one of those whatever they drop.
    shown = inert(url)
    # A URL with a control character or a space is shown escaped, and so is not live:
    # the escaped text is not the address.
    return Href(shown, bool(_LIVE.match(url)) and shown == url and " " not in url)


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    level: str
    status: str
    article: int  # index into the page's articles
    host: int  # index into the page's hosts
    where: str
    line: int
    column: int
    text: str
    url: Href | None
    label: str | None
    reason: str
    http_status: int | None
    flaky: bool
    shortlink: bool
    context: Context | None
    context_note: str | None
    redirects: tuple[tuple[int, Href], ...]
    final: Href | None
    fix: tuple[str, Href, str] | None  # (what: "fixed to" / "suggested fix", to, why)
    archive: tuple[Href, str] | None  # (copy, its day)
    no_archive: bool
    #: With --drift: (the copy as cited, similarity, title then, title now).
    drift: tuple[Href, str, str, str] | None = None
    #: With --preserve: (the capture, its day) or (None, why not).
    preserved: tuple[Href | None, str] | None = None


@dataclass(frozen=True, slots=True)
class Article:
    index: int
    file: str
    rows: tuple[Row, ...]
    errors: int
    warnings: int
    notices: int
    note: str | None  # why its source lines are not shown


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
    width: float  # of the chart's bar area, 0..1
    css: str


@dataclass(frozen=True, slots=True)
class YearRow:
    """One year of the rot chart: its four counts, each with its bar's share of the widest."""

    year: str
    bars: tuple[tuple[str, int, float], ...]  # (measure, count, width 0..1)


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    more: int  # how many were left out
    empty: str  # what the chart says when it has no bars


def _page(
    report: Report, options: Options | None, now: datetime, sources: SourceLines
) -> dict[str, object]:
    listed = problems(report)
    files = sorted({p.result.link.file for p in listed})
    article_of = {f: i for i, f in enumerate(files)}
    hosts = sorted({p.host for p in listed})
    host_of = {h: i for i, h in enumerate(hosts)}
    per_file: dict[str, list[Row]] = {f: [] for f in files}
    for number, problem in enumerate(sorted(listed, key=_position)):
        file = problem.result.link.file
        row = _row(problem, f"p{number + 1}", article_of[file], host_of[problem.host], sources)
        per_file[file].append(row)
    articles = [_article(i, f, per_file[f], sources) for i, f in enumerate(files)]
    levels = Counter(p.rank for p in listed)
    counts = report.counts
    unread = [i for i in report.file_issues if i.fatal]
    return {
        "failed": report.failed,
        "links": len(report.results),
        "files": len(report.files),
        "errors": levels[Rank.ERROR],
        "warnings": levels[Rank.WARNING],
        "notices": levels[Rank.NOTICE],
        "unread": len(unread),
        "statuses": [(s.value, counts[s], s in report.fail_on) for s in Status if counts[s]],
        "run": _run(report, options, now),
        "charts": _charts(listed),
        "rot": _rot(report),
        "measures": MEASURES,
        "articles": articles,
        "filter_statuses": _filter_statuses(listed),
        "filter_files": [inert(f) for f in files],
        "filter_hosts": [_host_label(h) for h in hosts],
        "file_issues": [(inert(i.file), inert(i.message), i.fatal) for i in report.file_issues],
        "script_hash": _hash(_asset("report.js")),
        "style_hash": _hash(_asset("report.css")),
        "script": _asset("report.js"),
        "style": _asset("report.css"),
    }


def _position(problem: Problem) -> tuple[str, int, int]:
    link = problem.result.link
    return link.file, link.line, link.column


def _row(problem: Problem, row_id: str, article: int, host: int, sources: SourceLines) -> Row:
    result, outcome = problem.result, problem.result.outcome
    link = result.link
    text = " ".join(link.text.split())
    if len(text) > _TEXT_MAX:
        text = text[: _TEXT_MAX - 1] + "…"
    shown, note = _source_context(link, sources)
    return Row(
        id=row_id,
        level=problem.rank.label,
        status=result.status.value,
        article=article,
        host=host,
        where=f"{inert(link.file)}:{link.line}:{link.column}",
        line=link.line,
        column=link.column,
        text="" if text == link.url else inert(text),
        url=href(link.url) if link.url else None,
        label=inert(link.label) if link.label and not link.url else None,
        reason=inert(outcome.reason or ""),
        http_status=outcome.http_status,
        flaky=outcome.flaky,
        shortlink=result.shortlink,
        context=shown,
        context_note=note,
        redirects=tuple((r.status, href(r.url)) for r in outcome.redirects),
        final=href(outcome.final_url)
        if outcome.final_url and outcome.final_url != result.target and not expands(result)
        else None,
        fix=_fix(problem),
        archive=(href(problem.archive[0]), problem.archive[1]) if problem.archive else None,
        no_archive=problem.archive_looked_up and problem.archive is None,
        drift=_drift(result.drift),
        preserved=_preserved(result.preserved),
    )


def _source_context(link: Link, sources: SourceLines) -> tuple[Context | None, str | None]:
    """The link's source line as it is now, and why it cannot be shown as checked."""
    line = sources.line(link.file, link.line)
    if line is None:
        # An unreadable file is said once, above its section; a missing line here.
        if sources.readable(link.file):
            return None, f"the file has changed since the check: it has no line {link.line} now"
        return None, None
    shown = _inert_context(context(line, link))
    if shown.changed:
        return shown, "the file has changed since the check: no link starts at this column now"
    return shown, None


def _fix(problem: Problem) -> tuple[str, Href, str] | None:
    result = problem.result
    if problem.fix is not None:
        what = "fixed to" if problem.fix.applied else "suggested fix"
        return (what, href(problem.fix.to), inert(problem.fix.why))
    if expands(result) and result.outcome.final_url:
        return ("shortlink expands to", href(result.outcome.final_url), "")
    return None


def _drift(moved: Drift | None) -> tuple[Href, str, str, str] | None:
    if moved is None:
        return None
    titles = (inert(moved.title_then), inert(moved.title_now))
    return (href(moved.archived_url), f"{moved.similarity:.2f}", *titles)


def _preserved(kept: Preserved | None) -> tuple[Href | None, str] | None:
    if kept is None:
        return None
    if kept.url:
        return (href(kept.url), kept.day or "")
    why = f"not captured ({'for good' if kept.permanent else 'may pass later'}): "
    return (None, why + inert(kept.error or ""))


def _visible(text: str) -> str:
    """inert(), but a tab stays a tab: source lines are shown with their indentation."""
    return "\t".join(inert(part) for part in text.split("\t"))


def _inert_context(shown: Context) -> Context:
    return Context(
        shown.number,
        _visible(shown.before),
        _visible(shown.mark),
        _visible(shown.after),
        shown.cut_before,
        shown.cut_after,
        shown.changed,
    )


def _article(index: int, file: str, rows: list[Row], sources: SourceLines) -> Article:
    levels = Counter(r.level for r in rows)
    note = None
    if file == "-":
        note = "Read from stdin: its lines cannot be shown."
    elif not sources.readable(file):
        note = "The file cannot be read now (gone, moved or not text): its lines are not shown."
    return Article(
        index,
        inert(file),
        tuple(rows),
        levels["error"],
        levels["warning"],
        levels["notice"],
        note,
    )


def _host_label(host: str) -> str:
    return {"": "(no host)", "local": "(local files)"}.get(host, inert(host))


def _filter_statuses(listed: list[Problem]) -> list[tuple[str, int]]:
    counts = Counter(p.result.status for p in listed)
    return [(s.value, counts[s]) for s in Status if counts[s]]


_TOP = 8


def _charts(listed: list[Problem]) -> list[Chart]:
    bad = [p for p in listed if p.rank is not Rank.NOTICE]
    by_status = Counter(p.result.status for p in bad)
    statuses = [(s.value, by_status[s], f"s-{s.value}") for s in Status if by_status[s]]
    by_file = Counter(p.result.link.file for p in bad)
    by_host = Counter(p.host for p in bad if p.host not in ("", "local"))
    return [
        _chart("Problems per status", statuses, len(statuses), "No problems."),
        _chart(
            "Articles with the most problems",
            [(inert(f), n, "bar") for f, n in by_file.most_common(_TOP)],
            len(by_file),
            "No article has a problem.",
        ),
        _chart(
            "Hosts with the most failures",
            [(inert(h), n, "bar") for h, n in by_host.most_common(_TOP)],
            len(by_host),
            "No remote link failed.",
        ),
    ]


def _rot(report: Report) -> list[YearRow]:
    """The rot of the archive by year of the articles' dates (empty when no dates)."""
    years = citations_by_year(report) if report.dates else {}
    top = max((n for counts in years.values() for n in counts.values()), default=0) or 1
    return [
        YearRow(year, tuple((m, counts[m], counts[m] / top) for m in MEASURES))
        for year, counts in years.items()
    ]


def _chart(title: str, bars: Iterable[tuple[str, int, str]], total: int, empty: str) -> Chart:
    shown = list(bars)
    top = max((n for _, n, _ in shown), default=1)
    return Chart(
        title,
        tuple(Bar(label, n, n / top, css) for label, n, css in shown),
        total - len(shown),
        empty,
    )


def _run(report: Report, options: Options | None, now: datetime) -> list[tuple[str, str]]:
    """How the run was made: the settings that change what a reader sees. Never headers,
    user agents or the archive's address (they can carry credentials)."""
    run = [
        ("generated", now.strftime("%Y-%m-%d %H:%M UTC")),
        ("by", f"linkcheck {__version__}"),
        ("fails on", ", ".join(s.value for s in Status if s in report.fail_on)),
    ]
    if report.generators is not None:
        sites = [f"{name} (from {config})" for name, config in report.generators]
        shown = inert(", ".join(sites)) or "none (links judged as GitHub renders them)"
        run.append(("site generator", shown))
    if options is None:
        return run

    flags = [
        name
        for name, on in (
            ("offline", options.offline),
            ("check fragments", options.check_fragments),
            ("soft 404 probe", options.soft_404),
            ("archive", options.archive),
            ("drift", options.drift),
            ("preserve", options.preserve),
            ("exclude private", options.exclude_private),
        )
        if on
    ]
    if flags:
        run.append(("mode", ", ".join(flags)))
    if options.changed_since:
        run.append(("changed since", inert(options.changed_since)))
    if not options.offline:
        run.append(
            (
                "requests",
                f"timeout {options.timeout:g} s, {options.retries} retries, "
                f"{options.max_per_host} per host",
            )
        )
    patterns = [*options.exclude, *options.exclude_path]
    if patterns:
        run.append(("excluded", inert(", ".join(patterns))))
    run.append(
        (
            "result cache",
            "off"
            if options.cache_path is None
            else f"on, working results reused for {format_duration(options.cache_max_age)}",
        )
    )
    return run


# ------------------------------------------------------------------------- the assets


@cache
def _asset(name: str) -> str:
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@cache
def _environment():  # type: ignore[no-untyped-def]  # jinja2 is imported only here
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("linkcheck._report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["truncate_start"] = _truncate_start
    return environment


def _truncate_start(text: str, limit: int) -> str:
    """The end of a long label, from a `/` where there is one: a file's name is at the
    end of its path."""
    if len(text) <= limit:
        return text
    tail = text[-(limit - 1) :]
    cut = tail.find("/")
    return "…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else tail)
