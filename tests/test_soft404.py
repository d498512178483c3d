"""Links that redirect to a home page or an error page are dead, though they end in 200."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from pytest_httpx import HTTPXMock

from linkcheck import Options, Redirect, Status
from linkcheck._http import resolve_remote
from linkcheck._soft404 import soft_404_reason


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
