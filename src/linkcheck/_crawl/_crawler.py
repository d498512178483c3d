"""Pages on the web as articles: a URL given as PATH, and with --recursive the pages of
its site that its links lead to, breadth first, bounded and polite.

A page is fetched once (a GET that reads at most --max-file-size), and read as an
HTML article whose relative links start from where its redirects ended. Its links are
then checked like any article's, by the resolver: a crawl decides only which pages are
read, never a link's verdict.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .._models import Article, FileIssue, Source
from .._options import Options
from .._patterns import Exclusions
from ._robots import MAX_ROBOTS_BYTES, Robots
from ._scope import QueryBudget, Scope, page_key, trap

if TYPE_CHECKING:
    import httpx

    from .._remote import Fetched, PageFetcher

#: Extracts an HTML page's links: (page text, its display name) to an Article.
PageReader = Callable[[str, str], Article]


def is_web(path: str) -> bool:
    """A PATH argument that names a page on the web, not a file."""
    return path.lower().startswith(("http://", "https://"))


@dataclass(slots=True)
class Crawl:
    """What a crawl read, and what it learnt of its sites' robots.txt."""

    pages: list[tuple[Source, Article]] = field(default_factory=list)
    issues: list[FileIssue] = field(default_factory=list)
    #: Pages not read, and why (a trap, the page or depth bound): said in the docs' terms.
    not_read: dict[str, str] = field(default_factory=dict)
    robots: dict[str, Robots] = field(default_factory=dict)
    scopes: tuple[Scope, ...] = ()
    agent: str = "linkcheck"

    @property
    def sources(self) -> list[Source]:
        return [source for source, _ in self.pages]

    async def then(
        self, rest: AsyncIterator[tuple[Source, Article]]
    ) -> AsyncIterator[tuple[Source, Article]]:
        """The pages read, then the articles of `rest`: one stream for the next stage."""
        for page in self.pages:
            yield page
        async for article in rest:
            yield article

    def forbids(self, url: str) -> str | None:
        """Why a link inside a crawled site may not be requested (robots.txt), or None.
        Outside every crawl's scope a link is an ordinary citation: checked."""
        if not self.robots:  # no crawl (every run without --recursive): nothing to split
            return None
        from .._remote import origin_of  # the network stack, when a site is crawled

        robots = self.robots.get(origin_of(url))
        if robots is None or not any(scope.admits(page_key(url)) for scope in self.scopes):
            return None
        return robots.forbids(url, self.agent)


async def crawl(
    starts: Sequence[str],
    options: Options,
    read: PageReader,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Crawl:
    """Every start page, and with `options.recursive` every page of its scope its links
    lead to, within --max-depth and --max-pages, robots.txt honoured unless
    --ignore-robots."""
    from .._remote import PageFetcher, user_agent

    agent = user_agent(options)
    result = Crawl(agent=agent.split("/", 1)[0])
    async with PageFetcher(options, transport) as fetcher:
        if options.recursive:
            result.scopes = tuple(Scope.of(start) for start in starts)
        seen: set[str] = set()
        level = []
        for start in starts:
            key = page_key(start)
            if key not in seen:
                seen.add(key)
                level.append(start)
        budget = QueryBudget()
        skip = Exclusions(options.exclude, options.include)
        depth = 0
        while level:
            found = await _read_level(level, depth, fetcher, read, result, options, seen)
            depth += 1
            deeper = options.max_depth is not None and depth > options.max_depth
            if not options.recursive or deeper:
                break
            level = _next_level(found, seen, budget, result, options, skip)
    return result


async def _read_level(
    urls: list[str],
    depth: int,
    fetcher: PageFetcher,
    read: PageReader,
    result: Crawl,
    options: Options,
    seen: set[str],
) -> list[str]:
    """Fetch and read one level's pages; return every link target they hold (absolute,
    in page order), for the next level to choose from."""
    from .._remote import origin_of  # not imported by a run that crawls nothing

    allowed = []
    for url in urls:
        if options.recursive and not options.ignore_robots:
            origin = origin_of(url)
            if origin not in result.robots:
                answer = await fetcher.get(f"{origin}/robots.txt", MAX_ROBOTS_BYTES)
                result.robots[origin] = Robots.from_answer(answer.status, answer.body)
                fetcher.pace(origin, result.robots[origin].delay(result.agent))
            why = result.robots[origin].forbids(url, result.agent)
            if why is not None:
                if depth == 0:
                    result.issues.append(
                        FileIssue(url, f"not read: {why} (--ignore-robots reads it)", fatal=False)
                    )
                result.not_read[url] = why
                continue
        allowed.append(url)
    fetched = await asyncio.gather(*(fetcher.get(url) for url in allowed))
    found: list[str] = []
    for url, answer in zip(allowed, fetched, strict=True):
        if not answer.page:
            if depth == 0:  # a start page: the user asked for it, so say why it is unread
                result.issues.append(FileIssue(url, _unread(answer)))
            continue
        final = page_key(answer.final)
        if final != page_key(url) and final in seen:
            continue  # a redirect to a page read already (or about to be)
        seen.add(final)
        text = answer.body.decode(answer.charset, "replace")
        # A start page is named as given; a page found by the crawl, where it really is.
        name = url if depth == 0 else answer.final
        article = read(text, name)
        result.pages.append((Source(name, None, base=answer.final), article))
        found += [urljoin(answer.final, link.url) for link in article.links]
    return found


def _next_level(
    found: list[str],
    seen: set[str],
    budget: QueryBudget,
    result: Crawl,
    options: Options,
    skip: Exclusions,
) -> list[str]:
    """The pages of the next level: in scope, not seen, not a trap, within --max-pages."""
    chosen: list[str] = []
    for url in found:
        if not url.lower().startswith(("http://", "https://")):
            continue
        key = page_key(url)
        if key in seen or not any(scope.admits(key) for scope in result.scopes):
            continue
        seen.add(key)
        if skip.why(url) is not None:
            continue  # checked as a link (excluded), never read
        why = trap(key) or (None if budget.take(key) else "too many query strings for one path")
        if why is None and len(result.pages) + len(chosen) >= options.max_pages:
            why = f"beyond --max-pages {options.max_pages}"
        if why is not None:
            result.not_read[key] = why
            continue
        chosen.append(key)
    return chosen


def _unread(answer: Fetched) -> str:
    if answer.status is None:
        return f"could not fetch the page: {answer.error or 'no answer'}"
    if not 200 <= answer.status < 300:
        return f"could not fetch the page: HTTP {answer.status}"
    return f"not a page: {answer.media_type} (only HTML pages are read)"
