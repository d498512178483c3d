"""The network's edges (#12) and GitHub's token (#17): file descriptors, userinfo,
proxies, private addresses, archive answers, backoff, reasons; all on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import errno
import ipaddress
import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx
import pytest

from hostile import hostile_server
from linkcheck import Options, Status
from linkcheck._models import Cause
from linkcheck._remote._archive import ArchiveClient, _closest
from linkcheck._remote._errors import classify_error
from linkcheck._remote._private import is_private
from linkcheck._remote._resolver import BACKOFF_CAP, Resolver
from linkcheck._remote._transport import connection_cap, env_proxies, idle_cap, proxy_for
from remote import resolve_remote
from servers import Route, free_port, redirect, serve, serve_many

QUICK = Options(timeout=1, retries=1, retry_backoff=0.01, max_retry_wait=1)
TESTS = Path(__file__).parent


def check(urls: list[str], options: Options = QUICK) -> dict[str, tuple[Status, str | None]]:
    outcomes = asyncio.run(resolve_remote(urls, options))
    return {url: (o.status, o.reason) for url, o in outcomes.items()}


# ------------------------------------------------------------------ 2: file descriptors

_LOW_LIMIT = """
import asyncio, json, resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
from linkcheck import Options
from remote import resolve_remote
urls = [f"http://127.0.0.1:{port}/" for port in json.loads(sys.argv[1])]
outcomes = asyncio.run(resolve_remote(urls, Options(timeout=10, retries=0)))
print(json.dumps(sorted({o.status.value for o in outcomes.values()} | set())))
print(json.dumps([o.reason for o in outcomes.values() if o.status.value != "ok"][:3]))
"""


def test_many_hosts_under_a_low_fd_limit_all_work() -> None:
    """400 hosts (ports) under `ulimit -n 128`: connections are capped and idle ones
    closed, so every link works; before, most came back timeout or unreachable."""
    with serve_many(400) as ports:
        done = subprocess.run(
            [sys.executable, "-c", _LOW_LIMIT, json.dumps(ports)],
            capture_output=True, text=True, timeout=120, cwd=TESTS,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    statuses, failures = (json.loads(line) for line in done.stdout.splitlines())
    assert (statuses, failures) == (["ok"], [])


def test_the_connection_cap_stays_well_under_the_fd_limit() -> None:
    assert connection_cap(Options(max_concurrency=64), fd_limit=1024) == 64
    assert connection_cap(Options(max_concurrency=64), fd_limit=256) == 32
    assert connection_cap(Options(max_concurrency=64), fd_limit=4) == 1
    # In use and idle together: a quarter of the descriptors.
    assert idle_cap(Options(max_concurrency=64), fd_limit=1024) == 192
    assert idle_cap(Options(max_concurrency=64), fd_limit=128) == 16


def test_running_out_of_file_descriptors_is_never_a_timeout() -> None:
    emfile = OSError(errno.EMFILE, "Too many open files")
    for error in (emfile, _chained(httpx.ConnectTimeout("connect"), emfile)):
        failure = classify_error(error, "http://127.0.0.1/")
        assert (failure.status, failure.cause, failure.reason) == (
            Status.UNREACHABLE,
            Cause.FILE_LIMIT,
            "too many open files on this machine (raise ulimit -n or lower --max-concurrency)",
        )
    assert Cause.FILE_LIMIT.retryable


def _chained(error: BaseException, cause: BaseException) -> BaseException:
    error.__cause__ = cause
    return error


# ------------------------------------------------------------------ 3: userinfo


def test_userinfo_is_basic_auth_to_its_origin_only() -> None:
    expected = "Basic " + base64.b64encode(b"reader:pa ss").decode()

    def members(path: str, headers: dict[str, str]) -> Route:
        if headers.get("authorization") != expected:
            return Route(401, {"WWW-Authenticate": 'Basic realm="x"'}, b"")
        return Route(200, {}, b"members")

    with serve({"/elsewhere": Route()}) as other:
        routes = {
            "/members": Route(responder=members),
            "/moved": redirect(other.url("/elsewhere")),
        }
        with serve(routes) as server:
            base = f"http://reader:pa%20ss@127.0.0.1:{server.port}"
            got = check([f"{base}/members", f"{base}/moved"])
        assert got[f"{base}/members"] == (Status.OK, None)
        assert got[f"{base}/moved"] == (Status.REDIRECTED, "redirected 1 time")
        assert [h.get("authorization") for _, h in other.seen_headers] == [None]
        assert all(h.get("authorization") == expected for _, h in server.seen_headers)


# ------------------------------------------------------------------ 4: proxies


def test_proxies_from_the_environment_and_no_proxy_env(monkeypatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        for variant in (name, name.lower()):
            monkeypatch.delenv(variant, raising=False)
    nowhere = f"http://127.0.0.1:{free_port()}/x"  # nothing listens: only a proxy answers
    with serve({nowhere: Route(200, {}, b"via proxy")}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url(""))
        assert check([nowhere])[nowhere] == (Status.OK, None)
        assert proxy.hits[("GET", nowhere)] == 1
        opted_out = replace(QUICK, no_proxy_env=True)
        assert check([nowhere], opted_out)[nowhere] == (Status.UNREACHABLE, "connection refused")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        assert check([nowhere])[nowhere] == (Status.UNREACHABLE, "connection refused")
        monkeypatch.delenv("NO_PROXY")
        monkeypatch.delenv("HTTP_PROXY")
        monkeypatch.setenv("ALL_PROXY", proxy.url(""))
        assert check([nowhere])[nowhere] == (Status.OK, None)
        assert proxy.hits[("GET", nowhere)] == 2


def test_proxy_for() -> None:
    proxies = env_proxies({"HTTPS_PROXY": "http://u:p@proxy:3128", "all_proxy": "socks5://s:1080",
                           "no_proxy": "internal.example,.corp"})  # fmt: skip
    assert proxies == {
        "https": "http://u:p@proxy:3128",
        "all": "socks5://s:1080",
        "no": "internal.example,.corp",
    }
    chosen = proxy_for(httpx.URL("https://news.example/a"), proxies)
    assert chosen is not None and chosen.url == httpx.URL("http://proxy:3128")
    assert chosen.auth == ("u", "p")
    assert proxy_for(httpx.URL("https://internal.example/"), proxies) is None
    assert proxy_for(httpx.URL("https://a.corp/"), proxies) is None
    assert proxy_for(httpx.URL("http://news.example/"), proxies) is None  # socks is not HTTP
    lower_wins = env_proxies({"HTTP_PROXY": "http://upper:1", "http_proxy": "http://lower:1"})
    assert lower_wins == {"http": "http://lower:1"}


# ------------------------------------------------------------------ 13: private addresses


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "100.100.100.200", "192.0.0.8", "198.18.0.1", "0.0.0.0", "240.0.0.1", "::1", "fe80::1",
     "fc00::1", "fec0::1", "2002::1", "2001:db8::1", "::ffff:10.0.0.1", "fd00:ec2::254",
     "ff02::1", "224.0.0.1"],
)  # fmt: skip
def test_every_special_purpose_address_is_private(address: str) -> None:
    assert is_private(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses_are_not_private(address: str) -> None:
    assert not is_private(ipaddress.ip_address(address))


def test_exclude_private_is_checked_on_every_hop() -> None:
    """A public page that redirects to a cloud's metadata address: the hop is refused
    before any request (a mock answers; nothing leaves the machine)."""
    asked: list[str] = []

    def public(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://100.100.100.200/latest/"})

    cited = "http://93.184.216.34/article"
    outcomes = asyncio.run(
        resolve_remote([cited], replace(QUICK, exclude_private=True),
                       transport=httpx.MockTransport(public))
    )  # fmt: skip
    outcome = outcomes[cited]
    assert (outcome.status, outcome.reason) == (
        Status.EXCLUDED,
        "private address 100.100.100.200 (--exclude-private)",
    )
    assert asked == [cited]


# ------------------------------------------------------------------ 14: archive answers


def test_an_endless_archive_answer_is_cut_off_in_bytes_and_time() -> None:
    with hostile_server() as base:

        async def ask() -> object:
            async with httpx.AsyncClient() as client:
                archive = ArchiveClient(client, base, interval=0, max_wait=0, timeout=1)
                return await archive.closest("https://news.example/a", date(2015, 1, 1))

        started = time.monotonic()
        assert asyncio.run(ask()) is None
        assert time.monotonic() - started < 4


@pytest.mark.parametrize(
    "snapshot",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//no-scheme/x",
        "ftp://x/",
    ],
)
def test_only_http_snapshots_are_accepted(snapshot: str) -> None:
    answer = {"archived_snapshots": {"closest": {
        "available": True, "status": "200", "url": snapshot, "timestamp": "20150101000000"}}}  # fmt: skip
    assert _closest(answer) is None
    ok = json.loads(
        json.dumps(answer).replace(json.dumps(snapshot)[1:-1], "https://web.archive.org/web/2015/x")
    )
    assert _closest(ok) is not None


# ------------------------------------------------------------------ 15: backoff


def test_retry_backoff_is_capped_and_bounded_by_max_retry_wait() -> None:
    closed = f"http://127.0.0.1:{free_port()}/x"
    options = Options(timeout=1, retries=6, retry_backoff=0.5, max_retry_wait=1.5)
    started = time.monotonic()
    got = check([closed], options)
    assert got[closed] == (Status.UNREACHABLE, "connection refused")
    assert time.monotonic() - started < 3.5  # uncapped: 0.5 * (1 + 2 + … + 32) s ≈ 31 s
    resolver = Resolver(Options(retry_backoff=10), httpx.AsyncHTTPTransport())
    assert max(resolver._backoff(attempt) for attempt in range(12)) <= BACKOFF_CAP


# ------------------------------------------------------------------ 16: reasons are sentences


def test_redirects_to_non_web_addresses_and_short_bodies_say_sentences() -> None:
    routes = {
        "/data": redirect("data:text/html,hello"),
        "/js": redirect("javascript:alert(1)"),
        "/mail": redirect("mailto:editor@news.example"),
    }
    with serve(routes) as server, hostile_server() as base:
        urls = [server.url(p) for p in routes] + [f"{base}/short", f"{base}/short-404"]
        got = check(urls)
    assert got[server.url("/data")] == (
        Status.UNREACHABLE,
        "redirects to inline data (data:), not to a web page",
    )
    assert got[server.url("/js")] == (
        Status.UNREACHABLE,
        "redirects to a script (javascript:), not to a web page",
    )
    assert got[server.url("/mail")] == (
        Status.UNREACHABLE,
        "redirects to an e-mail address (mailto:), not to a web page",
    )
    # The status line and headers were the answer; a body that ends early is no failure.
    assert got[f"{base}/short"] == (Status.OK, None)
    assert got[f"{base}/short-404"] == (Status.BROKEN, "404 Not Found")


# ------------------------------------------------------------------ #17: GitHub's token


def test_a_github_token_goes_to_github_hosts_only_and_rate_limits_are_respected() -> None:
    calls: list[str | None] = []

    def api(path: str, headers: dict[str, str]) -> Route:
        calls.append(headers.get("authorization"))
        if len(calls) == 1:
            reset = str(int(time.time()) + 1)
            return Route(403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}, b"{}")
        return Route(200, {"x-ratelimit-remaining": "4999"}, b"{}")

    with serve({"/elsewhere": Route()}) as other:
        routes = {
            "/repos/o/r": Route(responder=api),
            "/o/r/moved": redirect(other.url("/elsewhere")),
        }
        with serve(routes) as github:
            options = replace(
                QUICK, github_token="ghp_t0ken", github_hosts=(f"127.0.0.1:{github.port}",),
                max_retry_wait=3,
            )  # fmt: skip
            got = check([github.url("/repos/o/r"), github.url("/o/r/moved")], options)
        assert got[github.url("/repos/o/r")] == (Status.OK, None)
        assert got[github.url("/o/r/moved")] == (Status.REDIRECTED, "redirected 1 time")
        assert calls == ["Bearer ghp_t0ken", "Bearer ghp_t0ken"]
        assert [h.get("authorization") for _, h in other.seen_headers] == [None]


def test_without_a_token_githubs_429_stays_a_warning() -> None:
    routes = {"/o/r": Route(429, {"Retry-After": "0"}, b"Too many requests")}
    with serve(routes) as github:
        options = replace(QUICK, github_hosts=(f"127.0.0.1:{github.port}",))
        got = check([github.url("/o/r")], options)
        assert [h.get("authorization") for _, h in github.seen_headers] == [None, None]
    assert got[github.url("/o/r")] == (Status.RATE_LIMITED, "429 Too Many Requests after 2 tries")


def test_the_cli_takes_the_token_from_github_token_and_no_proxy_env_as_a_flag(
    tmp_path: Path, monkeypatch
) -> None:
    from click.testing import CliRunner

    from linkcheck._cli import command

    with serve({"/o/r": Route()}) as github:
        (tmp_path / "a.md").write_text(f"[repo]({github.url('/o/r')})\n")
        (tmp_path / "linkcheck.toml").write_text(f'github_hosts = ["127.0.0.1:{github.port}"]\n')
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_fromenv")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{free_port()}")  # nothing there
        args = ["--no-proxy-env", "--no-cache", "--no-progress", "--format", "json", "a.md"]
        result = CliRunner().invoke(command, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "ghp_fromenv" not in result.output
        assert [h.get("authorization") for _, h in github.seen_headers] == ["Bearer ghp_fromenv"]


def test_githubs_secondary_limit_and_a_spent_quota_pace_the_host() -> None:
    secondary: list[float] = []

    def abuse(path: str, headers: dict[str, str]) -> Route:
        secondary.append(time.monotonic())
        if len(secondary) == 1:
            return Route(403, {"Retry-After": "1"}, b'{"message": "secondary rate limit"}')
        return Route(200, {}, b"{}")

    seen: list[float] = []

    def quota(path: str, headers: dict[str, str]) -> Route:
        seen.append(time.monotonic())
        reset = str(int(time.time()) + 2)  # the next request may go at that second
        return Route(200, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}, b"{}")

    routes = {
        "/a": Route(responder=abuse),
        "/q1": Route(responder=quota),
        "/q2": Route(responder=quota),
    }
    with serve(routes) as github:
        options = replace(QUICK, max_retry_wait=3, max_per_host=1)
        assert check([github.url("/a")], options)[github.url("/a")] == (Status.OK, None)
        assert secondary[1] - secondary[0] >= 0.9
        got = check([github.url("/q1"), github.url("/q2")], options)
    assert set(got.values()) == {(Status.OK, None)}
    assert seen[1] - seen[0] >= 0.9  # the second waited for the quota's reset
