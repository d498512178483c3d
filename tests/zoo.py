"""The zoo: behaviours of real sites that users of link checkers reported in their issue
trackers, each imitated on loopback, with the thread it came from and the verdict an
editor expects (a live page is no failure, a dead one is, and what only a script would
show is `unverified`).

One bounded loopback server answers every behaviour, each on a host of its own
(127.0.x.y, one port): an answer is raw bytes written to the socket, so the framing
quirks browsers accept (Content-Length with chunked, 12 KB header lines, no reason
phrase) are sent as the sites send them.

`python tests/zoo.py` runs the zoo against the linkcheck on the path and prints what it
judges differently (run it with PYTHONPATH=<another checkout>/src to count another
version's mistakes); tests/test_zoo.py holds every behaviour to its verdict.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from linkcheck import Options, Status
from remote import resolve_remote

LIVE = frozenset({Status.OK, Status.REDIRECTED})
DEAD = frozenset({Status.BROKEN})
UNVERIFIED = frozenset({Status.UNVERIFIED})
BLOCKED = frozenset({Status.BLOCKED})
RATE_LIMITED = frozenset({Status.RATE_LIMITED})
UNREACHABLE = frozenset({Status.UNREACHABLE})
TIMEOUT = frozenset({Status.TIMEOUT})

#: How the zoo is checked: fragments on, quick retries, a few seconds of patience.
OPTIONS = Options(timeout=3, retries=1, retry_backoff=0.01, max_retry_wait=3, check_fragments=True)


@dataclass
class Request:
    path: str
    headers: dict[str, str]  # lower-case names
    #: Requests to this path of this behaviour so far, this one included.
    count: int
    #: Which connection it came on (a number per connection the server accepted).
    connection: int = 0


@dataclass(frozen=True)
class Wait:
    """Answer `then` after `seconds` (a server slow to send its headers)."""

    seconds: float
    then: bytes


#: What a behaviour's server does with a request: raw bytes to send, a Wait, or one of
#: "reset" (RST), "close" (FIN, no answer).
Answer = bytes | Wait | str
Script = Callable[[Request], Answer]


@dataclass(frozen=True)
class Behaviour:
    name: str
    #: The issue or pull request where users met it.
    thread: str
    #: The path (with its #fragment) an article cites on the behaviour's host.
    cite: str
    expect: frozenset[Status]
    script: Script = field(repr=False)
    #: When linkcheck's verdict is not what a reader's browser would show: what the
    #: browser shows instead, and why linkcheck cannot (or should not) say the same.
    differs: str = ""


# ---------------------------------------------------------------- raw answers

PHRASES = {
    200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    307: "Temporary Redirect", 308: "Permanent Redirect", 401: "Unauthorized",
    403: "Forbidden", 404: "Not Found", 406: "Not Acceptable", 410: "Gone",
    429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 999: "Request denied",
}  # fmt: skip
HTML = ("Content-Type", "text/html; charset=utf-8")


def http(
    status: int = 200,
    body: bytes = b"",
    headers: tuple[tuple[str, str], ...] = (HTML,),
    *,
    phrase: str | None = None,
    chunked: bool = False,
    length: bool = True,
    raw_headers: bytes = b"",
) -> bytes:
    """An HTTP/1.1 answer as bytes: `chunked` sends Transfer-Encoding: chunked (with the
    Content-Length too when `length`), `raw_headers` goes as it is."""
    reason = PHRASES.get(status, "") if phrase is None else phrase
    head = (
        f"HTTP/1.1 {status} {reason}".rstrip() if reason or phrase is None else f"HTTP/1.1 {status}"
    )
    lines = [head, *(f"{k}: {v}" for k, v in headers)]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    if chunked:
        lines.append("Transfer-Encoding: chunked")
        body = (
            b"".join(
                f"{len(body[i : i + 500]):x}\r\n".encode() + body[i : i + 500] + b"\r\n"
                for i in range(0, len(body), 500)
            )
            + b"0\r\n\r\n"
        )
    return "\r\n".join(lines).encode("latin-1") + b"\r\n" + raw_headers + b"\r\n" + body


def page(body: str, title: str = "A page", head: str = "") -> bytes:
    text = "Words of a page that a reader came for. " * 20
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head>"
        f"<body>{body}<p>{text}</p></body></html>"
    ).encode()


def ok(body: str = "<h2 id='intro'>Intro</h2>", **kw: str) -> Script:
    answer = http(200, page(body, **kw))
    return lambda r: answer


def status(code: int, body: bytes = b"", headers: tuple[tuple[str, str], ...] = (HTML,)) -> Script:
    answer = http(code, body, headers)
    return lambda r: answer


def routes(table: dict[str, Script], default: Script | None = None) -> Script:
    """Scripts by path (query included, fragment never sent); unknown paths 404."""
    missing = default or status(404, page("<h1>Not here</h1>", title="404 Not Found"))
    return lambda r: table.get(r.path, table.get(r.path.partition("?")[0], missing))(r)


def go(location: str, code: int = 302, extra: tuple[tuple[str, str], ...] = ()) -> Script:
    answer = http(code, b"", (("Location", location), *extra))
    return lambda r: answer


def browsers_only(live: Script, bot: Script) -> Script:
    """`live` for a browser's User-Agent, `bot` for any other."""
    return lambda r: (live if "Mozilla/" in r.headers.get("user-agent", "") else bot)(r)


def html_only(live: Script, other: Script) -> Script:
    """`live` when the request asks for HTML (crates.io's content negotiation)."""
    return lambda r: (live if "text/html" in r.headers.get("accept", "") else other)(r)


def after(count: int, first: Script, then: Script) -> Script:
    """`first` for the first `count` requests to a path, `then` after."""
    return lambda r: (first if r.count <= count else then)(r)


def pinned(refusal: Script, live: Script, *, bot_only: bool = False) -> Script:
    """`refusal` on every request of the connection the first one came on (a balancer
    that pinned it to a failing backend, a firewall that flagged it); `live` on any
    other (only for a browser's User-Agent when `bot_only`)."""
    flagged: list[int] = []

    def answer(r: Request) -> Answer:
        if not flagged:
            flagged.append(r.connection)
        browser = "Mozilla/" in r.headers.get("user-agent", "")
        if r.connection == flagged[0] or (bot_only and not browser):
            return refusal(r)
        return live(r)

    return answer


def chain(hops: int, end: Script | None = None) -> Script:
    """/sso/1 → /sso/2 → … → /sso/<hops> → the page: `hops` redirects."""

    def answer(r: Request) -> Answer:
        if r.path == "/start":
            return http(302, b"", (("Location", "/sso/1" if hops > 1 else "/done"),))
        if r.path.startswith("/sso/"):
            n = int(r.path.rsplit("/", 1)[1])
            return http(302, b"", (("Location", f"/sso/{n + 1}" if n + 1 < hops else "/done"),))
        return (end or ok())(r)

    return answer


# ---------------------------------------------------------------- pages of families

LONG = "Words of a page. " * 40
GITHUB_BLOB = (
    "<!DOCTYPE html><html><head><title>{name} at main · o/r · GitHub</title></head><body>"
    '<a href="{raw}" data-testid="raw-button">Raw</a><div id="repo-content-pjax-container"><react-app app-name="react-code-view">'
    '<script type="application/json" data-target="react-app.embeddedData">'
    '{{"payload":{{"blob":{{"richText":"<h2 class=\\"heading-element\\">Install</h2>",'
    '"headerInfo":{{"toc":[{{"anchor":"install","text":"Install"}}]}}}}}}}}</script>'
    "</react-app></div><footer>" + LONG + "</footer></body></html>"
)
README = (
    "# Project\n\nIntro.\n\n## Install\n\nSteps.\n\n## Phanda\n\n## A & B\n\n"
    "## Testing\n\n### Try it on Binder\n\n" + "line\n" * 130
)
PY_FILE = "\n".join(f"x{i} = {i}" for i in range(1, 201)) + "\n"


def code_host(view: str, raw: str, text: str, name: str = "README.md") -> Script:
    """A code host's file view at `view` (ids made by its scripts) and the raw file at
    `raw` (text/plain), as GitHub, GitLab, Gitea and Bitbucket serve them."""
    view_page = http(200, GITHUB_BLOB.format(name=name, raw=raw).encode())
    raw_file = http(200, text.encode(), (("Content-Type", "text/plain; charset=utf-8"),))
    return routes({view: lambda r: view_page, raw: lambda r: raw_file})


SPA = (
    b'<!doctype html><html><head><title>Docs</title><script type="module" '
    b'src="/assets/index-4f2a.js"></script></head><body><div id="root"></div>'
    b"<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"
)
DOCSIFY = (
    b'<!DOCTYPE html><html><head><title>Playbook</title></head><body><div id="app">'
    b"Loading...</div><script>window.$docsify = {name: 'playbook'}</script>"
    b'<script src="//cdn.jsdelivr.net/npm/docsify@4"></script></body></html>'
)
ANUBIS = (
    b'<!doctype html><html lang="en"><head><title>Making sure you&#39;re not a bot!</title>'
    b'<link rel="stylesheet" href="/.within.website/x/xess/xess.min.css">'
    b'<script id="anubis_version" type="application/json">"v1.19.1"</script>'
    b'<script id="anubis_challenge" type="application/json">{"challenge":"a3f1",'
    b'"rules":{"algorithm":"fast","difficulty":4}}</script>'
    b'<script async type="module" src="/.within.website/x/cmd/anubis/static/js/main.mjs">'
    b'</script></head><body id="top"><main><h1 id="title" class="centered-div">'
    b'Making sure you&#39;re not a bot!</h1><p id="status">Loading...</p>'
    b"<p>You are seeing this because the administrator of this website has set up Anubis"
    b" to protect the server against the scourge of AI companies aggressively scraping "
    b"websites.</p></main></body></html>"
)
JAVADOC_FRAMES = (
    b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN"><html><head>'
    b'<title>Java Platform SE 7</title><script type="text/javascript">'
    b'targetPage = "" + window.location.search; if (targetPage != "") '
    b"targetPage = targetPage.substring(1);</script></head>"
    b'<frameset cols="20%,80%" title="Documentation frame" onload="top.loadFrames()">'
    b'<frame src="overview-frame.html" name="packageListFrame">'
    b'<frame src="overview-summary.html" name="classFrame" scrolling="yes">'
    b"<noframes><noscript><div>JavaScript is disabled on your browser.</div></noscript>"
    b"<h2>Frame Alert</h2><p>This document is designed to be viewed using the frames "
    b'feature. Link to <a href="overview-summary.html">Non-frame version</a>.</p>'
    b"</noframes></frameset></html>"
)
REDOC_FRAME = (
    b"<!DOCTYPE html><html><head><title>API reference</title></head><body "
    b'style="margin:0"><iframe src="https://api.example/redoc.html" '
    b'style="width:100%;height:100vh;border:0"></iframe></body></html>'
)


def youtube(status_: str, reason: str | None = None) -> Script:
    """A watch page: 200, with the player's own data saying whether the video plays."""
    playability: dict[str, object] = {"status": status_}
    if reason:
        playability["reason"] = reason
    data = json.dumps({"responseContext": {}, "playabilityStatus": playability})
    body = (
        "<!DOCTYPE html><html><head><title>YouTube</title>"
        '<meta property="og:site_name" content="YouTube"></head><body>'
        f"<script>var ytInitialPlayerResponse = {data};var meta = {{}};</script>"
        '<div id="player"></div>' + LONG + "</body></html>"
    ).encode()
    answer = http(200, body)
    return lambda r: answer


def rate_limited_until(seconds: float, reset_in: int, retry_after: int) -> Script:
    """GitHub's limit: 403 with x-ratelimit-reset `reset_in` s ahead and a longer
    Retry-After; the server lets requests through only `seconds` after the first."""
    started: list[float] = []

    def answer(r: Request) -> Answer:
        import time

        now = time.monotonic()
        started.append(now) if not started else None
        if now - started[0] >= seconds:
            return http(200, page("<h1 id='api'>API</h1>"))
        reset = str(int(time.time()) + reset_in)
        return http(
            403,
            b'{"message": "API rate limit exceeded"}',
            (
                ("Content-Type", "application/json"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", reset),
                ("Retry-After", str(retry_after)),
            ),
        )

    return answer


JSON_404 = status(
    404, b'{"errors":[{"detail":"Not Found"}]}', (("Content-Type", "application/json"),)
)
CRATE = ok("<h1 id='serde'>serde</h1>", title="serde - crates.io: Rust Package Registry")


# ---------------------------------------------------------------- the zoo

T_CRATES = "https://github.com/rust-lang/crates.io/issues/788"
T_ZOLA = "https://github.com/getzola/zola/pull/384"
T_XREG = "https://github.com/xregistry/spec/issues/518"
T_MLC = "https://github.com/becheran/mlc/issues/20"
T_GAMLC = "https://github.com/gaurav-nelson/github-action-markdown-link-check/issues/157"
T_RUSTC = "https://github.com/rust-lang/rustc-dev-guide/pull/1586"
T_WIRECARD = "https://github.com/linkchecker/linkchecker/issues/199"
T_ANDROID = "https://github.com/JustinBeckwith/linkinator/pull/721"
T_LINKCHECK46 = "https://github.com/tcort/link-check/issues/46"
T_HTMLTEST = "https://github.com/wjdp/htmltest/issues/150"
T_MUFFET_UA = "https://github.com/raviqqe/muffet/issues/378"
T_PIXABAY = "https://github.com/raviqqe/muffet/issues/189"
T_MICROCKS = "https://github.com/microcks/microcks.io/issues/595"
T_META_410 = "https://github.com/aaronpk/webmention.rocks/issues/7"
T_TWITTER = "https://github.com/stevenvachon/broken-link-checker/issues/233"
T_MAXREDIR = "https://github.com/follow-redirects/follow-redirects/issues/41"
T_ANDROID_REDIR = "https://github.com/tcort/markdown-link-check/issues/159"
T_ACM = "https://github.com/Munter/netlify-plugin-checklinks/issues/159"
T_SAFARI = "https://github.com/vlang/v/pull/19743"
T_LOC_FRAG = "https://github.com/alphagov/cdn-acceptance-tests/pull/102"
T_HTTRACK = "https://github.com/xroche/httrack/pull/441"
T_REDIR_ANCHOR = "https://github.com/filiph/linkcheck/issues/132"
T_SASS = "https://github.com/JustinBeckwith/linkinator/issues/79"
T_OSM = "https://github.com/TheFive/osmbc/issues/996"
T_OSM_OPS = "https://github.com/openstreetmap/operations/issues/910"
T_BITBUCKET_TE = "https://github.com/nodejs/http-parser/issues/289"
T_POSTMAN_TE = "https://github.com/postmanlabs/postman-app-support/issues/7466"
T_LONG_HEADER = "https://github.com/aio-libs/aiohttp/issues/3862"
T_NOTION = "https://github.com/serokell/xrefcheck/issues/295"
T_BENTO = "https://github.com/bentoml/BentoML/issues/4346"
T_MANY_HEADERS = "https://github.com/aio-libs/aiohttp/pull/11955"
T_UTF8_LINKS = "https://github.com/stevenvachon/broken-link-checker/issues/234"
T_ENCODED_ANCHOR = "https://github.com/timaschew/link-checker/issues/5"
T_CHARSET = "https://github.com/linkchecker/linkchecker/issues/554"
T_SPHINX_BLOB = "https://github.com/sphinx-doc/sphinx/issues/6779"
T_LYCHEE_BLOB = "https://github.com/lycheeverse/lychee/issues/1729"
T_PSYCLONE = "https://github.com/stfc/PSyclone/issues/2468"
T_SHIV = "https://github.com/sphinx-doc/sphinx/issues/9603"
T_DOCVIM = "https://github.com/wincent/docvim/issues/3"
T_JUICE = "https://github.com/juice-shop/pwning-juice-shop/issues/3"
T_LINES = "https://github.com/RediSearch/RediSearch/pull/8594"
T_LINES_RANGE = "https://github.com/ehamiter/GitHubinator/issues/38"
T_MD051_LINES = "https://github.com/DavidAnson/markdownlint/pull/1117"
T_FRAMAGIT = "https://github.com/sphinx-doc/sphinx/issues/9255"
T_GITLAB_SLUG = "https://github.com/serokell/xrefcheck/issues/55"
T_GITEA = "https://github.com/go-gitea/gitea/issues/9672"
T_IDEA_LINES = "https://github.com/vsch/idea-multimarkdown/issues/706"
T_BITBUCKET_MD = "https://github.com/gitbucket/gitbucket/issues/3032"
T_JAVADOC = "https://github.com/stevenvachon/broken-link-checker/issues/75"
T_JAVADOC_ANCHOR = "https://github.com/sphinx-doc/sphinx/issues/842"
T_WPILIB = "https://github.com/wpilibsuite/wpilib-docs/pull/2700"
T_OPENAPI = "https://github.com/tfranzel/drf-spectacular/pull/713"
T_DOCSIFY = "https://github.com/dxw/playbook-2015/pull/139"
T_HASH_LINKS = "https://github.com/LLM-Coding/Semantic-Anchors/issues/599"
T_TEXT_FRAGMENT = "https://github.com/mdn/yari/pull/9882"
T_ANUBIS = "https://github.com/sphinx-doc/sphinx/issues/14255"
T_SPHINX_JS = "https://github.com/sphinx-doc/sphinx/issues/7388"
T_C4 = "https://github.com/Nitro/markdown-link-check/issues/32"
T_DATATRACKER = "https://github.com/ietf-tools/datatracker/issues/5610"
T_TLDRAW = "https://github.com/tldraw/tldraw/issues/10256"
T_NAV_PANE = "https://github.com/wummel/linkchecker/issues/253"
T_HYPERLINK = "https://github.com/Munter/hyperlink/pull/159"
T_W3C_CASE = "https://github.com/FullStack-HY/FullStack-Hy.github.io/pull/127"
T_YOUTUBE = "https://github.com/stevenvachon/broken-link-checker/issues/237"
T_GOPHERVIDS = "https://github.com/dgryski/gophervids/issues/41"
T_MINET = "https://github.com/medialab/minet/issues/442"
T_TERMINATED = "https://github.com/TheTechRobo/youtubevideofinder/issues/116"
T_THROTTLING = "https://github.com/octokit/plugin-throttling.js/issues/566"
T_LYCHEE_429 = "https://github.com/lycheeverse/lychee/issues/1873"
T_LINKINATOR_503 = "https://github.com/JustinBeckwith/linkinator-action/issues/140"
T_MDOX_503 = "https://github.com/bwplotka/mdox/issues/11"
T_EZID_503 = "https://github.com/CDLUC3/ezid/issues/381"
T_SECONDARY = "https://github.com/apache/devlake/issues/1322"
T_BROFIX_CF = "https://github.com/sypets/brofix/issues/289"
T_NPM_CF = "https://github.com/sherlock-project/sherlock/issues/2628"
T_MEDIUM = "https://github.com/kanywst/awesome-authorization/pull/27"
T_UABRC_UA = "https://github.com/uabrc/uabrc.github.io/issues/1214"
T_CM_503 = "https://github.com/PageModifiedOfficial/Check-My-Links/issues/87"
T_SHOP_403 = "https://github.com/laterpay/laterpay-wordpress-plugin/issues/334"
T_DOI = "https://github.com/CDLUC3/ezid/issues/381"
T_RETRIES = "https://github.com/pulumi/docs/issues/2078"
T_REDIRECT_FRAGMENT_LOST = "https://github.com/jekyll/jekyll-redirect-from/issues/219"
T_TRAILING = "https://github.com/dnsimple/dnsimple-support/pull/2153"
T_FEDORA = "https://github.com/sphinx-doc/sphinx/issues/14255"
T_DOCSIFY_279 = "https://github.com/docsifyjs/docsify/issues/279"


def _zoo() -> list[Behaviour]:
    z: list[Behaviour] = []

    def add(
        name: str,
        thread: str,
        cite: str,
        expect: frozenset[Status],
        script: Script,
        differs: str = "",
    ) -> None:
        z.append(Behaviour(name, thread, cite, expect, script, differs))

    # --- ask as a browser asks: content negotiation
    add(
        "crates.io answers 404 JSON unless asked for HTML",
        T_CRATES,
        "/crates/serde",
        LIVE,
        html_only(CRATE, JSON_404),
    )
    add("crates.io home page, same negotiation", T_XREG, "/", LIVE, html_only(CRATE, JSON_404))
    add(
        "a registry page 404 to Accept: */* (zola)",
        T_ZOLA,
        "/crates/tokio",
        LIVE,
        html_only(CRATE, JSON_404),
    )
    add(
        "a registry page 404 to Accept: */* (mlc)",
        T_MLC,
        "/crates/tokio",
        LIVE,
        html_only(CRATE, JSON_404),
    )
    add(
        "a registry page 404 to Accept: */* (markdown-link-check)",
        T_GAMLC,
        "/crates/binaryen",
        LIVE,
        html_only(CRATE, JSON_404),
    )
    add(
        "a crate's anchor behind the negotiation",
        T_CRATES,
        "/crates/serde#serde",
        LIVE,
        html_only(CRATE, JSON_404),
    )
    add(
        "an API that answers 406 unless */* is acceptable",
        T_RUSTC,
        "/api/v1/summary",
        LIVE,
        lambda r: (
            http(200, b"{}", (("Content-Type", "application/json"),))
            if "*/*" in r.headers.get("accept", "")
            else http(406, b"")
        ),
    )
    add(
        "a page that needs Accept-Language (500 without it)",
        T_XREG,
        "/docs/",
        LIVE,
        lambda r: (
            http(200, page("<h1>Docs</h1>"))
            if r.headers.get("accept-language")
            else http(500, b"Internal Server Error")
        ),
    )

    # --- the honest User-Agent, and the browser's when a bot is refused or looped
    add(
        "a bot User-Agent redirected to itself (wirecard)",
        T_WIRECARD,
        "/",
        LIVE,
        browsers_only(ok(), go("/", 301)),
    )
    add(
        "a bot User-Agent looped through two pages",
        T_WIRECARD,
        "/a",
        LIVE,
        browsers_only(
            ok(), lambda r: http(302, b"", (("Location", "/b" if r.path == "/a" else "/a"),))
        ),
    )
    add(
        "a browser User-Agent sent round a sign-in loop (android docs)",
        T_ANDROID,
        "/reference/android/os/Build",
        LIVE,
        browsers_only(go("/reference/android/os/Build"), ok()),
    )
    add(
        "a browser name in the User-Agent loops; 'foobar' is served",
        T_LINKCHECK46,
        "/reference/TabItem.html",
        LIVE,
        browsers_only(go("/reference/TabItem.html"), ok()),
    )
    add(
        "403 to bots, 200 to browsers (MSDN, htmltest)",
        T_HTMLTEST,
        "/en-us/download/details.aspx?id=13255",
        LIVE,
        browsers_only(ok(), status(403)),
    )
    add("403 to every client (pixabay behind its firewall)", T_PIXABAY, "/", BLOCKED, status(403))
    add(
        "500 to an empty User-Agent",
        T_MUFFET_UA,
        "/wiki",
        LIVE,
        lambda r: (
            http(200, page("<h1>Wiki</h1>")) if r.headers.get("user-agent") else http(500, b"")
        ),
    )
    add(
        "403 to bots, still 403 to browsers: a warning",
        T_MEDIUM,
        "/@someone/post",
        BLOCKED,
        status(403),
    )
    add("LinkedIn's 999 to every automated client", T_UABRC_UA, "/in/someone", BLOCKED, status(999))
    add(
        "a paywalled article answers 403 with its teaser",
        T_SHOP_403,
        "/paid-post",
        BLOCKED,
        status(403, page("<h1>Teaser</h1>")),
    )

    # --- follow what browsers follow
    for hops in (11, 12, 15, 20):
        add(f"a sign-on chain of {hops} redirects", T_MAXREDIR, "/start", LIVE, chain(hops))
    add(
        "a chain of 21 redirects (browsers stop after 20)",
        T_SAFARI,
        "/start",
        UNREACHABLE,
        chain(21),
    )
    add("a redirect loop for everyone", T_WIRECARD, "/", UNREACHABLE, go("/", 301))
    add("android docs' long but finite redirect chain", T_ANDROID_REDIR, "/start", LIVE, chain(14))
    add(
        "ACM's cookie check (302, set cookie, 302 back)",
        T_ACM,
        "/doi/book/10.5555/1206501",
        LIVE,
        lambda r: (
            http(200, page("<h1>Book</h1>"))
            if "cookieSet=1" in r.path and "cookie=1" in r.headers.get("cookie", "")
            else http(
                302,
                b"",
                (
                    ("Location", "/doi/book/10.5555/1206501?cookieSet=1"),
                    ("Set-Cookie", "cookie=1; Path=/"),
                ),
            )
        ),
    )
    add(
        "a 308 then a 307",
        T_SAFARI,
        "/old",
        LIVE,
        routes({"/old": go("/mid", 308), "/mid": go("/new", 307), "/new": ok()}),
    )
    add(
        "a relative Location with ../",
        T_HTTRACK,
        "/a/b/old",
        LIVE,
        routes({"/a/b/old": go("../new"), "/a/new": ok()}),
    )
    add(
        "a Location with raw UTF-8 bytes",
        T_UTF8_LINKS,
        "/old",
        LIVE,
        routes(
            {
                "/old": lambda r: (
                    b"HTTP/1.1 302 Found\r\nLocation: /test_za\xc5\xbc\xc3\xb3\xc5\x82\xc4\x87.html"
                    b"\r\nContent-Length: 0\r\n\r\n"
                ),
                "/test_za%C5%BC%C3%B3%C5%82%C4%87.html": ok(),
            }
        ),
    )
    add(
        "a Location's fragment replaces the cited one (it exists)",
        T_LOC_FRAG,
        "/docs/install#install",
        LIVE,
        routes(
            {
                "/docs/install": go("/docs/setup#installation", 301),
                "/docs/setup": ok("<h2 id='installation'>Installation</h2>"),
            }
        ),
    )
    add(
        "a Location's fragment replaces the cited one (it is missing)",
        T_LOC_FRAG,
        "/docs/install#installation",
        DEAD,
        routes(
            {
                "/docs/install": go("/docs/setup#setup", 301),
                "/docs/setup": ok("<h2 id='installation'>Installation</h2>"),
            }
        ),
    )
    add(
        "a Location without a fragment keeps the cited one (present)",
        T_SASS,
        "/documentation/Sass/Script/Functions.html#quote",
        LIVE,
        routes(
            {
                "/documentation/Sass/Script/Functions.html": go("/documentation/functions", 301),
                "/documentation/functions": ok("<h3 id='quote'>quote</h3>"),
            }
        ),
    )
    add(
        "a Location without a fragment keeps the cited one (missing)",
        T_REDIR_ANCHOR,
        "/a#b",
        DEAD,
        routes({"/a": go("/c", 301), "/c": ok("<h2 id='other'>Other</h2>")}),
    )
    add(
        "jekyll-redirect-from's meta refresh to the new page, fragment kept",
        T_REDIRECT_FRAGMENT_LOST,
        "/projects#tplink",
        LIVE,
        routes(
            {
                "/projects": lambda r: http(
                    200,
                    b'<html><head><meta http-equiv="refresh" '
                    b'content="0; url=/portfolio/"></head><body>'
                    b"Redirecting</body></html>",
                ),
                "/portfolio/": ok("<h2 id='tplink'>tplink</h2>"),
            }
        ),
    )
    add(
        "a trailing slash after the fragment (#anchor/) matches nothing",
        T_TRAILING,
        "/articles/foo/#removing-services/",
        DEAD,
        ok("<h2 id='removing-services'>Removing services</h2>"),
    )

    # --- parse what browsers parse
    add(
        "Content-Length together with Transfer-Encoding: chunked (openstreetmap)",
        T_OSM,
        "/user/Kai/diary/401817",
        LIVE,
        lambda r: http(200, page("<h1>Diary</h1>"), chunked=True),
    )
    add(
        "Content-Length with chunked on the home page",
        T_OSM_OPS,
        "/",
        LIVE,
        lambda r: http(200, page("<h1>OpenStreetMap</h1>"), chunked=True),
    )
    add(
        "Content-Length with chunked, with an anchor (Bitbucket)",
        T_BITBUCKET_TE,
        "/repo#readme",
        LIVE,
        lambda r: http(200, page("<h2 id='readme'>Readme</h2>"), chunked=True),
    )
    add(
        "Content-Length with chunked on a 404",
        T_POSTMAN_TE,
        "/gone",
        DEAD,
        lambda r: http(404, page("<h1>Gone</h1>"), chunked=True),
    )
    add(
        "a 12 KB cache-tag header line",
        T_LONG_HEADER,
        "/news/article",
        LIVE,
        lambda r: http(
            200,
            page("<h1>News</h1>"),
            (HTML, ("Cache-Tag", ",".join(f"node:{i}" for i in range(1400)))),
        ),
    )
    add(
        "a 20 KB Content-Security-Policy header (Notion)",
        T_NOTION,
        "/page",
        LIVE,
        lambda r: http(
            200,
            page("<h1>Notion</h1>"),
            (
                HTML,
                (
                    "Content-Security-Policy",
                    "script-src " + " ".join(f"https://s{i}.example" for i in range(1000)),
                ),
            ),
        ),
    )
    add(
        "a 16 KB Set-Cookie header",
        T_BENTO,
        "/app",
        LIVE,
        lambda r: http(200, page("<h1>App</h1>"), (HTML, ("Set-Cookie", "s=" + "a" * 16000))),
    )
    add(
        "110 header fields (a Microsoft site)",
        T_MANY_HEADERS,
        "/",
        LIVE,
        lambda r: http(
            200, page("<h1>MS</h1>"), (HTML, *((f"X-Header-{i}", "v") for i in range(110)))
        ),
    )
    add(
        "a status line without a reason phrase",
        T_BITBUCKET_TE,
        "/bare",
        LIVE,
        lambda r: http(200, page("<h1>Bare</h1>"), phrase=""),
    )
    add(
        "HTTP/1.0 with no length, closed at the end",
        T_POSTMAN_TE,
        "/old-server",
        LIVE,
        lambda r: b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("<h1>Old</h1>"),
    )
    add(
        "a gzip body whose anchor is in the compressed page",
        T_BITBUCKET_TE,
        "/gz#section",
        LIVE,
        lambda r: http(
            200,
            gzip.compress(page("<h2 id='section'>S</h2>")),
            (HTML, ("Content-Encoding", "gzip")),
        ),
    )
    add(
        "a windows-1251 page said by its meta tag, a Cyrillic id",
        T_CHARSET,
        "/ru#%D0%9A%D0%B8%D1%80%D0%B0",
        LIVE,
        lambda r: http(
            200,
            '<html><head><meta charset="windows-1251"><title>Кира</title></head>'
            '<body><h1 id="Кира">Кира</h1></body></html>'.encode("cp1251"),
            (("Content-Type", "text/html"),),
        ),
    )
    add(
        "a latin-1 page said by its header, an accented id",
        T_CHARSET,
        "/fr#caf%C3%A9",
        LIVE,
        lambda r: http(
            200,
            '<html><body><h1 id="café">Café</h1></body></html>'.encode("latin-1"),
            (("Content-Type", "text/html; charset=iso-8859-1"),),
        ),
    )
    add(
        "a percent-encoded UTF-8 fragment against a UTF-8 id",
        T_ENCODED_ANCHOR,
        "/kira#%D0%9A%D0%B8%D1%80%D0%B0",
        LIVE,
        ok('<a id="Кира"></a>'),
    )
    add(
        "a raw UTF-8 fragment against a UTF-8 id",
        T_ENCODED_ANCHOR,
        "/kira#Кира",
        LIVE,
        ok('<h1 id="Кира">Кира</h1>'),
    )

    # --- code hosts: the file view's ids are made by scripts; the raw file is checked
    gh_view, gh_raw = "/o/r/blob/main/CONTRIBUTING.md", "/o/r/raw/main/CONTRIBUTING.md"
    add(
        "GitHub file view, a heading of the markdown",
        T_SPHINX_BLOB,
        gh_view + "#testing",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, a heading (lychee's regression)",
        T_LYCHEE_BLOB,
        gh_view + "#install",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, a heading written with user-content-",
        T_DOCVIM,
        gh_view + "#user-content-install",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, a heading in another case (GitHub folds it)",
        T_PSYCLONE,
        gh_view + "#Try-It-On-Binder",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, a heading that is not in the file",
        T_JUICE,
        gh_view + "#access-a-salesmans-forgotten-backup-file",
        DEAD,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, line #L119",
        T_LINES,
        gh_view + "#L119",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, lines #L10-L20",
        T_LINES_RANGE,
        gh_view + "#L10-L20",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, line #L7 of a short file",
        T_MD051_LINES,
        gh_view + "#L7",
        LIVE,
        code_host(gh_view, gh_raw, README),
    )
    add(
        "GitHub file view, line #L9999 past the end of the file",
        T_LINES,
        gh_view + "#L9999",
        DEAD,
        code_host(gh_view, gh_raw, README),
    )
    py_view, py_raw = "/o/r/blob/main/src/app.py", "/o/r/raw/main/src/app.py"
    add(
        "GitHub file view of code, line #L42",
        T_LINES,
        py_view + "#L42",
        LIVE,
        code_host(py_view, py_raw, PY_FILE, "app.py"),
    )
    add(
        "GitHub file view of code, lines #L190-L210 past the end",
        T_LINES_RANGE,
        py_view + "#L190-L210",
        DEAD,
        code_host(py_view, py_raw, PY_FILE, "app.py"),
    )
    add(
        "GitHub file view of code, a fragment that is not a line",
        T_LINES,
        py_view + "#main",
        UNVERIFIED,
        code_host(py_view, py_raw, PY_FILE, "app.py"),
    )
    add(
        "GitHub file view whose raw file cannot be had",
        T_SPHINX_BLOB,
        "/o/private/blob/main/README.md#install",
        UNVERIFIED,
        routes(
            {
                "/o/private/blob/main/README.md": lambda r: http(
                    200,
                    GITHUB_BLOB.format(
                        name="README.md", raw="/o/private/raw/main/README.md"
                    ).encode(),
                )
            }
        ),
    )
    add(
        "a site whose paths look like a code host's, no such anchor",
        T_REDIR_ANCHOR,
        "/docs/guide/src/index.html#nowhere",
        DEAD,
        ok("<h2 id='intro'>Intro</h2>"),
    )
    gl_view, gl_raw = (
        "/peppercarrot/wiki/-/blob/master/Creatures.md",
        "/peppercarrot/wiki/-/raw/master/Creatures.md",
    )
    add(
        "GitLab file view, a heading (framagit)",
        T_FRAMAGIT,
        gl_view + "#phanda",
        LIVE,
        code_host(gl_view, gl_raw, README, "Creatures.md"),
    )
    add(
        "GitLab file view, GitLab's slug of 'A & B'",
        T_GITLAB_SLUG,
        gl_view + "#a-b",
        LIVE,
        code_host(gl_view, gl_raw, README, "Creatures.md"),
    )
    add(
        "GitLab file view, lines #L10-20 (GitLab's range)",
        T_LINES_RANGE,
        gl_view + "#L10-20",
        LIVE,
        code_host(gl_view, gl_raw, README, "Creatures.md"),
    )
    add(
        "GitLab file view, a missing heading",
        T_FRAMAGIT,
        gl_view + "#dragons",
        DEAD,
        code_host(gl_view, gl_raw, README, "Creatures.md"),
    )
    gt_view, gt_raw = (
        "/u/test-markdown/src/branch/master/test.md",
        "/u/test-markdown/raw/branch/master/test.md",
    )
    add(
        "Gitea file view, a heading",
        T_GITEA,
        gt_view + "#install",
        LIVE,
        code_host(gt_view, gt_raw, README, "test.md"),
    )
    add(
        "Gitea file view, line #L5",
        T_IDEA_LINES,
        gt_view + "#L5",
        LIVE,
        code_host(gt_view, gt_raw, README, "test.md"),
    )
    add(
        "Gitea file view, line #L500 past the end",
        T_IDEA_LINES,
        gt_view + "#L500",
        DEAD,
        code_host(gt_view, gt_raw, README, "test.md"),
    )
    bb_view, bb_raw = "/team/repo/src/master/README.md", "/team/repo/raw/master/README.md"
    add(
        "Bitbucket file view, a heading",
        T_BITBUCKET_MD,
        bb_view + "#install",
        LIVE,
        code_host(bb_view, bb_raw, README),
    )
    add(
        "Bitbucket file view, lines #lines-12",
        T_IDEA_LINES,
        bb_view + "#lines-12",
        LIVE,
        code_host(bb_view, bb_raw, README),
    )
    add(
        "GitHub repository page: the README rendered with user-content- ids",
        T_SHIV,
        "/linkedin/shiv#shiv",
        LIVE,
        ok('<article class="markdown-body"><h1 id="user-content-shiv">shiv</h1></article>'),
    )
    add(
        "GitHub repository page, user-content- written out",
        T_PSYCLONE,
        "/stfc/PSyclone#user-content-try-it-on-binder",
        LIVE,
        ok(
            '<article class="markdown-body"><h2 id="user-content-try-it-on-binder">'
            "Try it</h2></article>"
        ),
    )

    # --- anchors only scripts make, elsewhere
    add(
        "a javadoc frameset, a method anchor",
        T_JAVADOC,
        "/javase/7/docs/api/index.html?java/lang/String.html#format(java.lang.String)",
        UNVERIFIED,
        lambda r: http(200, JAVADOC_FRAMES),
    )
    add(
        "framed API docs (Redoc in an iframe)",
        T_WPILIB,
        "/api/#operation/getUser",
        UNVERIFIED,
        lambda r: http(200, REDOC_FRAME),
    )
    add(
        "a javadoc class page, a method anchor with parentheses and a space",
        T_JAVADOC_ANCHOR,
        "/String.html#format(java.lang.String,%20java.lang.Object...)",
        LIVE,
        ok('<a name="format(java.lang.String, java.lang.Object...)"></a><h4>format</h4>'),
    )
    add(
        "a javadoc class page, a method that is not there",
        T_JAVADOC_ANCHOR,
        "/String.html#formatted(java.lang.Object...)",
        DEAD,
        ok('<a name="format(java.lang.String, java.lang.Object...)"></a><h4>format</h4>'),
    )
    add(
        "a single-page app shell, ids made by scripts (OpenAPI spec)",
        T_OPENAPI,
        "/oas/v3.0.3#parameter-object",
        UNVERIFIED,
        lambda r: http(200, SPA),
    )
    add(
        "a hash route of a single-page app",
        T_HASH_LINKS,
        "/Semantic-Anchors/#/anchor/tdd",
        UNVERIFIED,
        ok("<h1>Semantic anchors</h1>"),
    )
    add(
        "docsify's #/?id= route",
        T_DOCSIFY,
        "/#/?id=sales",
        UNVERIFIED,
        lambda r: http(200, DOCSIFY),
    )
    add(
        "a docsify page cited with a plain anchor",
        T_DOCSIFY_279,
        "/#sales",
        UNVERIFIED,
        lambda r: http(200, DOCSIFY),
    )
    add(
        "a text fragment (#:~:text=)",
        T_TEXT_FRAGMENT,
        "/docs/Web#:~:text=Fragment",
        LIVE,
        ok("<h1>Text fragments</h1>"),
    )
    add(
        "an id before a text fragment, the id present",
        T_TEXT_FRAGMENT,
        "/docs/Web#intro:~:text=Fragment",
        LIVE,
        ok(),
    )
    add(
        "an id before a text fragment, the id missing",
        T_TEXT_FRAGMENT,
        "/docs/Web#syntax:~:text=Fragment",
        DEAD,
        ok(),
    )
    add(
        "Anubis' proof-of-work wall (Fedora docs), with a fragment",
        T_ANUBIS,
        "/en-US/packaging-guidelines/#changelogs",
        BLOCKED,
        lambda r: http(200, ANUBIS),
    )
    add(
        "Anubis' proof-of-work wall, no fragment",
        T_FEDORA,
        "/en-US/packaging-guidelines/",
        BLOCKED,
        lambda r: http(200, ANUBIS),
    )
    add(
        "an anchor beyond the first MiB of a long page",
        T_SPHINX_JS,
        "/long#end",
        UNVERIFIED,
        lambda r: http(
            200,
            b"<html><body>" + b"<p>" + b"x" * 1_200_000 + b"</p><h2 id='end'>"
            b"End</h2></body></html>",
        ),
    )
    add("#top on any page", T_TEXT_FRAGMENT, "/any#top", LIVE, ok())

    # --- ids are matched exactly off GitHub
    add(
        "#coreDiagrams against id=CoreDiagrams (c4model)",
        T_C4,
        "/#coreDiagrams",
        DEAD,
        ok('<h2 id="CoreDiagrams">Core diagrams</h2>'),
    )
    add(
        "#CoreDiagrams against id=CoreDiagrams",
        T_C4,
        "/#CoreDiagrams",
        LIVE,
        ok('<h2 id="CoreDiagrams">Core diagrams</h2>'),
    )
    add(
        "#ops against id=OPS (datatracker)",
        T_DATATRACKER,
        "/wg/#ops",
        DEAD,
        ok('<h2 id="OPS">Ops and Management</h2>'),
    )
    add(
        "#custom-shapes against id=Custom-shapes (tldraw)",
        T_TLDRAW,
        "/docs/shapes#custom-shapes",
        DEAD,
        ok('<h2 id="Custom-shapes">Custom shapes</h2>'),
    )
    add(
        "#Navigation_pane against name=Navigation_Pane",
        T_NAV_PANE,
        "/help.htm#Navigation_pane",
        DEAD,
        ok('<a name="Navigation_Pane"></a><h2>Navigation pane</h2>'),
    )
    add(
        "#user-content-intro off GitHub, against id=intro",
        T_HYPERLINK,
        "/readme#user-content-intro",
        DEAD,
        ok(),
    )
    add(
        "#componentDidMount against id=componentdidmount",
        T_W3C_CASE,
        "/osa6#componentDidMount",
        DEAD,
        ok('<h3 id="componentdidmount">componentDidMount</h3>'),
    )
    add(
        "a name= on a div is no anchor",
        T_W3C_CASE,
        "/form#email",
        DEAD,
        ok('<div name="email">E-mail</div>'),
    )
    add(
        "an ID= attribute in capitals",
        T_W3C_CASE,
        "/caps#intro",
        LIVE,
        ok('<H2 ID="intro">Intro</H2>'),
    )

    # --- a page whose own data says its content is gone
    add(
        "a removed video (playabilityStatus ERROR)",
        T_YOUTUBE,
        "/watch?v=aNISC_-Dhlk",
        DEAD,
        youtube("ERROR", "Video unavailable"),
    )
    add(
        "a video of a terminated account",
        T_TERMINATED,
        "/watch?v=85mNh6LKhBA",
        DEAD,
        youtube(
            "ERROR",
            "This video is no longer available because the YouTube account "
            "associated with this video has been terminated.",
        ),
    )
    add(
        "a video removed for its content",
        T_MINET,
        "/watch?v=Jr5RH9sNiJw",
        DEAD,
        youtube(
            "ERROR", "This video has been removed for violating YouTube's Community Guidelines"
        ),
    )
    add(
        "a removed video seen through its embed",
        T_GOPHERVIDS,
        "/embed/S_NdzSj1syg",
        DEAD,
        youtube("ERROR", "Video unavailable"),
    )
    add(
        "a private video (sign-in required)",
        T_GOPHERVIDS,
        "/watch?v=GjGRhIl0xWs",
        BLOCKED,
        youtube("LOGIN_REQUIRED", "This video is private"),
    )
    add("a video that plays", T_YOUTUBE, "/watch?v=dQw4w9WgXcQ", LIVE, youtube("OK"))
    add(
        "a deleted post whose head says <meta http-equiv=Status content='410 Gone'>",
        T_META_410,
        "/bearlog/2016/123/testing-delete",
        DEAD,
        ok("<p>This post was deleted.</p>", head='<meta http-equiv="Status" content="410 GONE" />'),
    )
    add(
        "a post whose head declares 200",
        T_META_410,
        "/bearlog/2016/124/kept",
        LIVE,
        ok("<p>Kept.</p>", head='<meta http-equiv="Status" content="200 OK" />'),
    )
    add(
        "X answers 200 to every URL, a deleted post's too",
        T_TWITTER,
        "/eascaaa/status/1230668542577692673",
        LIVE,
        lambda r: http(200, SPA),
        "a browser's scripts say 'this page doesn't exist'; the server sends the same page "
        "for every post, and nothing in it says which",
    )
    add(
        "an article that quotes 'Video unavailable'",
        T_YOUTUBE,
        "/blog/removed-videos",
        LIVE,
        ok("<h1>Why YouTube says Video unavailable</h1><p>playabilityStatus ERROR</p>"),
    )

    # --- rate limits and outages
    add(
        "429 with Retry-After, then served",
        T_LYCHEE_429,
        "/o/r",
        LIVE,
        after(1, status(429, b"", (("Retry-After", "1"),)), ok()),
    )
    add(
        "Retry-After longer than x-ratelimit-reset",
        T_THROTTLING,
        "/search/issues",
        LIVE,
        rate_limited_until(2.0, reset_in=0, retry_after=2),
    )
    add(
        "GitHub's secondary limit: 403 with Retry-After",
        T_SECONDARY,
        "/repos/o/r",
        LIVE,
        after(
            1,
            status(
                403,
                b'{"message":"secondary rate limit"}',
                (("Retry-After", "1"), ("Content-Type", "application/json")),
            ),
            ok(),
        ),
    )
    add(
        "429 for good",
        T_LYCHEE_429,
        "/busy",
        RATE_LIMITED,
        status(429, b"", (("Retry-After", "0"),)),
    )
    add(
        "503 with Retry-After beyond the wait (maintenance)",
        T_MDOX_503,
        "/spec/v2.0.0.html",
        RATE_LIMITED,
        status(503, b"Down for maintenance", (("Retry-After", "3600"),)),
    )
    add(
        "503 with Retry-After as a date far ahead",
        T_EZID_503,
        "/article",
        RATE_LIMITED,
        status(503, b"", (("Retry-After", "Wed, 21 Oct 2099 07:28:00 GMT"),)),
    )
    add("503 once, then served", T_RETRIES, "/flaky", LIVE, after(1, status(503), ok()))
    add("502 once, then served", T_CM_503, "/flaky", LIVE, after(1, status(502), ok()))
    add(
        "503 on a connection pinned to a failing backend; a new one is served",
        T_RETRIES,
        "/pinned",
        LIVE,
        pinned(status(503), ok()),
    )
    add(
        "a bot's connection flagged by a firewall: 403 on it, a browser served on another",
        T_HTMLTEST,
        "/flagged",
        LIVE,
        pinned(status(403), ok(), bot_only=True),
    )
    add(
        "Cloudflare's challenge (503, cf-mitigated)",
        T_LINKINATOR_503,
        "/post",
        BLOCKED,
        status(503, b"<title>Just a moment...</title>", (HTML, ("cf-mitigated", "challenge"))),
    )
    add(
        "Cloudflare's 'checking your browser' 403",
        T_BROFIX_CF,
        "/",
        BLOCKED,
        status(
            403,
            b'<div class="cf-browser-verification cf-im-under-attack">Checking your '
            b"browser before accessing</div>",
        ),
    )
    add(
        "npm's cf-mitigated challenge",
        T_NPM_CF,
        "/~kirilv",
        BLOCKED,
        status(403, b"<html></html>", (HTML, ("cf-mitigated", "challenge"))),
    )

    # --- dead ends
    add("404", T_JUICE, "/gone", DEAD, status(404, page("<h1>Not found</h1>")))
    add("410 Gone", T_DOI, "/withdrawn", DEAD, status(410))
    add(
        "a 200 page titled 'Page not found'",
        T_SHIV,
        "/missing",
        DEAD,
        ok("<h1>Sorry</h1>", title="Page not found | Example"),
    )
    add(
        "a deep link redirected to the home page",
        T_REDIRECT_FRAGMENT_LOST,
        "/blog/2019/post",
        DEAD,
        routes({"/blog/2019/post": go("/"), "/": ok()}),
    )
    add(
        "a redirect to a sign-in page",
        T_SHOP_403,
        "/article/123",
        BLOCKED,
        routes(
            {
                "/article/123": go("/accounts/login/?next=/article/123"),
                "/accounts/login/": ok("<form>Sign in</form>"),
            }
        ),
    )

    # --- where linkcheck's verdict is not a browser's, on purpose or of necessity
    add(
        "404 to a curl User-Agent, 200 to browsers",
        T_MICROCKS,
        "/products/rhel/ubi/",
        DEAD,
        browsers_only(ok(), status(404)),
        "a browser sees the page; a 404 is the server's own claim of absence, and asking "
        "every dead link again as a browser would double the requests of every run",
    )
    add(
        "crates.io's page for a crate that does not exist",
        T_CRATES,
        "/crates/no-such-crate",
        LIVE,
        html_only(lambda r: http(200, SPA), JSON_404),
        "a browser shows 'crate not found', which the page's scripts write; the server "
        "answers 200 to every path (--soft-404 finds it: its probe gets the same page)",
    )
    add(
        "a removed video whose player data lies beyond the first MiB",
        T_YOUTUBE,
        "/watch?v=late",
        LIVE,
        lambda r: http(
            200,
            b'<html><head><meta property="og:video" content="x"></head><body>'
            + b"<p>"
            + b"x" * 1_100_000
            + b"</p><script>var ytInitialPlayerResponse"
            b' = {"playabilityStatus":{"status":"ERROR","reason":"Video '
            b'unavailable"}};</script></body></html>',
        ),
        "a browser says 'Video unavailable'; linkcheck reads at most 1 MiB of a page",
    )
    add(
        "Cloudflare's challenge that a browser passes",
        T_NPM_CF,
        "/package/x",
        BLOCKED,
        status(403, b"<html></html>", (HTML, ("cf-mitigated", "challenge"))),
        "a browser runs the challenge's scripts and sees the page; linkcheck runs none",
    )
    add(
        "Anubis' wall that a browser passes",
        T_ANUBIS,
        "/docs/",
        BLOCKED,
        lambda r: http(200, ANUBIS),
        "a browser solves the proof of work and sees the page; linkcheck runs no scripts",
    )
    add(
        "a single-page app's anchor that its scripts make",
        T_OPENAPI,
        "/oas/v3.1.0#schema-object",
        UNVERIFIED,
        lambda r: http(200, SPA),
        "a browser runs the scripts and scrolls; linkcheck runs none, so it cannot tell",
    )

    # --- the network
    add(
        "a server that resets bots, answers browsers",
        T_UABRC_UA,
        "/page",
        LIVE,
        lambda r: (
            http(200, page("<h1>Hi</h1>"))
            if "Mozilla/" in r.headers.get("user-agent", "")
            else "reset"
        ),
    )
    add(
        "a server that closes without answering",
        T_RETRIES,
        "/nothing",
        UNREACHABLE,
        lambda r: "close",
    )
    add(
        "a server that answers something that is not HTTP",
        T_OSM,
        "/x",
        UNREACHABLE,
        lambda r: b"SSH-2.0-OpenSSH_9.6\r\n",
    )
    add(
        "headers that never come",
        T_RETRIES,
        "/slow",
        TIMEOUT,
        lambda r: Wait(8.0, http(200, b"late")),
    )
    return z


ZOO: list[Behaviour] = _zoo()


# ---------------------------------------------------------------- the server


def address(index: int) -> str:
    return f"127.0.{index // 200 + 1}.{index % 200 + 2}"


@contextmanager
def serve_zoo(zoo: list[Behaviour], lifetime: float = 60.0) -> Iterator[int]:
    """One port on one loopback address per behaviour; stops by itself after `lifetime`."""
    by_address = {address(i): b for i, b in enumerate(zoo)}
    counts: dict[tuple[str, str], int] = {}
    connections = iter(range(1, 1 << 30))
    ready = threading.Event()
    ports: list[int] = []
    loop = asyncio.new_event_loop()
    stop: list[asyncio.Event] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        here = writer.get_extra_info("sockname")[0]
        behaviour = by_address[here]
        connection = next(connections)
        with suppress(Exception):
            while True:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                key = (here, path)
                counts[key] = counts.get(key, 0) + 1
                answer = behaviour.script(Request(path, headers, counts[key], connection))
                if isinstance(answer, Wait):
                    await asyncio.sleep(answer.seconds)
                    answer = answer.then
                if answer == "reset":
                    sock = writer.get_extra_info("socket")
                    import socket
                    import struct

                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
                if answer == "close" or not isinstance(answer, bytes):
                    break
                writer.write(answer)
                await writer.drain()
                if answer.startswith(b"HTTP/1.0") or not answer.startswith(b"HTTP/"):
                    break
        with suppress(Exception):
            writer.close()

    async def main() -> None:
        stop.append(asyncio.Event())
        loop.set_exception_handler(lambda *_: None)  # resets and aborts are the point
        first = await asyncio.start_server(handle, address(0), 0, backlog=512)
        port = first.sockets[0].getsockname()[1]
        servers = [first] + [
            await asyncio.start_server(handle, address(i), port, backlog=512)
            for i in range(1, len(zoo))
        ]
        ports.append(port)
        ready.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(stop[0].wait(), lifetime)
        for server in servers:
            server.close()
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield ports[0]
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(5)


def url_of(index: int, behaviour: Behaviour, port: int) -> str:
    return f"http://{address(index)}:{port}{behaviour.cite}"


def judge(
    zoo: list[Behaviour] = ZOO, options: Options = OPTIONS
) -> dict[str, tuple[Status, str | None]]:
    """Each behaviour's (status, reason), checked all at once."""
    with serve_zoo(zoo) as port:
        urls = {url_of(i, b, port): b for i, b in enumerate(zoo)}
        outcomes = asyncio.run(resolve_remote(list(urls), options))
    return {urls[u].name: (o.status, o.reason) for u, o in outcomes.items()}


def main() -> int:
    verdicts = judge()
    wrong = [b for b in ZOO if verdicts[b.name][0] not in b.expect]
    for b in wrong:
        got, reason = verdicts[b.name]
        wanted = "/".join(sorted(s.value for s in b.expect))
        print(f"- {b.name}: {got.value} ({reason}); expected {wanted} — {b.thread}")
    print(f"{len(wrong)} of {len(ZOO)} behaviours judged differently from what an editor expects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
