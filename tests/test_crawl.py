"""URLs as input and --recursive (SPEC, "More inputs"): a loopback site of a few hundred
pages with broken links, redirects, robots.txt rules, link loops, traps and off-scope
links; the crawl reads exactly its pages, bounded and polite, and never what robots.txt
forbids."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from linkcheck import Options, Status, check, dump
from linkcheck._crawl._robots import Robots
from linkcheck._crawl._scope import MAX_QUERIES_PER_PATH, Scope, page_key, trap
from servers import Route, Server, redirect, serve

SECTIONS, PAGES = 10, 30


def html(*links: str, title: str = "page") -> Route:
    anchors = "\n".join(f'<p><a href="{href}">link {i}</a></p>' for i, href in enumerate(links))
    body = f"<!doctype html>\n<html><head><title>{title}</title></head>\n<body>\n{anchors}\n</body></html>\n"
    return Route(200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


def site(other: str) -> dict[str, Route]:
    """311 real pages under /docs/, and everything a crawl must not be fooled by."""
    routes: dict[str, Route] = {
        "/robots.txt": Route(
            200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /docs/private/\n"
        ),
        "/docs/": html(
            *(f"section-{s}/" for s in range(SECTIONS)),
            "private/secret.html",  # robots.txt forbids it: never requested
            "old-page",  # a redirect into the site
            "gone",  # 410
            "/blog/",  # same origin, outside the path prefix: checked, not crawled
            f"{other}/elsewhere",  # another host: checked, not crawled
            "calendar?month=0",  # an endless calendar
            "loop/",  # a relative-link loop
            "section-0/page-0.html?sid=abc123",  # a session id: the same page
            "mailto:someone@example.org",
        ),
        "/docs/private/secret.html": html(title="secret"),
        "/docs/old-page": redirect("/docs/section-1/page-2.html"),
        "/docs/gone": Route(410, {"Content-Type": "text/html"}, b"gone"),
        "/blog/": html("/blog/post.html"),
        "/docs/calendar": Route(handler=_calendar),
    }
    for s in range(SECTIONS):
        routes[f"/docs/section-{s}/"] = html(*(f"page-{p}.html" for p in range(PAGES)), "../")
        for p in range(PAGES):
            links = [f"page-{(p + 1) % PAGES}.html", f"page-{(p - 1) % PAGES}.html", "/docs/"]
            if (s, p) == (3, 7):
                links.append("missing.html")  # the one broken page link
            routes[f"/docs/section-{s}/page-{p}.html"] = html(*links)
    path = "/docs/loop/"
    for _ in range(8):
        routes[path] = html("again/")
        path += "again/"
    return routes


def _calendar(path: str) -> tuple[int, dict[str, str], bytes]:
    month = int(path.rpartition("=")[2])
    route = html(f"calendar?month={month + 1}")
    return 200, route.headers, route.body


@pytest.fixture(scope="module")
def crawled() -> Iterator[tuple[Server, Server, object]]:
    with (
        serve({"/elsewhere": html()}, host="127.0.0.2") as other,
        serve(site(other.url("").rstrip("/"))) as server,
    ):
        report = check([server.url("/docs/")], Options(recursive=True, retries=0))
        yield server, other, report


def test_a_crawl_reads_every_page_of_the_site_once(crawled) -> None:
    server, _, report = crawled
    pages = {f for f in report.files}
    for s in range(SECTIONS):
        for p in range(PAGES):
            assert server.url(f"/docs/section-{s}/page-{p}.html") in pages
    # Each page is fetched once to be read (and once more as a link, by the resolver).
    gets = [n for (method, path), n in server.hits.items() if method == "GET"]
    assert max(gets) <= 2


def test_it_finds_exactly_the_broken_links_at_their_page_and_line(crawled) -> None:
    server, _, report = crawled
    failures = {(r.link.file, r.link.line, r.link.url, r.status) for r in report.failures}
    index = server.url("/docs/")
    assert failures == {
        (index, 4 + SECTIONS + 2, "gone", Status.BROKEN),
        (server.url("/docs/section-3/page-7.html"), 7, "missing.html", Status.BROKEN),
    }


def test_robots_txt_is_honoured_and_said(crawled) -> None:
    server, _, report = crawled
    assert not any(path.startswith("/docs/private/") for _, path in server.hits)
    secret = [r for r in report.results if r.link.url == "private/secret.html"]
    assert [(r.status, r.outcome.reason) for r in secret] == [
        (Status.EXCLUDED, "robots.txt forbids it")
    ]


def test_off_scope_links_are_checked_not_crawled(crawled) -> None:
    server, other, report = crawled
    assert ("GET", "/blog/post.html") not in server.hits  # /blog/ itself was not read
    assert server.url("/blog/") not in report.files
    assert other.url("/elsewhere") not in report.files
    statuses = {r.link.url: r.status for r in report.results}
    assert statuses["/blog/"] is Status.OK
    assert statuses[other.url("/elsewhere")] is Status.OK


def test_traps_are_bounded(crawled) -> None:
    server, _, report = crawled
    calendar = [p for _, p in server.hits if p.startswith("/docs/calendar")]
    assert len(set(calendar)) <= MAX_QUERIES_PER_PATH + 1
    loop = [p for _, p in server.hits if p.startswith("/docs/loop/")]
    assert max(p.count("again") for p in loop) <= 4
    # The session id named no new page.
    assert server.url("/docs/section-0/page-0.html?sid=abc123") not in report.files


def test_a_url_without_recursive_reads_only_that_page() -> None:
    with serve(site("http://127.0.0.1:9")) as server:
        report = check([server.url("/docs/section-2/page-5.html")], Options(retries=0))
    assert report.files == (server.url("/docs/section-2/page-5.html"),)
    assert ("GET", "/robots.txt") not in server.hits
    rows = {r.link.url: (r.link.line, r.link.column, r.status) for r in report.results}
    assert rows == {
        "page-6.html": (4, 4, Status.OK),
        "page-4.html": (5, 4, Status.OK),
        "/docs/": (6, 4, Status.OK),
    }


def test_max_pages_and_max_depth_bound_the_crawl() -> None:
    with serve(site("http://127.0.0.1:9")) as server:
        report = check([server.url("/docs/")], Options(recursive=True, max_pages=5, offline=True))
        assert len(report.files) == 5
        shallow = check([server.url("/docs/")], Options(recursive=True, max_depth=1, offline=True))
    assert server.url("/docs/section-4/") in shallow.files
    assert server.url("/docs/section-4/page-0.html") not in shallow.files


def test_an_unreadable_start_page_is_a_file_error() -> None:
    with serve({}) as server:
        report = check([server.url("/nothing")], Options(offline=True))
    assert [(i.file, i.message, i.fatal) for i in report.file_issues] == [
        (server.url("/nothing"), "could not fetch the page: HTTP 404", True)
    ]
    assert report.failed


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("HTTP://Example.ORG:80/a#x", "http://example.org/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a;jsessionid=ABC?b=1", "https://example.org/a?b=1"),
        ("https://example.org/a?PHPSESSID=1&b=2", "https://example.org/a?b=2"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
    ],
)
def test_page_keys(url: str, key: str) -> None:
    assert page_key(url) == key


def test_scope_is_the_origin_and_the_folder_of_the_start() -> None:
    scope = Scope.of("https://a.example/docs/intro.html")
    assert scope.admits(page_key("https://a.example/docs/x/y"))
    assert not scope.admits(page_key("https://a.example/blog/"))
    assert not scope.admits(page_key("http://a.example/docs/x"))
    assert not scope.admits(page_key("https://b.example/docs/x"))


def test_traps() -> None:
    assert trap("https://a.example/x/x/x/x") is not None
    assert trap("https://a.example/x/y/x/y") is None
    assert trap("https://a.example/" + "a" * 3000) is not None


def test_robots_as_rfc_9309_reads_it() -> None:
    rules = Robots.parse(b"User-agent: *\nDisallow: /a\nAllow: /a/b$\nDisallow: /*.pdf\n")
    assert rules.forbids("https://x.example/a/c", "linkcheck")
    assert rules.forbids("https://x.example/a/b", "linkcheck") is None  # longest match wins
    assert rules.forbids("https://x.example/a/b/c", "linkcheck")  # `$` anchors
    assert rules.forbids("https://x.example/doc.pdf", "linkcheck")
    assert Robots.from_answer(404, b"").forbids("https://x.example/a", "linkcheck") is None
    assert Robots.from_answer(503, b"").forbids("https://x.example/a", "linkcheck")
    assert Robots.from_answer(None, b"").forbids("https://x.example/a", "linkcheck")


def test_crawl_delay_and_exclude_patterns_are_honoured() -> None:
    routes = {
        "/robots.txt": Route(200, {}, b"User-agent: linkcheck\nCrawl-delay: 0.2\n"),
        "/s/": html("a.html", "b.html", "skip/c.html"),
        "/s/a.html": html(),
        "/s/b.html": html(),
        "/s/skip/c.html": html(),
    }
    with serve(routes) as server:
        options = Options(recursive=True, offline=True, exclude=("/skip/",))
        started = time.monotonic()
        report = check([server.url("/s/")], options)
        elapsed = time.monotonic() - started
        seen = [path for path, _ in server.seen_headers]
    assert sorted(report.files) == [server.url(p) for p in ("/s/", "/s/a.html", "/s/b.html")]
    assert "/s/skip/c.html" not in seen
    assert seen[0] == "/robots.txt"
    assert elapsed >= 0.4  # three pages, 0.2 s apart at least (Crawl-delay)


def test_dump_lists_a_pages_links_without_checking_them() -> None:
    with serve(site("http://127.0.0.1:9")) as server:
        listed = dump([server.url("/docs/section-2/page-5.html")])
        hits = sorted(path for _, path in server.hits)
    assert hits == ["/docs/section-2/page-5.html"]  # read, and nothing checked
    assert [(c.link.line, c.target) for c in listed.links] == [
        (4, server.url("/docs/section-2/page-6.html")),
        (5, server.url("/docs/section-2/page-4.html")),
        (6, server.url("/docs/")),
    ]
