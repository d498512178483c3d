"""Stages 1½–2 at scale: read every article once and parse it once, on every core, and
not at all when an unchanged copy was parsed before (the extraction cache)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import BinaryIO, Protocol

from .._cache import ExtractionCache
from .._models import Article, FileIssue, Source
from ._codec import EXTRACTOR_VERSION, dump_article, load_article
from ._markdown import extract
from ._read import read_source

#: Below this many files per core, starting worker processes costs more than it saves.
FILES_PER_WORKER = 16


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
        dialect_of: Callable[[str], str] | None = None,
    ) -> None:
        self._max_size = max_size
        self._issues = issues
        self._stdin = stdin
        self._cache = cache
        self._by_path: dict[str, Article | None] = {}
        self._real_folders: dict[str, str] = {}
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
        are parsed. Every source is also kept for `get`."""
        texts: dict[Source, str] = {}
        for source in sources:
            text, issue = read_source(source, self._max_size, self._stdin)
            if issue is not None:
                self._issues.append(issue)
            if text is None:
                self._by_path[self._key(source.path)] = None
                progress.file_done()
            else:
                texts[source] = text
                if self._date_of is not None:
                    self.dates[source.display] = self._date_of(text, source.path)
        dialects = {source: self._dialect(source.path) for source in texts}
        # Without a cache nothing is looked up, so nothing is hashed.
        keys = (
            {source: _content_key(text, dialects[source]) for source, text in texts.items()}
            if self._cache
            else {}
        )
        now = time.time()
        known = self._cache.get(sorted(set(keys.values())), now) if self._cache else {}
        for source in texts:
            if keys.get(source) in known:
                try:
                    article = load_article(known[keys[source]], source.display)
                except (ValueError, TypeError, KeyError, IndexError):
                    del known[keys[source]]  # a malformed row: parse the article again
                    continue
                self._by_path[self._key(source.path)] = article
                progress.file_done()
                yield source, article
        todo = [source for source in texts if keys.get(source) not in known]
        fresh: dict[str, str] = {}
        parsing = _extract_each([(s.display, texts[s], dialects[s]) for s in todo])
        for source in todo:
            article, payload = await anext(parsing)
            self._by_path[self._key(source.path)] = article
            if self._cache is not None:
                fresh[keys[source]] = payload or dump_article(article)
            progress.file_done()
            yield source, article
        if self._cache is not None and fresh:
            self._cache.put(fresh, now)

    def _key(self, path: str | None) -> str:
        """The real path, which names a file however it was reached."""
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = self._real_path(path)
        return key

    def _real_path(self, path: str | None) -> str:
        if path is None:
            return "-"
        folder, name = os.path.split(path)
        if name in ("", ".", ".."):
            return os.path.realpath(path)
        # realpath checks every component; thousands of articles share a few folders.
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = os.path.realpath(folder or ".")
        full = os.path.join(real, name)
        return os.path.realpath(full) if os.path.islink(full) else full

    def _dialect(self, path: str | None) -> str:
        if path is None or self._dialect_of is None:
            return "github"
        return self._dialect_of(self._key(path))

    def get(self, source: Source) -> Article | None:
        return self._by_path.get(self._key(source.path))

    def anchors_of(self, path: str) -> frozenset[str] | None:
        """Anchors of a markdown file, parsed on demand when it is not itself checked."""
        key = self._key(None if path == "-" else path)
        if key not in self._by_path:
            text, _ = read_source(Source(path, path), self._max_size)
            dialect = self._dialect(None if path == "-" else path)
            self._by_path[key] = None if text is None else extract(text, path, dialect)
        article = self._by_path[key]
        return None if article is None else article.anchors


async def _extract_each(
    items: list[tuple[str, str, str]],
) -> AsyncIterator[tuple[Article, str | None]]:
    """Each article parsed, in order, each batch as soon as it is done (for the progress
    bar); with it, its dump for the extraction cache when a worker made one anyway.

    Workers send back the dump, not Article objects: unpickling 100,000 frozen
    dataclasses costs the main process more than loading the same links from JSON.
    """
    workers = min(os.cpu_count() or 1, len(items) // FILES_PER_WORKER)
    if workers < 2:
        for display, text, dialect in items:
            yield extract(text, display, dialect), None
            await asyncio.sleep(0)  # the requests already started get their turn
        return
    from concurrent.futures import ProcessPoolExecutor  # not imported for small or warm runs

    size = -(-len(items) // (workers * 8))  # several batches per worker, for balance
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(workers, initializer=_ignore_ctrl_c)
    finished = False
    try:
        # All batches submitted at once, awaited in order: the event loop (and the
        # requests already under way) runs while the workers parse.
        futures = [loop.run_in_executor(pool, _extract_batch, batch) for batch in batches]
        for batch, future in zip(batches, futures, strict=True):
            for (display, _, _), payload in zip(batch, await future, strict=True):
                yield load_article(payload, display), payload
        finished = True
    finally:
        # Ctrl-C (or a consumer that stops early): the batches not started are dropped,
        # not parsed to the end first; the ones under way finish as the process exits.
        pool.shutdown(wait=finished, cancel_futures=not finished)


def _ignore_ctrl_c() -> None:
    """In a worker: Ctrl-C reaches the whole process group, and the main process alone
    decides what it stops (a worker's KeyboardInterrupt would be a batch's error)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extract_batch(items: list[tuple[str, str, str]]) -> list[str]:
    """In a worker process: parse articles already read, dumped as the cache stores them."""
    return [dump_article(extract(text, display, dialect)) for display, text, dialect in items]


def _content_key(text: str, dialect: str = "github") -> str:
    """The cache key: the extractor, the dialect the text is read in, the text."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if dialect == "github":
        return f"{EXTRACTOR_VERSION}:{digest}"
    return f"{EXTRACTOR_VERSION}:{dialect}:{digest}"
