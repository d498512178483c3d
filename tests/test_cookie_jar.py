"""--cookie-jar FILE: curl's cookies.txt read before the run, each cookie sent only to its
own domain, what the sites set written back after it; values never shown."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkcheck._cli import command
from linkcheck._remote._cookies import CookieFileError, parse_line
from servers import Route, serve

JAR = (
    "# Netscape HTTP Cookie File\n"
    "# a comment, and a blank line\n"
    "\n"
    "127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts3cr3t-v4lue\n"
    "#HttpOnly_127.0.0.1\tFALSE\t/members\tFALSE\t4102444800\tmember\tyes\n"
    "127.0.0.1\tFALSE\t/\tFALSE\t1000\tstale\tgone\n"  # expired in 1970
)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(command, args, catch_exceptions=False)


def only_with_session(path: str, headers: dict[str, str]) -> Route:
    if "session=s3cr3t-v4lue" in headers.get("cookie", ""):
        return Route(200, body=b"welcome")
    return Route(404, body=b"sign in")


def test_cookies_go_to_their_domain_only_and_come_back_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cookies.txt").write_text(JAR)
    routes = {
        "/private": Route(responder=only_with_session),
        "/members/page": Route(200),
        "/login": Route(200, header_list=[("Set-Cookie", "fresh=n3w; Path=/; Max-Age=3600")]),
    }
    with (
        serve(routes, lifetime=30) as site,
        serve({"/other": Route(200)}, lifetime=30, host="127.0.0.2") as other,
    ):
        urls = [site.url("/private"), site.url("/members/page"), site.url("/login")]
        links = " ".join(f"<{url}>" for url in [*urls, other.url("/other")])
        Path("a.md").write_text(links + "\n")
        args = ["--no-cache", "--retries", "0", "--format", "json", "-o", "r.json", "a.md"]
        result = invoke(["--cookie-jar", "cookies.txt", *args])
        cookies = {path: h.get("cookie") for path, h in site.seen_headers}
        elsewhere = [h.get("cookie") for _, h in other.seen_headers]
        without = invoke([*args, "-o", "without.json"])  # the page refuses who has no cookie
    assert result.exit_code == 0, Path("r.json").read_text()
    assert without.exit_code == 1
    assert cookies["/members/page"] == "member=yes; session=s3cr3t-v4lue"  # longer path first
    assert "member" not in (cookies["/private"] or "") and "stale" not in str(cookies)
    assert elsewhere == [None]  # 127.0.0.2 got none of 127.0.0.1's cookies
    # Read before, written after: the new cookie added, the others kept, the stale dropped.
    written = Path("cookies.txt").read_text()
    assert written.startswith("# Netscape HTTP Cookie File\n")
    lines = {tuple(line.split("\t")[::5]) for line in written.splitlines() if "\t" in line}
    assert lines == {
        ("127.0.0.1", "session"),
        ("#HttpOnly_127.0.0.1", "member"),
        ("127.0.0.1", "fresh"),
    }
    assert stat.S_IMODE(os.stat("cookies.txt").st_mode) == 0o600
    assert sorted(os.listdir(".")) == ["a.md", "cookies.txt", "r.json", "without.json"]
    # Never shown: not in the report, not on stderr.
    for shown in (Path("r.json").read_text(), result.stderr, result.stdout):
        assert "s3cr3t" not in shown and "n3w" not in shown
    assert json.loads(Path("r.json").read_text())["summary"]["failed"] is False


def test_a_jar_file_that_does_not_exist_is_created_and_a_bad_one_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with serve({"/": Route(200, header_list=[("Set-Cookie", "id=1")])}, lifetime=30) as site:
        Path("a.md").write_text(f"<{site.url('/')}>\n")
        assert invoke(["--no-cache", "--cookie-jar", "new.txt", "a.md"]).exit_code == 0
    assert Path("new.txt").read_text().splitlines()[-1] == "127.0.0.1\tFALSE\t/\tFALSE\t0\tid\t1"
    Path("bad.txt").write_text("127.0.0.1 FALSE / FALSE 0 id 1\n")  # spaces, not tabs
    bad = invoke(["--cookie-jar", "bad.txt", "a.md"])
    assert (bad.exit_code, bad.stderr) == (
        2,
        "linkcheck: error: --cookie-jar: bad.txt is not a cookies.txt file: "
        "line 1: not 7 tab-separated fields\n",
    )


def test_an_unchanged_jar_is_left_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cookies.txt").write_bytes(JAR.encode())
    with serve({"/": Route(200)}, lifetime=30) as site:
        Path("a.md").write_text(f"<{site.url('/')}>\n")
        assert invoke(["--no-cache", "--cookie-jar", "cookies.txt", "a.md"]).exit_code == 0
    assert Path("cookies.txt").read_bytes() == JAR.encode()


@pytest.mark.parametrize(
    "line",
    [
        "example.com\tMAYBE\t/\tFALSE\t0\ta\tb",
        "example.com\tTRUE\t/\tFALSE\tsoon\ta\tb",
        "example.com\tTRUE\t/\tFALSE\t0\ta",
    ],
)
def test_a_bad_line_is_named(line: str) -> None:
    with pytest.raises(CookieFileError, match=r"^line 3: "):
        parse_line(line, 3)


def test_a_domain_cookie_reaches_subdomains() -> None:
    cookie = parse_line("example.com\tTRUE\t/\tTRUE\t0\tk\tv", 1)
    assert cookie is not None
    assert (cookie.domain, cookie.secure, cookie.discard) == (".example.com", True, True)
