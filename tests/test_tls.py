"""Which certificates a run trusts: the system's, SSL_CERT_FILE's, --ca-cert's, or none
(--insecure), against a TLS server on 127.0.0.1 whose CA is made for each test."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner, Result

import linkcheck
from linkcheck import Cause, Status
from linkcheck._cli import command


@pytest.fixture
def ca() -> trustme.CA:
    return trustme.CA()


@contextmanager
def tls_server(ca: trustme.CA, lifetime: float = 30.0) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a certificate `ca` issued; its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client refusing the certificate is the point of some tests

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    httpd = Quiet(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    killer = threading.Timer(lifetime, httpd.shutdown)  # whatever happens, it stops
    killer.daemon = True
    killer.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}/page"
    finally:
        killer.cancel()
        httpd.shutdown()
        httpd.server_close()


def outcome(url: str, tmp_path: Path, **options: object) -> linkcheck.Outcome:
    article = tmp_path / "a.md"
    article.write_text(f"[x]({url})\n")
    settings = linkcheck.Options(timeout=5, retries=0, **options)  # type: ignore[arg-type]
    (result,) = linkcheck.check([str(article)], settings).results
    return result.outcome


def test_an_unknown_ca_is_a_tls_failure(ca: trustme.CA, tmp_path: Path) -> None:
    with tls_server(ca) as url:
        found = outcome(url, tmp_path)
    assert (found.status, found.cause) == (Status.UNREACHABLE, Cause.TLS)


def test_ca_cert_and_ssl_cert_file_are_trusted(
    ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    with tls_server(ca) as url:
        assert outcome(url, tmp_path, ca_cert=str(pem)).status is Status.OK
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))  # OpenSSL's own variable, documented
        assert outcome(url, tmp_path).status is Status.OK


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(command, args, catch_exceptions=False)


def test_insecure_trusts_anything_and_says_so_once(
    ca: trustme.CA, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with tls_server(ca) as url:
        Path("a.md").write_text(f"[x]({url}) [y]({url}?again)\n")
        checked = invoke(["--no-cache", "--timeout", "5", "--insecure", "-v", "a.md"])
        refused = invoke(["--no-cache", "--timeout", "5", "--retries", "0", "a.md"])
    assert checked.exit_code == 0, checked.stdout
    assert checked.stderr.count("--insecure") == 1
    assert "TLS certificates are not verified" in checked.stderr
    assert refused.exit_code == 1 and "--insecure" not in refused.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "linkcheck: error: --ca-cert: cannot read nothing.pem: No such file or directory\n"),
        (
            "not a certificate\n",
            "linkcheck: error: --ca-cert: nothing.pem holds no PEM certificate\n",
        ),
    ],
)
def test_a_wrong_ca_cert_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text("[x](b.md)\n")
    if content is not None:
        Path("nothing.pem").write_text(content)
    result = invoke(["--ca-cert", "nothing.pem", "a.md"])
    assert (result.exit_code, result.stderr) == (2, message)
