"""A hostile HTTP server on 127.0.0.1: every way a server can misbehave, on purpose.

Raw sockets rather than an HTTP library, so that it can send what no library would.
Each connection is served on its own daemon thread; the server stops itself after
`lifetime` seconds whatever the client does.
"""

from __future__ import annotations

import gzip
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Behaviour = Callable[[socket.socket, str], None]


def _send(conn: socket.socket, status: str, headers: dict[str, str], body: bytes = b"") -> None:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)


def drip_headers(conn: socket.socket, path: str) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok":
        conn.sendall(bytes([byte]))
        time.sleep(1.0)


def endless_body(conn: socket.socket, path: str) -> None:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"<p>" + b"x" * 65536
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")


_BOMB = gzip.compress(b"<p>" + b"A" * 200_000_000)  # ~200 KB that inflates to 200 MB


def gzip_bomb(conn: socket.socket, path: str) -> None:
    headers = {
        "Content-Type": "text/html",
        "Content-Encoding": "gzip",
        "Content-Length": str(len(_BOMB)),
    }
    _send(conn, "200 OK", headers, _BOMB)


def long_chain(conn: socket.socket, path: str) -> None:
    hop = int(path.rsplit("/", 1)[1] or 0)
    _send(conn, "301 Moved Permanently", {"Location": f"/chain/{hop + 1}", "Content-Length": "0"})


def loop(conn: socket.socket, path: str) -> None:
    _send(conn, "302 Found", {"Location": "/loop", "Content-Length": "0"})


def reset(conn: socket.socket, path: str) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Len")
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def not_http(conn: socket.socket, path: str) -> None:
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02garbage\r\n\r\n")


def huge_header(conn: socket.socket, path: str) -> None:
    _send(conn, "200 OK", {"X-Big": "a" * (1024 * 1024), "Content-Length": "0"})


def year_retry_after(conn: socket.socket, path: str) -> None:
    _send(
        conn, "429 Too Many Requests", {"Retry-After": str(365 * 24 * 3600), "Content-Length": "0"}
    )


def storm(conn: socket.socket, path: str) -> None:
    _send(conn, "429 Too Many Requests", {"Retry-After": "0", "Content-Length": "0"})


ROUTES: dict[str, Behaviour] = {
    "/drip": drip_headers,
    "/endless": endless_body,
    "/bomb": gzip_bomb,
    "/chain/": long_chain,
    "/loop": loop,
    "/reset": reset,
    "/not-http": not_http,
    "/huge-header": huge_header,
    "/year": year_retry_after,
    "/storm": storm,
    "/short": lambda conn, path: conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly ten b"
    ),
    "/short-404": lambda conn, path: conn.sendall(
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 100\r\nConnection: close\r\n\r\nnot there"
    ),
    "/wayback/": lambda conn, path: endless_json(conn),
}


def endless_json(conn: socket.socket) -> None:
    """An archive API that never stops answering: `{"a": [0, 0, 0, …` for 30 s."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    conn.sendall(b'8\r\n{"a": [0\r\n')
    chunk = b", 0" * 20000
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")


def _route(path: str) -> Behaviour | None:
    for prefix, behaviour in ROUTES.items():
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return behaviour
    return None


def _serve_one(conn: socket.socket, tls: ssl.SSLContext | None) -> None:
    try:
        if tls is not None:
            conn = tls.wrap_socket(conn, server_side=True)
        conn.settimeout(10)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 65536:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        path = request.split(b" ", 2)[1].decode()
        behaviour = _route(path)
        if behaviour is None:
            _send(conn, "200 OK", {"Content-Length": "2"}, b"ok")
        else:
            behaviour(conn, path)
    except (OSError, ssl.SSLError, IndexError):
        pass  # the client gave up, as it should
    finally:
        conn.close()


@contextmanager
def hostile_server(*, tls_dir: Path | None = None, lifetime: float = 120) -> Iterator[str]:
    """Yields the base URL (`http://127.0.0.1:PORT`, or https with a self-signed cert)."""
    tls = None
    if tls_dir is not None:
        key, cert = tls_dir / "key.pem", tls_dir / "cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    listener.settimeout(0.2)
    stop = threading.Event()
    deadline = time.monotonic() + lifetime

    def accept() -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=_serve_one, args=(conn, tls), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield f"{scheme}://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
