"""The whole pipeline on one screen: discover → extract → classify → resolve → report."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from ._cache import ExtractionCache, ResultCache, WrittenReports, verdict_fingerprint
from ._classify import Classifier
from ._crawl import Crawl, crawl, is_web
from ._dates import article_date
from ._discover import discover
from ._extract import Articles, extract_page
from ._generators import Sites
from ._git import only_changed
from ._links_file import read_links, write_links
from ._local import LocalResolver, Roots
from ._models import (
    Archived,
    Article,
    Category,
    Cause,
    Classified,
    Dump,
    FileIssue,
    Link,
    LinkResult,
    Outcome,
    Report,
    Source,
    Status,
    by_position,
)
from ._options import Options
from ._rows import ArticleRows, run_settings
from ._targets import RemoteTargets, uncancel

if TYPE_CHECKING:
    import httpx

    from ._remote import Integrity


class Progress(Protocol):
    """What a progress display is told; every method may be a no-op."""

    def files_found(self, total: int) -> None: ...
    def file_done(self) -> None: ...
    def targets_found(self, total: int) -> None: ...
    def target_done(self) -> None: ...


class NoProgress:
    def files_found(self, total: int) -> None:
        pass

    def file_done(self) -> None:
        pass

    def targets_found(self, total: int) -> None:
        pass

    def target_done(self) -> None:
        pass


def check(
    paths: Sequence[str] = (".",),
    options: Options | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> Report:
    """Check every link in the articles under `paths` and return the report.

    Raises `PathError` for a path that does not exist (the CLI's exit 2), `GitError`
    when `changed_since` cannot be answered (both `LinkcheckError`s, as is every error
    raised on purpose), and RuntimeError inside a running event
    loop (await `check_async` there); a file that cannot be read is reported in
    `Report.file_issues` and the run goes on. Ctrl-C while targets are checked returns
    the report so far, `partial`, the rest `skipped`.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # no loop running: the usual case
    else:
        raise RuntimeError("linkcheck.check() cannot run inside an event loop: await check_async()")
    reports: list[Report] = []

    async def main() -> None:
        reports.append(
            await check_async(paths, options, transport=transport, progress=progress, stdin=stdin)
        )

    # The report is handed out through a list, not as the task's result: on its way out
    # asyncio.run formats the main task's repr, result included (signal.getsignal on
    # CPython 3.11), and the repr of 100,000 links costs the better part of a second.
    with _rare_collections():
        asyncio.run(main())
    return reports[0]


@contextmanager
def _rare_collections() -> Iterator[None]:
    """A run builds several objects per link that all live until the report: the cyclic
    collector, every 700 allocations by default, walks them again and again (15 % of a
    warm run's CPU on 40,000 articles, bench/phases.py). Every 100,000 still collects the
    cycles asyncio and httpx leave; the caller's thresholds come back afterwards. Already
    that rare (the caller's choice, or a run in another thread): left alone, so that two
    runs at once cannot leave it raised for good."""
    thresholds = gc.get_threshold()
    if thresholds[0] >= _RARE:
        yield
        return
    gc.set_threshold(_RARE, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


_RARE = 100_000


async def check_async(
    paths: Sequence[str] = (".",),
    options: Options | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> Report:
    options = options or Options()
    progress = progress or NoProgress()

    issues: list[FileIssue] = []
    roots, pages, files = await _inputs(paths, options, issues, transport)
    sources = pages.sources + files
    progress.files_found(len(sources))
    with _open_cache(options, issues) as cache:
        date_of = _dating(options) if _dated(options) else None
        sites, parsed, classifier = _readers(options, roots, pages, issues, stdin, cache, date_of)
        rows = ArticleRows(cache, options, paths, roots, sites)
        unread = 0
        async with RemoteTargets(options, transport, progress, cache) as remote:
            # Requests start while the rest of the articles are still being parsed.
            articles = pages.then(parsed.each(rows.replay(files, issues, progress), progress))
            by_source, interrupted = await _classified(articles, classifier, remote, options)
            if interrupted:  # Ctrl-C while parsing: what was read is checked and reported
                read = [s for s in sources if s in by_source or s in rows.replayed]
                sources, unread = read, len(sources) - len(read)
            classified = [item for s in sources for item in by_source.get(s, ())]
            local = rows.watch(LocalResolver(options, parsed.anchors_of, roots, sites))
            outcomes = await _resolve(classified, options, local, remote)
            if not interrupted:
                rows.store(by_source, outcomes, local, issues)
        issues.extend(local.config_issues())
        archives: dict[Link, Archived] = {}
        integrity = None
        if date_of is not None and not interrupted:
            rescued = await _rescue(classified, outcomes, parsed.dates, options, transport, cache)
            (archives, integrity), interrupted = rescued
    return _report(
        classified,
        outcomes,
        (archives, integrity),
        Run(
            [s.display for s in sources],
            issues,
            _iso(parsed.dates),
            local.generators(),
            rows.results,
            rows.run_key,
        ),
        options,
        interrupted,
        unread,
    )


def dump(
    paths: Sequence[str] = (".",), options: Options | None = None, *, stdin: BinaryIO | None = None
) -> Dump:
    """Every link in the articles under `paths`, classified, without checking any (the
    first three stages of `check`: whatever an article's format, what extraction finds)."""
    return asyncio.run(dump_async(paths, options, stdin=stdin))


async def dump_async(
    paths: Sequence[str] = (".",), options: Options | None = None, *, stdin: BinaryIO | None = None
) -> Dump:
    options = options or Options()
    issues: list[FileIssue] = []
    roots, pages, files = await _inputs(paths, options, issues, None)
    sources = pages.sources + files
    with _open_cache(options, issues) as cache:
        _, parsed, classifier = _readers(options, roots, pages, issues, stdin, cache, None)
        found: list[Classified] = []
        async for source, article in pages.then(parsed.each(files, NoProgress())):
            found.extend(classifier.classify_all(article.links, source))
    found.sort(key=by_position)
    return Dump(tuple(s.display for s in sources), tuple(found), tuple(issues))


def replay_written(
    paths: Sequence[str], options: Options, how: str
) -> tuple[list[str], str, bytes] | None:
    """When nothing a run over `paths` depends on changed since one that kept what it
    wrote (`keep_written`, written `how`): the real paths of the files it read and what
    it kept, found with a stat per article and per file its links read, no article read
    (docs/ci.md); None otherwise. Nothing kept for these settings: None before the walk.
    Else stage 1 as `check` runs it, then the row cache's question."""
    if options.cache_path is None or any(is_web(path) for path in paths) or "-" in paths:
        return None
    opening: list[FileIssue] = []
    with _open_cache(options, opening) as cache:
        if cache is None:
            return None
        kept = WrittenReports(cache).get(_slot(options, paths, how), time.time())
        if kept is None:
            return None
        issues: list[FileIssue] = []
        roots, _, files = asyncio.run(_inputs(paths, options, issues, None))
        rows = ArticleRows(cache, options, paths, roots, Sites(options.generator, roots.repository))
        if rows.unchanged(files, issues + opening) != kept[0]:
            return None
    return [rows.real_path(s) for s in files], kept[1], kept[2]


def keep_written(
    paths: Sequence[str], options: Options, run_key: str, how: str, meta: str, written: bytes
) -> None:
    """Keep what a run whose report has `run_key` wrote `how`, for `replay_written`."""
    issues: list[FileIssue] = []
    with _open_cache(options, issues) as cache:
        if cache is not None and not issues:
            slot = _slot(options, paths, how)
            # Locked by another run past the wait: nothing kept, the next run checks again.
            with suppress(sqlite3.Error):
                WrittenReports(cache).put(slot, run_key, meta, written, time.time())


def _slot(options: Options, paths: Sequence[str], how: str) -> str:
    """Where the reports of runs with these settings, written `how`, are kept."""
    text = f"{run_settings(options, paths)}\0{how}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def save_links(
    paths: Sequence[str],
    links_file: str,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> tuple[FileIssue, ...]:
    """Stage 1 of a two-stage sharded run (`_links_file.py`): every article under `paths`
    read, parsed and classified once, what needs no network settled, and the whole
    written to `links_file` for `check_links`; the files' problems, to show now."""
    return asyncio.run(save_links_async(paths, links_file, options, stdin=stdin))


async def save_links_async(
    paths: Sequence[str],
    links_file: str,
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> tuple[FileIssue, ...]:
    options = options or Options()
    issues: list[FileIssue] = []
    roots, pages, files = await _inputs(paths, options, issues, None)
    sources = pages.sources + files
    with _open_cache(options, issues) as cache:
        date_of = _dating(options) if _dated(options) else None
        sites, parsed, classifier = _readers(options, roots, pages, issues, stdin, cache, date_of)
        by_source: dict[Source, list[Classified]] = {}
        async for source, article in pages.then(parsed.each(files, NoProgress())):
            by_source[source] = classifier.classify_all(article.links, source)
        classified = [item for s in sources for item in by_source.get(s, ())]
        local = LocalResolver(options, parsed.anchors_of, roots, sites)
        here = [item for item in classified if item.category is not Category.REMOTE]
        outcomes = await _resolve(here, options, local, None)
    issues.extend(local.config_issues())
    write_links(
        links_file,
        options,
        files=[s.display for s in sources],
        rows=[(item, outcomes.get(id(item))) for item in classified],
        file_issues=issues,
        dates=_iso(parsed.dates),
        generators=local.generators(),
    )
    return tuple(issues)


def check_links(
    links_file: str,
    options: Options | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
) -> Report:
    """Stage 2: the remote targets of `save_links`' file checked, only this shard's
    (`options.shard`), no article read again; with shard 1 (or none), the rows stage 1
    settled. `linkcheck merge` joins the shards' reports into the single run's."""
    reports: list[Report] = []

    async def main() -> None:
        reports.append(
            await check_links_async(links_file, options, transport=transport, progress=progress)
        )

    with _rare_collections():
        asyncio.run(main())
    return reports[0]


async def check_links_async(
    links_file: str,
    options: Options | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    progress: Progress | None = None,
) -> Report:
    options = options or Options()
    saved = read_links(links_file, options)
    progress = progress or NoProgress()  # no article is read: only the links' bar
    issues = list(saved.file_issues)
    classified = [item for item, _ in saved.rows]
    outcomes = {id(item): outcome for item, outcome in saved.rows if outcome is not None}
    remote = [item for item, outcome in saved.rows if outcome is None]
    archives: dict[Link, Archived] = {}
    integrity, interrupted = None, False
    with _open_cache(options, issues) as cache:
        async with RemoteTargets(options, transport, progress, cache) as targets:
            targets.add(remote)
            by_url = await targets.outcomes() if remote and not options.offline else {}
        for item in remote:
            assert item.target is not None
            outcomes[id(item)] = _OFFLINE if options.offline else by_url[item.target]
        if _dated(options):
            dated = {
                f: (date.fromisoformat(w) if w else None, s) for f, (w, s) in saved.dates.items()
            }
            rescued = await _rescue(classified, outcomes, dated, options, transport, cache)
            (archives, integrity), interrupted = rescued
    run = Run(list(saved.files), issues, saved.dates, saved.generators)
    return _report(classified, outcomes, (archives, integrity), run, options, interrupted, 0)


@dataclass(frozen=True, slots=True)
class Run:
    """What a report says of the run besides its rows."""

    files: list[str]
    issues: list[FileIssue]
    dates: dict[str, tuple[str | None, str]]
    generators: tuple[tuple[str, str], ...]
    #: Rows of unchanged articles, as the row cache kept them (judged in an earlier run).
    replayed: Sequence[LinkResult] = ()
    #: The row cache's key of the whole run, when every article's rows are in it.
    run_key: str | None = None


def _report(
    classified: list[Classified],
    outcomes: dict[int, Outcome],
    rescued: tuple[dict[Link, Archived], Integrity | None],
    run: Run,
    options: Options,
    interrupted: bool,
    unread: int,
) -> Report:
    """Stage 5's input: a row per occurrence, by position, and the run around them."""
    archives, integrity = rescued
    results = [*run.replayed] + [
        LinkResult(
            item.link,
            item.target,
            item.shortlink,
            outcomes[id(item)],
            archives.get(item.link) if archives else None,  # not a hash per link for nothing
            remapped=item.remapped,
        )
        for item in classified
    ]
    if integrity is not None:
        results = integrity.attach(results)
    results.sort(key=by_position)
    partial = interrupted or any(o.cause is Cause.INTERRUPTED for o in outcomes.values())
    return Report(
        files=tuple(run.files),
        results=tuple(results),
        file_issues=tuple(run.issues),
        fail_on=options.failing,
        dates=run.dates,
        generators=run.generators,
        shard=options.shard,
        partial=partial,
        unread=unread,
        drift=integrity.counts if integrity is not None else None,
        run_key=None if partial else run.run_key,
    )


def _iso(dates: Mapping[str, tuple[date | None, str]]) -> dict[str, tuple[str | None, str]]:
    return {
        file: (when.isoformat() if when else None, source) for file, (when, source) in dates.items()
    }


def _readers(
    options: Options,
    roots: Roots,
    pages: Crawl,
    issues: list[FileIssue],
    stdin: BinaryIO | None,
    cache: ResultCache | None,
    date_of: Callable[[str, str | None], tuple[date | None, str]] | None,
) -> tuple[Sites, Articles, Classifier]:
    """Stages 2–3's readers, the same for a check, a dump and a links file: the sites
    (a generator changes what is a link), the articles' parser and the classifier."""
    extracted = ExtractionCache(cache) if cache is not None else None
    sites = Sites(options.generator, roots.repository)
    parsed = Articles(
        options.max_file_size, issues, stdin, extracted, date_of, sites.dialect, roots.real
    )
    return sites, parsed, Classifier(options, roots, pages.forbids, sites.script_links)


async def _inputs(
    paths: Sequence[str],
    options: Options,
    issues: list[FileIssue],
    transport: httpx.AsyncBaseTransport | None,
) -> tuple[Roots, Crawl, list[Source]]:
    """Stage 1: the pages given as URLs (with --recursive, their sites' pages), read
    already; and the files to read (only those changed, with --changed-since)."""
    web = [path for path in paths if is_web(path)]
    given = [path for path in paths if not is_web(path)]
    roots = Roots(options, given)  # and the run's real paths, for every stage
    files = discover(given, options, issues, roots.real) if given or not web else []
    if options.changed_since is not None:
        files = only_changed(files, options.changed_since, Path(roots.cwd), issues)
    pages = await crawl(web, options, extract_page, transport) if web else Crawl()
    issues += pages.issues
    return roots, pages, files


async def _classified(
    articles: AsyncIterator[tuple[Source, Article]],
    classifier: Classifier,
    remote: RemoteTargets,
    options: Options,
) -> tuple[dict[Source, list[Classified]], bool]:
    """Each article's links classified as soon as it is parsed, its remote targets
    handed on at once; after Ctrl-C, those of the articles parsed so far, and True."""
    by_source: dict[Source, list[Classified]] = {}
    try:
        async for source, article in articles:
            by_source[source] = [
                item
                for item in classifier.classify_all(article.links, source)
                if options.shard is None or options.shard.owns(item)
            ]
            remote.add(by_source[source])
    except asyncio.CancelledError:
        uncancel()
        remote.interrupt()  # nor are the requests under way waited for
        return by_source, True
    return by_source, False


async def _rescue(
    classified: list[Classified],
    outcomes: dict[int, Outcome],
    dated: Mapping[str, tuple[date | None, str]],
    options: Options,
    transport: httpx.AsyncBaseTransport | None,
    cache: ResultCache | None,
) -> tuple[tuple[dict[Link, Archived], Integrity | None], bool]:
    """With --archive: the archived copy of each dead citation; with --drift and
    --preserve, what the archive says of the working ones; and whether Ctrl-C cut the
    look-ups short (the verdicts stand; some rescues were not looked for)."""
    from ._remote import check_integrity, find_archived  # the network stack, when used

    dates = {file: when for file, (when, _) in dated.items()}
    pairs = [(item, outcomes[id(item)]) for item in classified]
    archives: dict[Link, Archived] = {}
    try:
        if options.archive:
            archives = await find_archived(pairs, dates, options, transport, cache)
        if options.drift or options.preserve:
            integrity = await check_integrity(pairs, dates, options, transport, cache)
            return (archives, integrity), False
        return (archives, None), False
    except asyncio.CancelledError:
        uncancel()
        return (archives, None), True


def _dated(options: Options) -> bool:
    """Whether articles' dates are read: what rescue, drift and preservation go by."""
    return (options.archive or options.drift or options.preserve) and not options.offline


def _dating(options: Options) -> Callable[[str, str | None], tuple[date | None, str]]:
    override = date.fromisoformat(options.article_date) if options.article_date else None
    return partial(article_date, date_order=options.date_order, override=override)


@contextmanager
def _open_cache(options: Options, issues: list[FileIssue]) -> Iterator[ResultCache | None]:
    """The run's cache file, or None; a cache that cannot be used is a warning, not an end."""
    if options.cache_path is None:
        yield None
        return
    try:
        cache, warning = ResultCache.open(options.cache_path, verdict_fingerprint(options))
    except (OSError, sqlite3.Error) as error:
        issues.append(FileIssue(options.cache_path, f"cache not used: {error}", fatal=False))
        yield None
        return
    if warning:
        issues.append(FileIssue(options.cache_path, warning, fatal=False))
    with cache:
        yield cache


async def _resolve(
    classified: list[Classified],
    options: Options,
    local: LocalResolver,
    remote_targets: RemoteTargets | None,
) -> dict[int, Outcome]:
    """An Outcome per classified item (keyed by id), each distinct target checked once."""
    outcomes: dict[int, Outcome] = {}
    remote: list[Classified] = []
    local_cache: dict[tuple[str | None, ...], Outcome] = {}
    for item in classified:
        if item.category is Category.REMOTE:
            if options.offline:
                outcomes[id(item)] = _OFFLINE
            else:
                remote.append(item)
        elif item.category is Category.LOCAL:
            key = local.key(item)
            if key not in local_cache:
                local_cache[key] = local.check(item)
            outcomes[id(item)] = local.passed_through(item) or local_cache[key]
        elif item.category is Category.UNDEFINED:
            outcomes[id(item)] = (
                local.passed_through(item) or local.undefined(item) or _decided(item)
            )
        elif item.category is Category.PLACEHOLDER:
            outcomes[id(item)] = (
                local.passed_through(item) or local.no_destination(item) or _decided(item)
            )
        else:
            outcomes[id(item)] = _decided(item)

    if remote:
        assert remote_targets is not None, "remote links come with their targets"
        by_url = await remote_targets.outcomes()
        for item in remote:
            assert item.target is not None
            outcomes[id(item)] = by_url[item.target]
    return outcomes


_OFFLINE = Outcome(Status.SKIPPED, "remote links are not checked with --offline")

_STATUS_OF_CATEGORY = {
    Category.PLACEHOLDER: Status.PLACEHOLDER,
    Category.INVALID: Status.INVALID,
    Category.EXCLUDED: Status.EXCLUDED,
    Category.SKIPPED: Status.SKIPPED,
    Category.UNDEFINED: Status.BROKEN,
    Category.FOOTNOTE: Status.OK,
}


def _decided(item: Classified) -> Outcome:
    """Outcome of a link whose status classification alone settles."""
    return Outcome(_STATUS_OF_CATEGORY[item.category], item.reason)
