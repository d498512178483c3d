"""Stages 1½–2 at scale: read every article once and parse it once, on every core, and
not at all when an unchanged copy was parsed before (the extraction cache)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable
from datetime import date
from stat import S_ISREG
from typing import TYPE_CHECKING, BinaryIO, Protocol

from .._cache import ExtractionCache
from .._models import Article, FileIssue, Source
from .._realpath import RealPaths
from ._codec import EXTRACTOR_VERSION, dump_article, load_article
from ._dialects import Dialect
from ._formats import Format, extract_as, format_of
from ._read import read_source

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: Below this many files per core, starting worker processes costs more than it saves.
FILES_PER_WORKER = 16
#: A file changed less than this long before a run is read again by the next one: file
#: systems keep times in ticks (a few ms on Linux, 2 s on FAT), and a change within the
#: tick of a read would leave the file's signature as it was.
RACY_NS = 2_000_000_000
#: Windows' st_ctime is the creation time, which an edit does not change: there, only
#: the content key is trusted.
_SIGNATURES = os.name != "nt"


class FileProgress(Protocol):
    def file_done(self) -> None: ...


class Articles:
    """Every article of a run, parsed; also those only linked to, parsed on demand."""

    def __init__(
        self,
        max_size: int,
        issues: list[FileIssue],
        stdin: BinaryIO | None = None,
        cache: ExtractionCache | None = None,
        date_of: Callable[[str, str | None], tuple[date | None, str]] | None = None,
        dialect_of: Callable[[str], Dialect] | None = None,
        real_paths: RealPaths | None = None,
    ) -> None:
        self._max_size = max_size
        self._issues = issues
        self._stdin = stdin
        self._cache = cache
        self._by_path: dict[str, Article | None] = {}
        self._real_paths = real_paths or RealPaths()
        self._keys: dict[str | None, str] = {}
        self._date_of = date_of
        #: Given an article's real path: how the generator that builds it reads markdown.
        self._dialect_of = dialect_of
        #: With date_of: each article's date and where it was found, by display name.
        self.dates: dict[str, tuple[date | None, str]] = {}

    async def each(
        self, sources: list[Source], progress: FileProgress
    ) -> AsyncIterator[tuple[Source, Article]]:
        """Read and parse every source; yield each article as soon as it is parsed (those
        from the cache first), so that checking its links can start while the others
        are parsed. Every source is also kept for `get`.

        With a cache, a file whose signature (`_signature`) is the one stored when it was
        last read is not hashed, nor read unless its date is wanted (--archive): its
        links come straight from the cache."""
        now = time.time()
        signatures = self._signatures(sources)
        unchanged = self._unchanged(signatures, now)
        for source, article in unchanged.items():
            progress.file_done()
            yield source, self._noted(source, article)

        unread = [source for source in sources if source not in unchanged]
        parsing = _Parsing(len(unread))
        todo: list[Source] = []
        keys: dict[Source, str] = {}
        finished = False
        try:
            # Read in chunks, each chunk's articles handed to the workers at once: they
            # parse while the rest is read (before, they waited for the last file).
            for start in range(0, len(unread), parsing.chunk):
                chunk = unread[start : start + parsing.chunk]
                cached, fresh_sources, items = self._read_chunk(
                    chunk, signatures, keys, now, progress
                )
                parsing.add(items)  # the workers start on them before anything else
                todo.extend(fresh_sources)
                for source, article in cached:
                    progress.file_done()
                    yield source, self._noted(source, article)
            fresh: dict[str, str] = {}
            parsed = parsing.results()
            for source in todo:
                article, payload = await anext(parsed)
                self._by_path[self._key(source.path)] = article
                if self._cache is not None:
                    fresh[keys[source]] = payload or dump_article(article)
                progress.file_done()
                yield source, self._noted(source, article)
            finished = True
        finally:
            # Ctrl-C (or a consumer that stops early): the batches not started are
            # dropped, not parsed to the end first.
            parsing.close(finished)
        if self._cache is not None:
            self._store(fresh, keys, signatures, now)

    def _read_chunk(
        self,
        chunk: list[Source],
        signatures: dict[Source, tuple[str, str]],
        keys: dict[Source, str],
        now: float,
        progress: FileProgress,
    ) -> tuple[list[tuple[Source, Article]], list[Source], list[_Item]]:
        """Read `chunk`: the articles the cache holds by content (their keys added to
        `keys`), the sources left to parse and what a parser needs of each. One pass
        over lists, not a dict per property: a Source hashes in Python, per lookup."""
        read = [
            (source, text, self._dialect(source.path), fmt.name)
            for source, text, fmt in self._read(chunk, signatures, progress)
        ]
        if self._cache is None:  # nothing is looked up, so nothing is hashed
            items = [(s.display, text, dialect, fmt, s.path) for s, text, dialect, fmt in read]
            return [], [source for source, *_ in read], items
        for source, text, dialect, fmt in read:
            keys[source] = _content_key(text, dialect, fmt)
        wanted = sorted({keys[source] for source, *_ in read})
        known = self._cache.get(wanted, now) if wanted else {}
        cached, todo, items = [], [], []
        for source, text, dialect, fmt in read:
            payload = known.get(keys[source])
            article = None if payload is None else _loaded(payload, source.display)
            if article is not None:  # None: not cached, or a malformed row (parsed again)
                self._by_path[self._key(source.path)] = article
                cached.append((source, article))
            else:
                todo.append(source)
                items.append((source.display, text, dialect, fmt, source.path))
        return cached, todo, items

    def _read(
        self,
        sources: list[Source],
        signatures: dict[Source, tuple[str, str]],
        progress: FileProgress,
    ) -> list[tuple[Source, str, Format]]:
        """The text and format of each source that can be read (and its date, with
        --archive); what cannot be read is an issue, and an article that is not there."""
        texts: list[tuple[Source, str, Format]] = []
        for source in sources:
            text, issue = read_source(source, self._max_size, self._stdin)
            fmt = format_of(source.path)
            if text is not None and fmt.problem is not None and (why := fmt.problem(text)):
                text, issue = None, FileIssue(source.display, why)  # not parsed: said why
            if issue is not None:
                self._issues.append(issue)
                signatures.pop(source, None)  # read it next time too, to say so again
            if text is None:
                self._by_path[self._key(source.path)] = None
                progress.file_done()
            else:
                texts.append((source, text, fmt))
                if self._date_of is not None:
                    self.dates[source.display] = self._date_of(text, source.path)
        return texts

    def _store(
        self,
        fresh: dict[str, str],
        keys: dict[Source, str],
        signatures: dict[Source, tuple[str, str]],
        now: float,
    ) -> None:
        """The articles parsed now, and the signatures of the files read now (and read
        without a warning), into the extraction cache."""
        assert self._cache is not None
        signed = {
            signatures[source][0]: (signatures[source][1], key)
            for source, key in keys.items()
            if source in signatures
        }
        self._cache.put(fresh, now, signed)

    def _noted(self, source: Source, article: Article) -> Article:
        """`article`, its warnings (an ignore region never closed) said as the file's."""
        for warning in article.warnings:
            self._issues.append(FileIssue(source.display, warning, fatal=False))
        return article

    def _signatures(self, sources: list[Source]) -> dict[Source, tuple[str, str]]:
        """Each source's real path and signature, where it has one (with a cache only)."""
        if self._cache is None or not _SIGNATURES:
            return {}
        started = run_started()
        signatures = {}
        for source in sources:
            if (signature := self._signature(source, started)) is not None:
                signatures[source] = signature
        return signatures

    def _unchanged(
        self, signatures: dict[Source, tuple[str, str]], now: float
    ) -> dict[Source, Article]:
        """The articles of the sources whose stored signature is their current one."""
        if self._cache is None or not signatures:
            return {}
        payloads = self._cache.unchanged(dict(signatures.values()), now)
        found = {}
        for source, (path, _) in signatures.items():
            if path in payloads:
                article = _loaded(payloads[path], source.display)
                if article is not None and self._dated(source):
                    found[source] = self._by_path[path] = article
        return found

    def _dated(self, source: Source) -> bool:
        """With article dates wanted, the source's date from its text; False when it
        cannot be read now (the slow path reads it again and says why)."""
        if self._date_of is None:
            return True
        text, issue = read_source(source, self._max_size, self._stdin)
        if text is None or issue is not None:
            return False
        self.dates[source.display] = self._date_of(text, source.path)
        return True

    def _signature(self, source: Source, started: int) -> tuple[str, str] | None:
        """The file's real path and its signature: what changes whenever its content
        may have (size, modification and change times, inode, device), with the
        extractor and the dialect that read it. None where that cannot be trusted:
        not a regular file, too large, or last changed so recently that a change
        within the same timestamp tick could leave every field as it is (git's "racily
        clean" entries), that is less than RACY_NS before this run started."""
        if source.path is None:
            return None
        path, stat = self._real_paths.resolve_stat(source.path)
        self._keys[source.path] = path
        if not _storable(path):
            return None
        if stat is None or not S_ISREG(stat.st_mode) or stat.st_size > self._max_size:
            return None
        signed = stat_signature(stat, started)
        if signed is None:
            return None
        return path, f"{self._dialect(source.path)}:{signed}"

    def _key(self, path: str | None) -> str:
        """The real path, which names a file however it was reached."""
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = "-" if path is None else self._real_paths(path)
        return key

    def _dialect(self, path: str | None) -> Dialect:
        if path is None or self._dialect_of is None:
            return "github"
        return self._dialect_of(self._key(path))

    def get(self, source: Source) -> Article | None:
        return self._by_path.get(self._key(source.path))

    def anchors_of(self, path: str) -> frozenset[str] | None:
        """Anchors of a markdown file, parsed on demand when it is not itself checked."""
        key = self._key(None if path == "-" else path)
        if key not in self._by_path:
            self._by_path[key] = self._linked_only(Source(path, path))
        article = self._by_path[key]
        return None if article is None else article.anchors

    def _linked_only(self, source: Source) -> Article | None:
        """A file only linked to (with --changed-since, most of them): from the cache
        when a run read it before as it is now, else parsed. Not stored: one write per
        file looked up here would cost more than the parse it saves."""
        path = None if source.path == "-" else source.path
        if self._cache is not None and _SIGNATURES and path is not None:
            signature = self._signature(source, run_started())
            if signature is not None:
                payload = self._cache.unchanged(dict([signature]), time.time()).get(signature[0])
                if payload is not None and (found := _loaded(payload, source.display)):
                    return found
        text, _ = read_source(source, self._max_size)
        if text is None:
            return None
        dialect = self._dialect(path)
        fmt = format_of(path).name
        if self._cache is not None:
            key = _content_key(text, dialect, fmt)
            payload = self._cache.get([key], time.time()).get(key)
            if payload is not None and (found := _loaded(payload, source.display)):
                return found
        try:
            return extract_as(fmt, text, source.display, dialect, path)
        except ValueError:  # a linked file that is no article of its format (bad JSON)
            return None


def run_started() -> int:
    """Now, in ns: what a file's last change is compared with (one clock for every
    cache that trusts signatures)."""
    return time.time_ns()


def stat_signature(stat: os.stat_result, started: int) -> str | None:
    """What changes whenever a file's content may have: size, modification and change
    times, inode, device; and the extractor, which reads it. None where that cannot be
    trusted: a file system that keeps no change time, or a file last changed so recently
    that a change within the same timestamp tick could leave every field as it is (git's
    "racily clean" entries), that is less than RACY_NS before `started`."""
    if stat.st_ctime_ns == 0 or max(stat.st_mtime_ns, stat.st_ctime_ns) >= started - RACY_NS:
        return None
    return (
        f"{EXTRACTOR_VERSION}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:"
        f"{stat.st_ino}:{stat.st_dev}"
    )


#: An article to parse: display name, text, dialect, format name, filesystem path.
_Item = tuple[str, str, Dialect, str, str | None]


class _Parsing:
    """Articles parsed as they are handed in: in worker processes, in batches, once
    there are enough of them for starting the workers to pay; in this process otherwise.
    Results come back in the order the articles were added."""

    def __init__(self, expected: int) -> None:
        #: How many articles will be added at most (those not already known).
        self._workers = min(os.cpu_count() or 1, expected // FILES_PER_WORKER)
        #: Articles per batch: several batches per worker, for balance.
        self._size = -(-expected // (self._workers * 8)) if self._workers >= 2 else 0
        #: Articles read at a time: a batch, or enough to tell whether workers pay.
        self.chunk = max(self._size, 2 * FILES_PER_WORKER)
        self._pending: list[_Item] = []
        self._batches: list[tuple[list[_Item], asyncio.Future[list[str]]]] = []
        self._pool: ProcessPoolExecutor | None = None

    def add(self, items: list[_Item]) -> None:
        self._pending.extend(items)
        while self._workers >= 2 and len(self._pending) >= max(self._size, self._threshold):
            self._submit(self._pending[: self._size])
            del self._pending[: self._size]

    @property
    def _threshold(self) -> int:
        """Pending articles worth starting the workers for (none once they run)."""
        return 0 if self._pool is not None else self._workers * FILES_PER_WORKER

    def _submit(self, batch: list[_Item]) -> None:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor  # not for small or warm runs

            from . import _markdown  # noqa: F401 - imported once here, inherited by each worker

            self._pool = ProcessPoolExecutor(self._workers, initializer=_worker_started)
        loop = asyncio.get_running_loop()
        self._batches.append((batch, loop.run_in_executor(self._pool, _extract_batch, batch)))

    async def results(self) -> AsyncIterator[tuple[Article, str | None]]:
        """Each article parsed, in order, each batch as soon as it is done (for the
        progress bar); with it, its dump for the extraction cache when a worker made
        one anyway. Workers send back the dump, not Article objects: unpickling
        100,000 frozen dataclasses costs this process more than loading the same
        links from JSON."""
        if self._workers >= 2 and self._pending and len(self._pending) >= self._threshold:
            while self._pending:
                self._submit(self._pending[: self._size])
                del self._pending[: self._size]
        for batch, future in self._batches:
            for (display, *_), payload in zip(batch, await future, strict=True):
                yield load_article(payload, display), payload
        for display, text, dialect, fmt, path in self._pending:
            yield extract_as(fmt, text, display, dialect, path), None
            await asyncio.sleep(0)  # the requests already started get their turn

    def close(self, finished: bool) -> None:
        """The workers stopped: after the last batch, or at once (batches not started
        are dropped; the ones under way finish as the process exits)."""
        if self._pool is not None:
            self._pool.shutdown(wait=finished, cancel_futures=not finished)


def _worker_started() -> None:
    """In a worker: Ctrl-C reaches the whole process group, and the main process alone
    decides what it stops (a worker's KeyboardInterrupt would be a batch's error).
    markdown-it's debug logging, which nobody reads there, is switched off."""
    import signal

    from ._markdown import quiet_parser_debug_logs  # the parser, imported by a worker

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quiet_parser_debug_logs()


def _extract_batch(items: list[_Item]) -> list[str]:
    """In a worker process: parse articles already read, dumped as the cache stores them."""
    return [
        dump_article(extract_as(fmt, text, display, dialect, path))
        for display, text, dialect, fmt, path in items
    ]


def _loaded(payload: str, display: str) -> Article | None:
    """A cached payload as an Article, or None for a malformed row (parsed again)."""
    try:
        return load_article(payload, display)
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def _storable(path: str) -> bool:
    """A name SQLite can keep as text: not one with bytes that are not UTF-8 (read back
    as surrogates), which is then read every run instead of crashing the cache."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _content_key(text: str, dialect: Dialect = "github", fmt: str = "markdown") -> str:
    """The cache key: the extractor, the format and dialect the text is read in, the
    text (one text is two articles as markdown and as HTML)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    reading = dialect if fmt == "markdown" else f"{fmt}:{dialect}"
    if reading == "github":
        return f"{EXTRACTOR_VERSION}:{digest}"
    return f"{EXTRACTOR_VERSION}:{reading}:{digest}"
