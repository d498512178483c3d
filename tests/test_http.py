"""The resolver's decisions, one branch at a time, against pytest-httpx mocks."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time

import httpx
import pytest
from pytest_httpx import HTTPXMock

from linkcheck import Cause, HostRule, Options, Outcome, Redirect, Status
from linkcheck._remote._resolver import BROWSER_USER_AGENT
from remote import resolve_remote

FAST = Options(timeout=1, retries=2, retry_backoff=0.001, max_retry_wait=0.05)


def resolve(urls: list[str], options: Options = FAST) -> dict[str, Outcome]:
    # httpx's own transport is the one pytest-httpx replaces.
    transport = httpx.AsyncHTTPTransport()
    return asyncio.run(resolve_remote(urls, options, transport=transport))


def one(url: str, options: Options = FAST) -> Outcome:
    return resolve([url], options)[url]


def test_ok_page(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/x", text="hello")
    assert one("https://a.test/x") == Outcome(Status.OK, None, 200)


@pytest.mark.parametrize(
    ("code", "status", "reason"),
    [
        (404, Status.BROKEN, "404 Not Found"),
        (410, Status.BROKEN, "410 Gone"),
        (500, Status.BROKEN, "500 Internal Server Error"),
        (418, Status.BROKEN, "418 I'm a Teapot"),
        (599, Status.BROKEN, "599"),
        (401, Status.BLOCKED, "401 Unauthorized: the server refused an automated check"),
        (403, Status.BLOCKED, "403 Forbidden: the server refused an automated check"),
        (999, Status.BLOCKED, "999: the server refused an automated check"),
    ],
)
def test_status_codes(httpx_mock: HTTPXMock, code: int, status: Status, reason: str) -> None:
    httpx_mock.add_response(url="https://a.test/x", status_code=code, is_reusable=True)
    assert one("https://a.test/x") == Outcome(status, reason, code, cause=Cause.HTTP_STATUS)
    agents = [r.headers["user-agent"] for r in httpx_mock.get_requests()]
    # A 403 or a 999 refuses a bot it might serve a browser: asked once more as one.
    assert agents[0].startswith("linkcheck/")
    assert agents[1:] == ([BROWSER_USER_AGENT] if code in (403, 999) else [])


def test_a_bot_refused_and_a_browser_served_is_ok(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/x", status_code=403)
    httpx_mock.add_response(url="https://a.test/x", status_code=200)
    outcome = one("https://a.test/x")
    assert (outcome.status, outcome.reason) == (
        Status.OK,
        "answered only when asked as a browser (automated clients are refused)",
    )


def test_bot_challenge_is_blocked_not_broken(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        status_code=503, headers={"cf-mitigated": "challenge"}, is_reusable=True
    )
    outcome = one("https://a.test/x")
    assert (outcome.status, outcome.http_status) == (Status.BLOCKED, 503)


def test_accept_ranges_make_codes_ok(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=403)
    options = Options(accept=((200, 299), (403, 403)))
    assert one("https://a.test/x", options).status is Status.OK


def test_a_success_left_out_of_accept_says_so(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=200)
    options = Options(accept=((403, 403), (500, 503)))  # `--accept 403,500..503`
    reason = "200 OK: not in the accepted statuses (--accept 403,500..503)"
    assert one("https://a.test/x", options) == Outcome(
        Status.BROKEN, reason, 200, cause=Cause.HTTP_STATUS
    )


def test_redirect_chain_is_recorded_hop_by_hop(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/old", status_code=301, headers={"Location": "/mid"})
    httpx_mock.add_response(
        url="https://a.test/mid", status_code=308, headers={"Location": "https://b.test/new"}
    )
    httpx_mock.add_response(url="https://b.test/new")
    assert one("https://a.test/old") == Outcome(
        Status.REDIRECTED,
        "redirected 2 times",
        200,
        "https://b.test/new",
        (Redirect(301, "https://a.test/mid"), Redirect(308, "https://b.test/new")),
    )


def test_redirect_to_a_dead_page_is_broken_with_its_chain(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/old", status_code=302, headers={"Location": "gone"})
    httpx_mock.add_response(url="https://a.test/gone", status_code=404)
    outcome = one("https://a.test/old")
    assert (outcome.status, outcome.final_url, outcome.redirects) == (
        Status.BROKEN,
        "https://a.test/gone",
        (Redirect(302, "https://a.test/gone"),),
    )


def test_redirect_loop_and_overlong_chain_are_unreachable(httpx_mock: HTTPXMock) -> None:
    for one_, other in (("1", "2"), ("2", "1")):
        httpx_mock.add_response(
            url=f"https://a.test/{one_}",
            status_code=301,
            headers={"Location": f"/{other}"},
            is_reusable=True,
        )
    for i in range(4):  # the fourth hop is never taken
        httpx_mock.add_response(
            url=f"https://c.test/{i}", status_code=302, headers={"Location": f"/{i + 1}"}
        )
    outcomes = resolve(["https://a.test/1", "https://c.test/0"], Options(max_redirects=3))
    assert (outcomes["https://a.test/1"].status, outcomes["https://a.test/1"].reason) == (
        Status.UNREACHABLE,
        "redirect loop after 2 hops",
    )
    assert (outcomes["https://c.test/0"].status, outcomes["https://c.test/0"].reason) == (
        Status.UNREACHABLE,
        "more than 3 redirects",
    )
    # The loop was followed once more as a browser (a loop only for bots is common).
    agents = [r.headers["user-agent"][:8] for r in httpx_mock.get_requests(url="https://a.test/1")]
    assert agents == ["linkchec", "Mozilla/"]


def test_retries_a_503_that_recovers(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/x", status_code=503)
    httpx_mock.add_response(url="https://a.test/x", status_code=200)
    assert one("https://a.test/x").status is Status.OK
    assert len(httpx_mock.get_requests()) == 2


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """Every wait the resolver asks for between two tries, as (asked, slept): recorded,
    not slept, so a test can ask for long waits and still take no time."""
    from linkcheck._remote import _resolver

    asked: list[tuple[float, float]] = []

    async def sleep(seconds: float, budget: float) -> float:
        slept = max(0.0, min(seconds, budget))
        asked.append((seconds, slept))
        return slept

    monkeypatch.setattr(_resolver, "_sleep", sleep)
    return asked


def test_429_honours_retry_after_then_reports_rate_limited(
    httpx_mock: HTTPXMock, waits: list[tuple[float, float]]
) -> None:
    httpx_mock.add_response(status_code=429, headers={"Retry-After": "7"}, is_reusable=True)
    outcome = one("https://a.test/x", Options(retries=2, retry_backoff=0.001, max_retry_wait=60))
    assert (outcome.status, outcome.reason) == (
        Status.RATE_LIMITED,
        "429 Too Many Requests after 3 tries",
    )
    assert len(httpx_mock.get_requests()) == 3
    assert waits == [(7.0, 7.0), (7.0, 7.0)]  # the server's wait, not the backoff's


def test_429_retry_after_as_a_date_is_capped(
    httpx_mock: HTTPXMock, waits: list[tuple[float, float]]
) -> None:
    httpx_mock.add_response(
        url="https://a.test/x",
        status_code=429,
        headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"},
    )
    httpx_mock.add_response(url="https://a.test/x")
    assert one("https://a.test/x").status is Status.OK
    ((asked, slept),) = waits
    assert asked > 70 * 365 * 86400  # the date, read as the wait until it
    assert slept == 0.05  # capped by --max-retry-wait, not 73 years


PATIENT = Options(timeout=1, retries=2, retry_backoff=0.001, max_retry_wait=60)


def test_a_429s_retry_after_as_an_http_date_is_the_wait(
    httpx_mock: HTTPXMock, waits: list[tuple[float, float]]
) -> None:
    from email.utils import formatdate

    later = formatdate(time.time() + 30, usegmt=True)
    httpx_mock.add_response(url="https://a.test/x", status_code=429, headers={"Retry-After": later})
    httpx_mock.add_response(url="https://a.test/x")
    assert one("https://a.test/x", PATIENT).status is Status.OK
    ((asked, slept),) = waits
    assert 27 <= asked <= 30 and slept == asked  # half a minute: waited, not capped


def test_timeout_after_every_try(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), is_reusable=True)
    outcome = one("https://a.test/x")
    assert (outcome.status, outcome.reason) == (Status.TIMEOUT, "no response within 1 s (3 tries)")
    assert len(httpx_mock.get_requests()) == 3


def _raised_by(error: Exception, cause: BaseException) -> Exception:
    """`error` as httpx raises it: from the OS's or ssl's own exception."""
    error.__cause__ = cause
    return error


def test_dns_failure_is_not_retried(httpx_mock: HTTPXMock) -> None:
    gaierror = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    httpx_mock.add_exception(_raised_by(httpx.ConnectError("[Errno -2] Name or service"), gaierror))
    outcome = one("https://news.test/x")
    assert (outcome.status, outcome.reason) == (
        Status.UNREACHABLE,
        "DNS lookup failed for news.test",
    )


def test_expired_certificate(httpx_mock: HTTPXMock) -> None:
    expired = ssl.SSLCertVerificationError(1, "certificate verify failed: certificate has expired")
    expired.verify_code = 10  # X509_V_ERR_CERT_HAS_EXPIRED
    httpx_mock.add_exception(_raised_by(httpx.ConnectError("[SSL] verify failed"), expired))
    assert one("https://a.test/x").reason == "TLS certificate has expired"


def test_each_page_is_requested_once_for_all_its_fragments(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/page", html='<h2 id="one">1</h2><a name="two"></a>')
    urls = [
        "https://a.test/page",
        "https://a.test/page#one",
        "https://a.test/page#two",
        "https://a.test/page#nope",
    ]
    outcomes = resolve(urls, Options(check_fragments=True))
    assert [outcomes[u].status for u in urls] == [Status.OK, Status.OK, Status.OK, Status.BROKEN]
    assert outcomes[urls[3]] == Outcome(
        Status.BROKEN, "no anchor #nope in the page", 200, cause=Cause.FRAGMENT
    )
    assert len(httpx_mock.get_requests()) == 1


def test_fragments_are_not_checked_unless_asked(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url="https://a.test/page", html="<p>no anchors</p>")
    assert one("https://a.test/page#nope").status is Status.OK


def test_user_agent_and_headers(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response()
    one("https://a.test/x", Options(user_agent="Bot/1", headers=(("X-Trace", "7"),)))
    (request,) = httpx_mock.get_requests()
    assert (request.headers["user-agent"], request.headers["x-trace"]) == ("Bot/1", "7")


def test_default_user_agent_names_linkcheck(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response()
    one("https://a.test/x")
    assert httpx_mock.get_requests()[0].headers["user-agent"].startswith("linkcheck/")


def test_host_credentials_never_follow_a_redirect_to_another_host(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url="https://docs.test/a", status_code=302, headers={"Location": "https://evil.test/b"}
    )
    httpx_mock.add_response(url="https://evil.test/b", status_code=200)
    rule = HostRule("docs.test", (("Authorization", "Bearer s3cret"),))
    options = Options(hosts=(rule,), headers=(("Cookie", "session=1"),))
    outcome = one("https://docs.test/a", options)
    first, second = httpx_mock.get_requests()
    assert first.headers["authorization"] == "Bearer s3cret"
    assert first.headers["cookie"] == "session=1"
    assert "authorization" not in second.headers
    assert "cookie" not in second.headers
    assert "s3cret" not in repr(outcome)


def test_host_rules_match_subdomains_and_ports(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(is_reusable=True)
    rules = (
        HostRule("*.corp.test", (("X-Key", "k"),)),
        HostRule("api.test:8443", (("X-Port", "p"),)),
    )
    resolve(
        [
            "https://wiki.corp.test/",
            "https://corp.test/",
            "https://api.test:8443/",
            "https://api.test/",
        ],
        Options(hosts=rules),
    )
    sent = {
        str(r.url): (r.headers.get("x-key"), r.headers.get("x-port"))
        for r in httpx_mock.get_requests()
    }
    assert sent == {
        "https://wiki.corp.test/": ("k", None),
        "https://corp.test/": ("k", None),
        "https://api.test:8443/": (None, "p"),
        "https://api.test/": (None, None),
    }


def test_private_addresses_are_refused_also_after_a_redirect(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url="https://93.184.215.14/x",
        status_code=302,
        headers={"Location": "http://169.254.169.254/latest"},
    )
    options = Options(exclude_private=True)
    outcomes = resolve(
        ["http://127.0.0.1:9/x", "http://[::1]/x", "https://93.184.215.14/x"], options
    )
    assert outcomes["http://127.0.0.1:9/x"] == Outcome(
        Status.EXCLUDED, "private address 127.0.0.1 (--exclude-private)", cause=Cause.PRIVATE
    )
    assert outcomes["http://[::1]/x"].status is Status.EXCLUDED
    redirected = outcomes["https://93.184.215.14/x"]
    assert (redirected.status, redirected.reason) == (
        Status.EXCLUDED,
        "private address 169.254.169.254 (--exclude-private)",
    )
    assert len(httpx_mock.get_requests()) == 1  # the metadata address was never asked


def test_progress_is_told_once_per_url(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(is_reusable=True)
    done: list[int] = []
    urls = ["https://a.test/p", "https://a.test/p#x", "https://b.test/"]
    asyncio.run(
        resolve_remote(
            urls, FAST, transport=httpx.AsyncHTTPTransport(), on_done=lambda: done.append(1)
        )
    )
    assert len(done) == 3


def test_a_redirect_to_something_not_http_is_unreachable(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url="https://a.test/x", status_code=302, headers={"Location": "ftp://files.test/x"}
    )
    outcome = one("https://a.test/x")
    assert (outcome.status, outcome.reason, outcome.final_url) == (
        Status.UNREACHABLE,
        "redirects to a non-HTTP address (ftp:)",
        "ftp://files.test/x",
    )
