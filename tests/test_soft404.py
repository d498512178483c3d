"""Links that redirect to a home page or an error page are dead, though they end in 200."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pytest_httpx import HTTPXMock

from linkcheck import Options, Redirect, Status
from linkcheck._remote._soft404 import soft_404_reason
from remote import resolve_remote


@pytest.mark.parametrize(
    ("start", "final", "reason"),
    [
        ("https://a.test/news/2015/story", "https://a.test/", "redirects to the site's home page"),
        ("https://a.test/story", "https://a.test/en/", "redirects to the site's home page"),
        (
            "https://a.test/story",
            "https://www.b.test/index.html",
            "redirects to the home page of www.b.test",
        ),
        ("https://a.test/story", "https://a.test/404", "redirects to an error page (/404)"),
        (
            "https://a.test/story",
            "https://a.test/errors/not-found?from=story",
            "redirects to an error page (/errors/not-found?from=story)",
        ),
        ("https://a.test/", "https://www.a.test/", None),  # a home page that moved
        ("https://a.test/old", "https://a.test/new", None),
        ("https://a.test/error-handling-guide", "https://a.test/docs/error-handling-guide", None),
        ("https://a.test/story", "https://a.test/en/story", None),
        ("https://a.test/story", "https://a.test/pt-br", "redirects to the site's home page"),
        ("https://a.test/story", "https://a.test/ok", None),
    ],
)
def test_soft_404_reasons(start: str, final: str, reason: str | None) -> None:
    assert soft_404_reason(start, final) == reason


def resolve(url: str) -> object:
    return asyncio.run(
        resolve_remote([url], Options(retries=0), transport=httpx.AsyncHTTPTransport())
    )[url]


def test_a_removed_page_redirected_home_is_broken(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url="https://a.test/2015/story", status_code=301, headers={"Location": "/"}
    )
    httpx_mock.add_response(url="https://a.test/", text="home")
    outcome = resolve("https://a.test/2015/story")
    assert (outcome.status, outcome.reason, outcome.http_status, outcome.redirects) == (
        Status.BROKEN,
        "redirects to the site's home page",
        200,
        (Redirect(301, "https://a.test/"),),
    )


def test_a_shortlink_to_a_home_page_is_fine_but_its_dead_story_is_not(
    httpx_mock: HTTPXMock,
) -> None:
    httpx_mock.add_response(
        url="https://bit.ly/home", status_code=301, headers={"Location": "https://a.test/"}
    )
    httpx_mock.add_response(url="https://a.test/", text="home", is_reusable=True)
    assert resolve("https://bit.ly/home").status is Status.REDIRECTED
    httpx_mock.add_response(
        url="https://bit.ly/story", status_code=301, headers={"Location": "https://a.test/gone"}
    )
    httpx_mock.add_response(url="https://a.test/gone", status_code=302, headers={"Location": "/"})
    outcome = resolve("https://bit.ly/story")
    assert (outcome.status, outcome.reason) == (Status.BROKEN, "redirects to the site's home page")


def test_the_sibling_probe_catches_a_site_that_answers_200_to_anything() -> None:
    from linkcheck._remote._soft404 import near_identical, probe_key, sibling_url
    from servers import Route, serve

    assert probe_key("https://a.test/news/2015/a.html") == probe_key(
        "https://a.test/news/2015/b.html"
    )
    assert probe_key("https://a.test/news/2015/a.html") != probe_key("https://a.test/news/a.html")
    assert sibling_url("https://a.test/news/a.html?x=1", "zz") == "https://a.test/news/zz.html"
    assert near_identical(
        b"<p>Sorry, /a was not found on this server today</p>",
        b"<p>Sorry, /b was not found on this server today</p>",
    )
    assert not near_identical(
        b"<nav>Home News</nav><p>Ministers meet port chiefs at the harbour</p>",
        b"<nav>Home News</nav><p>An inquiry into the dredging contract opens</p>",
    )

    def anything(path: str) -> tuple[int, dict[str, str], bytes]:
        return (
            200,
            {"Content-Type": "text/html"},
            b"<h1>Oops</h1><p>We could not find what you were looking for. Try the search.</p>",
        )

    catch_all = Route(handler=anything)
    routes = {f"/news/{n}.html": catch_all for n in range(3)} | {
        "/real/a.html": Route(
            body=b"<p>A real article about the harbour talks and the ministers</p>"
        ),
        "/real/b.html": Route(
            body=b"<p>Another real article, on dredging contracts and an inquiry</p>"
        ),
        "/": Route(body=b"home"),
    }

    class AnyPath(dict):
        def get(self, key, default=None):  # every /news/... path answers, like a catch-all site
            return super().get(key) or (catch_all if key.startswith("/news/") else default)

    with serve(AnyPath(routes)) as server:
        urls = [server.url(p) for p in routes]
        options = Options(retries=0, soft_404=True)
        outcomes = asyncio.run(resolve_remote(urls, options))
        probes = [path for _, path in server.hits if "linkcheck-" in path]
    got = {
        url.removeprefix(f"http://127.0.0.1:{server.port}"): o.status for url, o in outcomes.items()
    }
    assert got == {
        "/news/0.html": Status.BROKEN, "/news/1.html": Status.BROKEN, "/news/2.html": Status.BROKEN,
        "/real/a.html": Status.OK, "/real/b.html": Status.OK, "/": Status.OK,
    }  # fmt: skip
    assert outcomes[server.url("/news/0.html")].reason.startswith("soft 404")
    assert len(probes) == 2  # one per host and path shape: /news/*.html and /real/*.html
