"""A real HTTP server on 127.0.0.1 for tests: scripted routes, counted requests, and a
hard lifetime so that no test can leave it running."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0
    #: Close the socket instead of answering (a reset mid-response).
    reset: bool = False
    #: Answers for the first requests before the main one (e.g. 503, 503, then 200).
    first: list[int] = field(default_factory=list)
    #: Answer HEAD with this status instead.
    head_status: int | None = None
    #: Compute the answer from the full path and query: (status, headers, body).
    handler: Callable[[str], tuple[int, dict[str, str], bytes]] | None = None
    #: Compute the Route from the path and the request's headers (lower-case names):
    #: a server that answers browsers only, or reads a cookie.
    responder: Callable[[str, dict[str, str]], Route] | None = None
    #: Seconds between 1 KiB pieces of the body (the status and headers come at once).
    drip: float = 0.0
    #: Send every header line as given, even repeated ones such as Set-Cookie.
    header_list: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Server:
    host: str
    port: int
    routes: dict[str, Route]
    hits: Counter[tuple[str, str]]
    seen_headers: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    routes: dict[str, Route], *, lifetime: float = 60.0, host: str = "127.0.0.1"
) -> Iterator[Server]:
    """`host`: any 127.x.y.z address is this machine too, and a distinct host to a client."""
    hits: Counter[tuple[str, str]] = Counter()
    seen: list[tuple[str, dict[str, str]]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, method: str) -> None:
            path = self.path
            with lock:
                hits[(method, path)] += 1
                count = hits[(method, path)]
                seen.append((path, {k.lower(): v for k, v in self.headers.items()}))
            route = routes.get(path) or routes.get(path.partition("?")[0]) or Route(404, body=b"nf")
            if route.responder is not None:
                route = route.responder(path, {k.lower(): v for k, v in self.headers.items()})
            if route.delay:
                time.sleep(route.delay)
            if route.reset:
                # Linger 0, then close every handle on the socket: the peer sees a RST.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                self.close_connection = True
                self.rfile.close()
                self.wfile.close()
                self.connection.close()
                return
            if route.handler is not None:
                status, headers, body = route.handler(path)
                route = Route(status, headers, body)
            status = route.status
            if count <= len(route.first):
                status = route.first[count - 1]
            if method == "HEAD" and route.head_status is not None:
                status = route.head_status
            self.send_response(status)
            for name, value in [*route.headers.items(), *route.header_list]:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if method != "HEAD" and route.drip:
                self.wfile.flush()
                for start in range(0, len(route.body), 1024):
                    self.wfile.write(route.body[start : start + 1024])
                    self.wfile.flush()
                    time.sleep(route.drip)
            elif method != "HEAD":
                self.wfile.write(route.body)

        def finish(self) -> None:
            with suppress(OSError, ValueError):  # the socket was reset on purpose
                super().finish()

        def do_GET(self) -> None:
            self._answer("GET")

        def do_HEAD(self) -> None:
            self._answer("HEAD")

    class Quiet(ThreadingHTTPServer):
        # socketserver's default backlog is 5: under load, a burst of concurrent connects
        # overflows it, the kernel drops the SYNs, and the client's retransmit one second
        # later looks like a timeout that the test never meant to script.
        request_queue_size = 1024

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # resets and timeouts are the point of many tests

    httpd = Quiet((host, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    # The lifetime bound: whatever a test does, the server stops by itself.
    killer = threading.Timer(lifetime, httpd.shutdown)
    killer.daemon = True
    killer.start()
    try:
        yield Server(host, httpd.server_address[1], routes, hits, seen)
    finally:
        killer.cancel()
        httpd.shutdown()
        httpd.server_close()


def redirect(to: str, status: int = 301) -> Route:
    return Route(status, {"Location": to}, b"")


@contextmanager
def serve_many(count: int, *, lifetime: float = 60.0) -> Iterator[list[int]]:
    """`count` ports on 127.0.0.1, each a distinct host to a client, all answering
    `200 ok` on kept-alive connections from one thread; stops by itself."""
    import asyncio

    ports: list[int] = []
    ready = threading.Event()
    loop = asyncio.new_event_loop()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(Exception):
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        writer.close()

    stop: list[asyncio.Event] = []

    async def main() -> None:
        stop.append(asyncio.Event())
        servers = [await asyncio.start_server(answer, "127.0.0.1", 0) for _ in range(count)]
        ports.extend(s.sockets[0].getsockname()[1] for s in servers)
        ready.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(stop[0].wait(), lifetime)
        for server in servers:
            server.close()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield ports
    finally:
        loop.call_soon_threadsafe(stop[0].set)
        thread.join(5)
