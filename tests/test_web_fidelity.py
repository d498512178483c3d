"""Pages judged as a reader's browser meets them (#13): loopback stand-ins that answer as
each family of real sites does — status, headers and bodies as they send them — and the
verdict an editor expects. docs/resolver.md has the table of families and verdicts."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import replace

import pytest

from linkcheck import Options, Status
from linkcheck._fix import plan_fixes
from linkcheck._models import Cause, Kind, Link, LinkResult, Outcome, Redirect, Span
from linkcheck._remote._resolver import ROUTED
from linkcheck._remote._walls import (
    anchor_part,
    is_app_shell,
    is_bot_wall,
    is_login_page,
    is_not_found_title,
    is_parked,
    refresh_target,
)
from remote import resolve_remote
from servers import Route, redirect, serve

QUICK = Options(timeout=0.5, retries=1, retry_backoff=0.01, max_retry_wait=2)

CLOUDFLARE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<h1>Checking your browser before accessing example.com.</h1>"
    b'<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>'
    b"</body></html>"
)
AMAZON = (
    b"<html><head><title>Amazon.com</title></head><body>"
    b"<h4>Enter the characters you see below</h4>"
    b'<form method="get" action="/errors/validateCaptcha">'
    b'<input name="field-keywords"></form></body></html>'
)
PARKED = (
    b"<html><head><title>news-of-the-day.com</title></head><body>"
    b"<h1>This domain is for sale!</h1><p>Buy this domain: make an offer today.</p>"
    b'<script src="https://parkingcrew.net/pc.js"></script></body></html>'
)
NOT_FOUND = (
    b"<html><head><title>Page not found | The Daily Example</title></head>"
    b"<body><h1>Sorry, we couldn't find that page</h1></body></html>"
)
ARTICLE = (
    b"<html><head><title>How 404 pages became an art form | The Daily Example</title></head>"
    b'<body><h2 id="history">History</h2><p>'
    + b"Words of an article. " * 100
    + b"</p></body></html>"
)
SPA = (
    b'<!doctype html><html><head><title>Docs</title><script type="module" '
    b'src="/assets/index-4f2a.js"></script></head><body><div id="root"></div>'
    b"<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"
)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def check(urls: list[str], options: Options = QUICK) -> dict[str, Outcome]:
    return asyncio.run(resolve_remote(urls, options))


def verdict(outcome: Outcome) -> tuple[Status, str | None]:
    return outcome.status, outcome.reason


# ------------------------------------------------------------------ walls and codes


def test_bot_walls_and_legal_or_paywall_codes_are_blocked() -> None:
    routes = {
        "/cloudflare": Route(503, {**HTML, "Server": "cloudflare"}, CLOUDFLARE),
        "/cloudflare-403": Route(403, {**HTML, "cf-mitigated": "challenge"}, CLOUDFLARE),
        "/amazon": Route(503, {**HTML, "Server": "Server"}, AMAZON),
        "/paywall": Route(402, HTML, b"<title>Subscribe</title>"),
        "/legal": Route(451, HTML, b"<title>Unavailable For Legal Reasons</title>"),
        "/down": Route(503, HTML, b"<title>Service Unavailable</title>"),
    }
    with serve(routes) as server:
        got = check([server.url(p) for p in routes])
        wall = (Status.BLOCKED, "bot challenge: the server refused an automated check")
        assert verdict(got[server.url("/cloudflare")]) == wall
        assert verdict(got[server.url("/cloudflare-403")]) == wall
        assert verdict(got[server.url("/amazon")]) == wall
        assert got[server.url("/amazon")].cause is Cause.CHALLENGE
        assert verdict(got[server.url("/paywall")]) == (
            Status.BLOCKED,
            "402 Payment Required: the server refused an automated check",
        )
        assert verdict(got[server.url("/legal")]) == (
            Status.BLOCKED,
            "451 Unavailable For Legal Reasons: the server refused an automated check",
        )
        # A plain 503 without a wall is still what it was.
        assert verdict(got[server.url("/down")]) == (Status.BROKEN, "503 Service Unavailable")
        # A wall is not retried: one request each.
        assert server.hits[("GET", "/amazon")] == 1


def test_a_503_with_retry_after_is_waited_for_within_max_retry_wait() -> None:
    opened: list[float] = []

    def maintenance(path: str, headers: dict[str, str]) -> Route:
        opened.append(time.monotonic())
        if opened[-1] - opened[0] < 1.0:
            return Route(503, {"Retry-After": "1"}, b"<title>Down for maintenance</title>")
        return Route(200, HTML, b"<title>Back</title>")

    routes = {
        "/maintenance": Route(responder=maintenance),
        "/long": Route(503, {"Retry-After": "3600"}, b"down"),
    }
    with serve(routes) as server:
        started = time.monotonic()
        got = check([server.url("/maintenance"), server.url("/long")])
        elapsed = time.monotonic() - started
    assert verdict(got[server.url("/maintenance")]) == (Status.OK, None)
    assert verdict(got[server.url("/long")]) == (
        Status.RATE_LIMITED,
        "503 Service Unavailable; the server asks to come back in 60 min, beyond --max-retry-wait",
    )
    assert 1.0 <= elapsed < 3.0


def test_githubs_primary_rate_limit_is_waited_for_or_rate_limited() -> None:
    calls: list[int] = []

    def github(path: str, headers: dict[str, str]) -> Route:
        calls.append(1)
        if len(calls) == 1:
            reset = str(int(time.time()) + 1)
            limited = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
            return Route(403, limited, b'{"message": "API rate limit exceeded"}')
        return Route(200, {"x-ratelimit-remaining": "59"}, b"{}")

    far = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 3600)}
    routes = {"/repos/a/b": Route(responder=github), "/repos/c/d": Route(403, far, b"{}")}
    with serve(routes) as server:
        got = check([server.url("/repos/a/b"), server.url("/repos/c/d")])
    assert verdict(got[server.url("/repos/a/b")]) == (Status.OK, None)
    limited = got[server.url("/repos/c/d")]
    assert limited.status is Status.RATE_LIMITED and limited.cause is Cause.RATE_LIMIT
    # An hour away: beyond --max-retry-wait, so not waited for, and the reason says so.
    assert limited.reason is not None and re.fullmatch(
        r"rate limit reached; it resets in 3(59\d|600) s, beyond --max-retry-wait", limited.reason
    )


# ------------------------------------------------------------------ cookies, resets, slow bodies


def test_a_cookie_check_round_trip_is_followed_not_a_loop() -> None:
    def article(path: str, headers: dict[str, str]) -> Route:
        if "consent=yes" in headers.get("cookie", ""):
            return Route(200, HTML, ARTICLE)
        return redirect("/check?return=/article")

    routes = {
        "/article": Route(responder=article),
        "/check": Route(
            302,
            {"Location": "/article"},
            b"",
            header_list=[
                ("Set-Cookie", "consent=yes; Path=/"),
                ("Set-Cookie", "session=s3cr3t; HttpOnly"),
            ],
        ),
    }
    with serve(routes) as server:
        outcome = check([server.url("/article")])[server.url("/article")]
    assert verdict(outcome) == (Status.REDIRECTED, "redirected 2 times")
    assert [hop.url for hop in outcome.redirects] == [
        server.url("/check?return=/article"),
        server.url("/article"),
    ]


def test_cookies_never_cross_to_another_site_nor_to_another_chain() -> None:
    with serve({"/landing": Route(200, HTML, ARTICLE)}) as other:
        routes = {
            "/a": Route(
                302,
                {"Location": other.url("/landing")},
                b"",
                header_list=[
                    ("Set-Cookie", "session=s3cr3t"),
                ],
            ),
        }
        with serve(routes) as server:
            first = check([server.url("/a")])[server.url("/a")]
            check([server.url("/a")])
        assert first.status is Status.REDIRECTED
        assert [h.get("cookie") for _, h in other.seen_headers] == [None, None]
        assert [h.get("cookie") for _, h in server.seen_headers] == [None, None]


def test_a_reset_that_only_hits_automated_clients_is_retried_as_a_browser() -> None:
    def browsers_only(path: str, headers: dict[str, str]) -> Route:
        if "Mozilla/" in headers.get("user-agent", ""):
            return Route(200, HTML, ARTICLE)
        return Route(reset=True)

    routes = {"/story": Route(responder=browsers_only), "/always": Route(reset=True)}
    with serve(routes) as server:
        got = check([server.url("/story"), server.url("/always")])
    assert verdict(got[server.url("/story")]) == (
        Status.OK,
        "answered only when asked as a browser (automated clients are refused)",
    )
    assert verdict(got[server.url("/always")]) == (
        Status.UNREACHABLE,
        "connection reset by the server",
    )


def test_a_200_whose_body_drips_is_judged_not_timed_out() -> None:
    routes = {"/drips": Route(200, HTML, ARTICLE * 12, drip=0.1)}  # ~30 KiB, 3 s at least
    with serve(routes) as server:
        started = time.monotonic()
        got = check([server.url("/drips")])
        elapsed = time.monotonic() - started
    assert verdict(got[server.url("/drips")]) == (Status.OK, None)
    assert elapsed < 2.5  # the body's own bound (the timeout), not the whole drip


# ------------------------------------------------------------------ refresh, sign-in, parked, titles


def test_refresh_redirects_are_followed_like_location() -> None:
    meta = b'<html><head><meta http-equiv="refresh" content="0; URL=\'/gone\'"></head></html>'
    routes = {
        "/meta": Route(200, HTML, meta),
        "/header": Route(200, {**HTML, "Refresh": "0;url=/gone"}, b"<p>Moved</p>"),
        "/meta-ok": Route(200, HTML, meta.replace(b"/gone", b"/new")),
        "/new": Route(200, HTML, ARTICLE),
        "/reload": Route(200, {**HTML, "Refresh": "300"}, ARTICLE),
        "/gone": Route(404, HTML, b"nf"),
    }
    with serve(routes) as server:
        got = check([server.url(p) for p in ("/meta", "/header", "/meta-ok", "/reload")])
    for path in ("/meta", "/header"):
        outcome = got[server.url(path)]
        assert verdict(outcome) == (Status.BROKEN, "404 Not Found")
        assert outcome.redirects == (Redirect(200, server.url("/gone")),)
    assert verdict(got[server.url("/meta-ok")]) == (Status.REDIRECTED, "redirected 1 time")
    assert verdict(got[server.url("/reload")]) == (Status.OK, None)


def test_redirects_to_sign_in_pages_are_blocked_warnings() -> None:
    with serve({"/ServiceLogin": Route(200, HTML, b"<title>Sign in</title>")}) as accounts:
        routes = {
            "/article/123": redirect("/accounts/login/?next=/article/123", 302),
            "/accounts/login/": Route(200, HTML, b"<title>Log in</title><form></form>"),
            "/doc": redirect(accounts.url("/ServiceLogin?continue=/doc"), 302),
            "/login": Route(200, HTML, b"<title>Log in</title>"),  # cited as it is
        }
        with serve(routes) as server:
            got = check([server.url(p) for p in ("/article/123", "/doc", "/login")])
    article = got[server.url("/article/123")]
    assert verdict(article) == (
        Status.BLOCKED,
        "redirects to a sign-in page (127.0.0.1/accounts/login/): check it signed in",
    )
    assert article.cause is Cause.LOGIN
    assert verdict(got[server.url("/doc")]) == (
        Status.BLOCKED,
        "redirects to a sign-in page (127.0.0.1/ServiceLogin): check it signed in",
    )
    assert verdict(got[server.url("/login")]) == (Status.OK, None)


def test_parked_domains_and_not_found_titles_are_broken_by_default() -> None:
    routes = {
        "/2015/06/story.html": Route(200, HTML, PARKED),
        "/": Route(200, HTML, PARKED),
        "/missing": Route(200, HTML, NOT_FOUND),
        "/404-essay": Route(200, HTML, ARTICLE),
    }
    with serve(routes) as server:
        got = check([server.url(p) for p in routes])
        probed = check([server.url("/")], replace(QUICK, soft_404=True))
    parked = (Status.BROKEN, "parked domain: the site offers its name for sale")
    assert verdict(got[server.url("/2015/06/story.html")]) == parked
    assert verdict(got[server.url("/")]) == parked
    assert verdict(probed[server.url("/")]) == parked
    assert verdict(got[server.url("/missing")]) == (
        Status.BROKEN,
        "soft 404: the page is titled “Page not found | The Daily Example”",
    )
    assert verdict(got[server.url("/404-essay")]) == (Status.OK, None)


# ------------------------------------------------------------------ fragments


def test_fragments_that_are_not_anchors_or_cannot_be_verified() -> None:
    long_page = b"<html><body>" + b"<p>filler text</p>" * 150_000 + b'<h2 id="end">End</h2>'
    routes = {
        "/page": Route(200, HTML, ARTICLE),
        "/app": Route(200, HTML, SPA),
        "/long": Route(200, HTML, long_page),
    }
    with serve(routes) as server:
        u = server.url
        urls = [
            u("/page#:~:text=Words%20of"),
            u("/page#history:~:text=History"),
            u("/page#/quickstart"),
            u("/page#!/install"),
            u("/page#nowhere"),
            u("/app#installation"),
            u("/long#end"),
        ]
        got = check(urls, replace(QUICK, check_fragments=True))
    for url in urls[:2]:  # text fragments: a browser scrolls if it can, else stays
        assert verdict(got[url]) == (Status.OK, None), url
    for url in urls[2:4]:  # hash routes: what they show is the page's scripts' to say
        assert verdict(got[url]) == (Status.UNVERIFIED, ROUTED), url
    assert verdict(got[u("/page#nowhere")]) == (Status.BROKEN, "no anchor #nowhere in the page")
    app = got[u("/app#installation")]
    assert verdict(app) == (Status.UNVERIFIED, "the anchor is made by the page's scripts")
    assert app.cause is Cause.FRAGMENT_UNVERIFIED
    assert verdict(got[u("/long#end")]) == (
        Status.UNVERIFIED,
        "the page is longer than the 1 MiB read",
    )


def test_fix_never_turns_https_into_http() -> None:
    def result(target: str, final: str) -> LinkResult:
        link = Link("a.md", 1, 1, Kind.INLINE, "t", target, dest=Span(1, 4, 4 + len(target)))
        hops = (Redirect(301, final),)
        return LinkResult(link, target, False, Outcome(Status.REDIRECTED, "r", 200, final, hops))

    downgrade = result("https://news.example/a", "http://news.example/a")
    upgrade = result("http://news.example/b", "https://news.example/b")
    fixes = plan_fixes([downgrade, upgrade])
    assert [(f.url, f.new) for f in fixes] == [("http://news.example/b", "https://news.example/b")]


# ------------------------------------------------------------------ the heuristics, one by one


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (503, {}, CLOUDFLARE, True),
        (403, {"cf-mitigated": "challenge"}, b"", True),
        (503, {}, AMAZON, True),
        (429, {}, b"<p>Our systems have detected unusual traffic from your computer</p>", True),
        (503, {}, b"<title>Service Unavailable</title>", False),
        (404, {}, CLOUDFLARE, False),
        (200, {}, CLOUDFLARE, False),
    ],
)
def test_is_bot_wall(status: int, headers: dict[str, str], body: bytes, expected: bool) -> None:
    import httpx

    assert is_bot_wall(status, httpx.Headers(headers), body) is expected


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ({"Refresh": "0; url=/next"}, b"", "http://h.example/next"),
        ({"Refresh": "5;URL='next.html'"}, b"", "http://h.example/a/next.html"),
        ({}, b'<META HTTP-EQUIV="Refresh" CONTENT="0;URL=http://o.example/x">', "http://o.example/x"),
        ({}, b"<meta content='1; url=/y' http-equiv='refresh'>", "http://h.example/y"),
        ({}, b'<meta http-equiv="refresh" content="0; url=/a?b=1&amp;c=2">', "http://h.example/a?b=1&c=2"),
        ({"Refresh": "300"}, b"", None),  # reloads itself
        ({}, b'<noscript><meta http-equiv="refresh" content="0; url=/nojs"></noscript>', None),
        ({"Refresh": "600; url=/later"}, b"", None),  # too slow to be a redirect
        ({}, b"<p>http-equiv=refresh is a meta tag</p>", None),
    ],
)  # fmt: skip
def test_refresh_target(headers: dict[str, str], body: bytes, expected: str | None) -> None:
    import httpx

    assert refresh_target("http://h.example/a/b", httpx.Headers(headers), body) == expected


@pytest.mark.parametrize(
    ("landed", "expected"),
    [
        ("https://news.example/accounts/login/?next=/article/123", True),
        ("https://accounts.google.com/ServiceLogin?continue=https://docs.example/x", True),
        ("https://site.example/users/sign_in", True),
        ("https://login.microsoftonline.com/common/oauth2/authorize?client_id=1", True),
        ("https://site.example/session/new", True),
        ("https://site.example/signin?return_to=%2Fa", True),
        ("https://site.example/blog/how-to-log-in-safely", False),
        ("https://site.example/article?next=2", False),
        ("https://site.example/loginov-interview", False),
    ],
)
def test_is_login_page(landed: str, expected: bool) -> None:
    assert is_login_page(landed, "https://site.example/article/123") is expected


def test_a_cited_sign_in_page_is_not_a_redirect_to_one() -> None:
    assert not is_login_page("https://site.example/login?next=/", "https://site.example/login")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (PARKED, True),
        (b"<p>The domain oldnews.example is for sale. Inquire about this domain.</p>", True),
        (b'<a href="https://www.hugedomains.com/domain_profile.cfm?d=x">Buy</a>', True),
        (b"<p>This domain may be for sale</p>", True),
        (ARTICLE, False),
        (b"<p>How parking works in the city: for sale signs everywhere</p>", False),
        (
            ARTICLE.replace(
                b"</p>", b" Squatters ask: buy this domain!" + b" More." * 200 + b"</p>"
            ),
            False,
        ),
    ],
)
def test_is_parked(body: bytes, expected: bool) -> None:
    assert is_parked(body) is expected


@pytest.mark.parametrize(
    ("page_title", "expected"),
    [
        ("Page not found", True),
        ("Page Not Found | The Times", True),
        ("404", True),
        ("Error 404 – Site", True),
        ("404 Not Found", True),
        ("Oops! This page doesn't exist.", True),
        ("Site: Page not found", True),
        ("Not Found", True),
        ("How 404 pages became an art form | The Daily Example", False),
        ("News about page not found errors", False),
        ("The 404 club", False),
        ("Lost and found: a history", False),
    ],
)
def test_is_not_found_title(page_title: str, expected: bool) -> None:
    assert is_not_found_title(f"<title>{page_title}</title>".encode()) is expected


def test_is_app_shell() -> None:
    assert is_app_shell(SPA)
    assert is_app_shell(b'<div id="__next"></div><script src="/_next/main.js"></script>')
    assert not is_app_shell(ARTICLE)
    # A server-rendered app has its text in the page: its ids are there to be read.
    rendered = SPA.replace(
        b'<div id="root"></div>', b'<div id="root">' + b"<p>text</p>" * 200 + b"</div>"
    )
    assert not is_app_shell(rendered)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (":~:text=hello", None),
        ("intro:~:text=hello", "intro"),
        ("/quickstart", None),
        ("!/page", None),
        ("section-2", "section-2"),
    ],
)
def test_anchor_part(fragment: str, expected: str | None) -> None:
    assert anchor_part(fragment) == expected


def test_the_json_report_says_fragment_not_verified_only_when_so() -> None:
    from io import StringIO

    from linkcheck import Report
    from linkcheck._report.json import write_json

    def row(outcome: Outcome) -> dict[str, object]:
        link = Link("a.md", 1, 1, Kind.INLINE, "t", "https://app.example/#x")
        report = Report(("a.md",), (LinkResult(link, link.url, False, outcome),))
        out = StringIO()
        write_json(report, out)
        import json

        return json.loads(out.getvalue())["links"][0]

    reason = "anchor #x not verified: the page builds its content with scripts"
    unverified = row(Outcome(Status.OK, reason, 200, cause=Cause.FRAGMENT_UNVERIFIED))
    assert (unverified["status"], unverified["fragment"]) == ("ok", "not verified")
    assert "fragment" not in row(Outcome(Status.OK, None, 200))


def test_a_fragment_not_verified_is_a_warning_not_a_failure() -> None:
    from linkcheck._models import DEFAULT_FAIL_ON, Level

    link = Link("a.md", 1, 1, Kind.INLINE, "t", "https://app.example/#x")
    reason = "anchor #x not verified: the page builds its content with scripts"
    unverified = Outcome(Status.OK, reason, 200, cause=Cause.FRAGMENT_UNVERIFIED)
    assert LinkResult(link, link.url, False, unverified).level(DEFAULT_FAIL_ON) is Level.WARNING
    assert LinkResult(link, link.url, False, Outcome(Status.OK)).level(DEFAULT_FAIL_ON) is None
