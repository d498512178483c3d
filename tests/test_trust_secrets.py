"""Secrets (SPEC "Secrets"): credentials in URLs reach the site itself, and nothing else —
no report format, message, cache file or archive request shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkcheck import Options, check
from linkcheck._cli import run
from linkcheck._redact import redact
from linkcheck._report import WRITERS
from servers import Route, redirect, serve

SECRETS = (
    "s3cr3t-pw", "tok-SECRET-1", "sig-SECRET-2", "amz-SECRET-3", "loc-SECRET-4", "ghp_SECRET5",
    "goog-SECRET-6",
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://u:pw@h.test/x", "https://u:***@h.test/x"),
        ("see http://u:p@ss@h.test/ now", "see http://u:***@h.test/ now"),
        ("https://h.test/?token=abc&page=2", "https://h.test/?token=***&page=2"),
        ("https://h.test/?a=1&access_token=abc#top", "https://h.test/?a=1&access_token=***#top"),
        ("https://b.s3.test/k?X-Amz-Signature=ff&X-Amz-Date=2", "https://b.s3.test/k?X-Amz-Signature=***&X-Amz-Date=***"),
        # A pre-signed Google Cloud Storage URL (V4 signing): every X-Goog- parameter.
        ("https://storage.test/b/o?X-Goog-Algorithm=GOOG4&x-goog-signature=ab12&page=1", "https://storage.test/b/o?X-Goog-Algorithm=***&x-goog-signature=***&page=1"),
        ("https://h.test/?KEY=1;sig=2&Password=3", "https://h.test/?KEY=***;sig=***&Password=***"),
        ("https://h.test/?page=2&keyword=x&q=token", "https://h.test/?page=2&keyword=x&q=token"),
        ("https://h.test/cb#access_token=abc&state=1", "https://h.test/cb#access_token=***&state=1"),
        ("https://h.test/page#section=2", "https://h.test/page#section=2"),
        ("https://user@h.test/", "https://user@h.test/"),
        ("https://ghp_a1B2c3@github.com/o/r", "https://***@github.com/o/r"),
        ("clone https://glpat-x9y8z7@gitlab.com/o/r.git", "clone https://***@gitlab.com/o/r.git"),
        ("https://0123456789abcdefABCDEF99@h.test/", "https://***@h.test/"),
        ("https://firstname.lastname@h.test/", "https://firstname.lastname@h.test/"),
        ("https://x-access-token:ghs_1@github.com/", "https://x-access-token:***@github.com/"),
        ("mailto:someone@example.com", "mailto:someone@example.com"),
    ],
)  # fmt: skip
def test_redact_hides_passwords_and_credential_parameters_only(text: str, shown: str) -> None:
    assert redact(text) == shown
    assert redact(shown) == shown


@pytest.fixture
def secret_site(tmp_path: Path):
    """An article whose links carry every kind of secret, one of them redirecting to a
    Location that carries another; the site answers every one of them."""
    with serve({}) as site:
        site.routes.update(
            {
                "/in": Route(),
                "/signed": Route(),
                "/s3": Route(),
                "/go": redirect(f"{site.url('/landed')}?sig=loc-SECRET-4"),
                "/landed": Route(),
                "/dead": Route(404),
            }
        )
        base = f"http://127.0.0.1:{site.port}"
        (tmp_path / "a.md").write_text(
            f"[in](http://reader:s3cr3t-pw@127.0.0.1:{site.port}/in)\n"
            f"[signed]({base}/signed?token=tok-SECRET-1&page=2)\n"
            f"Bare {base}/s3?X-Amz-Signature=amz-SECRET-3 here.\n"
            f"[gcs]({base}/s3?X-Goog-Signature=goog-SECRET-6)\n"
            f"[go]({base}/go?signature=sig-SECRET-2)\n"
            f"[dead]({base}/dead?access_token=tok-SECRET-1)\n"
            f"[token as user](http://ghp_SECRET5@127.0.0.1:{site.port}/in)\n"
        )
        yield site, tmp_path


def test_no_report_format_message_or_cache_shows_a_secret(secret_site, monkeypatch, capsys) -> None:
    site, folder = secret_site
    monkeypatch.chdir(folder)
    reports = [f"--report={name}:out.{name}" for name in sorted(WRITERS)]
    code = run(["-v", "--no-progress", "--retries", "0", "--cache-path", "c.db", *reports, "a.md"])
    assert code == 1  # the dead link
    shown = capsys.readouterr()
    written = {name: (folder / f"out.{name}").read_text() for name in WRITERS}
    cache = b"".join(p.read_bytes() for p in folder.glob("c.db*"))
    for secret in SECRETS:
        assert secret not in shown.out + shown.err
        for name, text in written.items():
            assert secret not in text, name
        assert secret.encode() not in cache
    document = json.loads(written["json"])
    rows = {row["text"]: row for row in document["links"]}
    assert rows["signed"]["url"].endswith("/signed?token=***&page=2")
    assert rows["in"]["target"] == f"http://reader:***@127.0.0.1:{site.port}/in"
    assert rows["go"]["redirects"] == [
        {"status": 301, "url": f"http://127.0.0.1:{site.port}/landed?sig=***"}
    ]
    # ... while the site itself was sent every credential.
    paths = " ".join(path for path, _ in site.seen_headers)
    assert "token=tok-SECRET-1" in paths and "sig=loc-SECRET-4" in paths
    # (That userinfo is sent as Basic auth is item 3 of issue #12, tested with the resolver.)


def test_a_warm_run_rechecks_a_target_whose_redirect_lost_a_secret(
    secret_site, monkeypatch, capsys
) -> None:
    """The cache holds `?sig=***`; reusing it would hand --fix a URL with *** in it."""
    site, folder = secret_site
    monkeypatch.chdir(folder)
    flags = ["--no-progress", "--retries", "0", "--cache-path", "c.db", "--format", "json"]
    run([*flags, "a.md"])
    capsys.readouterr()
    site.hits.clear()
    run([*flags, "a.md"])
    assert site.hits[("GET", "/go?signature=sig-SECRET-2")] == 1  # rechecked
    assert site.hits[("GET", "/s3?X-Amz-Signature=amz-SECRET-3")] == 0  # reused


def test_the_library_report_keeps_the_real_urls(secret_site, monkeypatch) -> None:
    """Documented choice: redaction happens where linkcheck writes or sends, so a caller
    of check() (and --fix) works on the URL as written."""
    _, folder = secret_site
    monkeypatch.chdir(folder)
    report = check(["a.md"], Options(retries=0))
    urls = {r.link.text: r.link.url for r in report.results}
    assert "token=tok-SECRET-1" in urls["signed"]


def test_the_archive_is_never_sent_a_secret(tmp_path: Path, monkeypatch, capsys) -> None:
    answer = json.dumps({"archived_snapshots": {}}).encode()
    with (
        serve({"/dead": Route(404)}) as site,
        serve(
            {"/wayback/available": Route(body=answer), "/cdx/search/cdx": Route(body=b"[]")}
        ) as archive,
    ):
        (tmp_path / "a.md").write_text(
            f"[dead]({site.url('/dead')}?token=tok-SECRET-1&id=7)\n"
            f"[also](http://u:s3cr3t-pw@127.0.0.1:{site.port}/dead)\n"
        )
        monkeypatch.chdir(tmp_path)
        flags = ["--no-progress", "--retries", "0", "--cache-path", "c.db", "--archive"]
        code = run([*flags, "--archive-url", archive.url(""), "--archive-interval", "0", "a.md"])
        assert code == 1
        sent = " ".join(path for path, _ in archive.seen_headers)
        assert sent and "SECRET" not in sent and "s3cr3t" not in sent
        assert "token%3D***" in sent  # the URL asked about, redacted
    cache = b"".join(p.read_bytes() for p in tmp_path.glob("c.db*"))
    assert b"SECRET" not in cache and b"s3cr3t" not in cache
    capsys.readouterr()


def test_the_extraction_cache_stores_no_article_with_a_secret(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.md").write_text("[x](https://h.test/?token=tok-SECRET-1)\n")
    (tmp_path / "b.md").write_text("[y](https://h.test/plain)\n")
    monkeypatch.chdir(tmp_path)
    run(["--offline", "--no-progress", "-q", "--cache-path", "c.db", "."])
    cache = b"".join(p.read_bytes() for p in tmp_path.glob("c.db*"))
    assert b"SECRET" not in cache
    assert b"https://h.test/plain" in cache  # the other article is cached as before
    # And a warm run still checks the real URL (the article was parsed again).
    report = check(["a.md"], Options(offline=True, cache_path=str(tmp_path / "c.db")))
    assert report.results[0].link.url == "https://h.test/?token=tok-SECRET-1"


@pytest.mark.parametrize("header", ["Authorization Bearer SECRET", "Author ization: Bearer SECRET"])
def test_a_malformed_header_is_reported_without_its_value(header: str, capsys) -> None:
    assert run(["--offline", "--header", header, "."]) == 2
    err = capsys.readouterr().err
    assert "SECRET" not in err and err.startswith("linkcheck: error: --header #1 ")
    assert err.count("\n") == 1


def test_a_usage_error_naming_a_url_redacts_it(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["--offline", "--root-dir", "https://u:s3cr3t-pw@h.test/?token=x", "."]) == 2
    err = capsys.readouterr().err
    assert "s3cr3t" not in err and "u:***@h.test" in err


def test_a_hosts_unset_variable_is_needed_only_when_that_host_is_asked(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.delenv("LC_UNSET_TOKEN", raising=False)
    with serve({"/private": Route(), "/public": Route()}) as site:
        (tmp_path / "linkcheck.toml").write_text(
            f"[[hosts]]\nmatch = '127.0.0.1:{site.port}'\n"
            "headers = { X-Token = 'Bearer ${LC_UNSET_TOKEN}' }\n"
            "[[hosts]]\nmatch = 'elsewhere.test'\n"
            "headers = { X-Token = '${LC_UNSET_TOKEN}' }\n"
        )
        (tmp_path / "a.md").write_text(f"[p]({site.url('/private')})\n")
        monkeypatch.chdir(tmp_path)
        assert run(["--offline", "--no-cache", "a.md"]) == 0  # --offline needs no secret
        capsys.readouterr()
        assert run(["--no-cache", "--format", "json", "a.md"]) == 0
        row = json.loads(capsys.readouterr().out)["links"][0]
        assert (row["status"], row["reason"]) == (
            "unverified",
            f"not checked: the [[hosts]] '127.0.0.1:{site.port}' headers need "
            "${LC_UNSET_TOKEN}, not set",
        )
        assert site.seen_headers == []  # never asked without its credentials
        monkeypatch.setenv("LC_UNSET_TOKEN", "tok-SECRET-9")
        assert run(["--no-cache", "a.md"]) == 0
        assert site.seen_headers[0][1]["x-token"] == "Bearer tok-SECRET-9"


def test_a_wildcard_host_rule_matches_its_domain_and_subdomains_only() -> None:
    # Its headers carry credentials: `*.a.test` must never match `evila.test`.
    from linkcheck import HostRule
    from linkcheck._remote._hosts import rule_for

    rule = HostRule("*.a.test", (("Authorization", "Bearer x"),))
    assert rule_for((rule,), "https://x.a.test/p") is rule
    assert rule_for((rule,), "https://a.test/p") is rule
    assert rule_for((rule,), "https://evila.test/p") is None
    assert rule_for((rule,), "https://a.test.evil.example/p") is None
