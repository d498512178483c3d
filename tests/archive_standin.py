"""A web archive on 127.0.0.1 for tests: the Wayback Machine's availability and CDX APIs,
its snapshots, Save Page Now 2 (jobs that succeed, fail, never finish, or hit quotas) and
a Memento TimeGate (RFC 7089) over the same snapshots. Bounded: it stops by itself."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

#: The timestamp of every capture the stand-in makes ("today" in the tests).
CAPTURED_AT = "20261207120000"


@dataclass
class Archive:
    #: url -> {timestamp: html}
    snapshots: dict[str, dict[str, str]] = field(default_factory=dict)
    #: A word in a URL -> what a capture of it does: "success" (the default), "blocked"
    #: (error:blocked-url at once), "unavailable" (the job fails: service-unavailable),
    #: "pending" (the job never finishes), "session-limit" (a quota, echoing the keys it
    #: was sent), "ratelimit" (HTTP 429 to the capture request).
    behaviour: dict[str, str] = field(default_factory=dict)
    #: TimeGate answers list no datetimes in Link: the client must ask the memento.
    bare_timegate: bool = False
    base: str = ""
    #: (monotonic time, method, url captured, Authorization header or None)
    captures: list[tuple[float, str, str, str | None]] = field(default_factory=list)
    polls: int = 0
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    jobs: dict[str, str] = field(default_factory=dict)

    def kind_of(self, url: str) -> str:
        return next((kind for word, kind in self.behaviour.items() if word in url), "success")

    def answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        self.requests.append((method, path, headers))
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = parts.path.removeprefix("/timegate")
        if route == "/save" and method == "POST":
            return self._save(parse_qs(body.decode())["url"][0], headers)
        if route.startswith("/save/status/"):
            return self._status(route.rsplit("/", 1)[1])
        if route.startswith("/save/"):
            url = path.split("/save/", 1)[1]
            self.captures.append((time.monotonic(), "GET", url, headers.get("authorization")))
            if self.kind_of(url) == "ratelimit":
                return 429, {"Retry-After": "0"}, b"slow down"
            if self.kind_of(url) != "success":  # the anonymous page says why, in HTML
                return 520, {"Content-Type": "text/html"}, b"<p>Job failed</p>"
            self.snapshots.setdefault(url, {})[CAPTURED_AT] = "<html>captured</html>"
            return 302, {"Location": f"{self.base}/web/{CAPTURED_AT}/{url}"}, b""
        if parts.path.startswith("/timegate/"):
            return self._timegate(path.split("/timegate/", 1)[1], headers)
        if parts.path.startswith("/web/"):
            stamp, _, url = path.removeprefix("/web/").partition("/")
            page = self.snapshots.get(url, {}).get(stamp.removesuffix("id_"))
            if page is None:
                return 404, {}, b"no such snapshot"
            moment = datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
            memento = {"Memento-Datetime": format_datetime(moment, usegmt=True)}
            return 200, {"Content-Type": "text/html; charset=utf-8", **memento}, page.encode()
        stamps = sorted(self.snapshots.get(query.get("url", ""), {}))
        if parts.path == "/wayback/available":
            wanted = int(query.get("timestamp", "99999999")[:8])
            near = min(stamps, key=lambda s: abs(int(s[:8]) - wanted), default=None)
            closest = {} if near is None else {"closest": {
                "available": True, "status": "200", "timestamp": near,
                "url": f"{self.base}/web/{near}/{query['url']}"}}  # fmt: skip
            return 200, _JSON, json.dumps({"archived_snapshots": closest}).encode()
        if parts.path == "/cdx/search/cdx":
            rows = [["urlkey", "timestamp", "original", "statuscode"]] + [
                ["k", s, query["url"], "200"] for s in stamps if s[:8] <= query["to"]
            ]
            return 200, _JSON, json.dumps(rows if len(rows) > 1 else []).encode()
        return 404, {}, b"not found"

    def _save(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        self.captures.append((time.monotonic(), "POST", url, headers.get("authorization")))
        kind = self.kind_of(url)
        if kind == "ratelimit":
            return 429, {"Retry-After": "0"}, b"too many requests"
        if kind == "blocked":
            error = {"status": "error", "status_ext": "error:blocked-url", "message": "Blocked."}
            return 200, _JSON, json.dumps(error).encode()
        job = f"spn2-{len(self.jobs) + 1}"
        self.jobs[job] = url
        if kind == "session-limit":  # a careless service that echoes what it was sent
            self.jobs[job] = f"{url} {headers.get('authorization')}"
        return 200, _JSON, json.dumps({"url": url, "job_id": job}).encode()

    def _status(self, job: str) -> tuple[int, dict[str, str], bytes]:
        self.polls += 1
        url = self.jobs.get(job, "")
        kind = self.kind_of(url)
        if kind == "pending" or (self.polls % 2 == 1 and kind == "success"):
            answer: dict[str, str] = {"status": "pending", "job_id": job}
        elif kind == "unavailable":
            answer = {"status": "error", "status_ext": "error:service-unavailable",
                      "message": "Service unavailable for URL (HTTP status=503)."}  # fmt: skip
        elif kind == "session-limit":
            answer = {"status": "error", "status_ext": "error:user-session-limit",
                      "message": f"Too many sessions for {url.split(' ', 1)[1]}"}  # fmt: skip
        else:
            self.snapshots.setdefault(url, {})[CAPTURED_AT] = "<html>captured</html>"
            answer = {"status": "success", "job_id": job, "original_url": url,
                      "timestamp": CAPTURED_AT}  # fmt: skip
        return 200, _JSON, json.dumps(answer).encode()

    def _timegate(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        stamps = sorted(self.snapshots.get(url, {}))
        if not stamps:
            return 404, {}, b"no mementos"
        wanted = parsedate_to_datetime(headers["accept-datetime"]).strftime("%Y%m%d%H%M%S")
        before = [s for s in stamps if s <= wanted]
        chosen = before[-1] if before else stamps[0]
        links = [f'<{url}>; rel="original"', f'<{self.base}/timemap/{url}>; rel="timemap"']
        if not self.bare_timegate:
            for i, stamp in enumerate(stamps):
                when = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
                rel = "first memento" if i == 0 else "memento"
                links.append(
                    f'<{self.base}/web/{stamp}/{url}>; rel="{rel}"; '
                    f'datetime="{format_datetime(when, usegmt=True)}"'
                )
        return (
            302,
            {"Location": f"{self.base}/web/{chosen}/{url}", "Link": ", ".join(links),
             "Vary": "accept-datetime"},
            b"",
        )  # fmt: skip


_JSON = {"Content-Type": "application/json"}


@contextmanager
def serve_archive(archive: Archive, *, lifetime: float = 60.0) -> Iterator[Archive]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = archive.answer(method, unquote(self.path), headers, body)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass

    httpd = Quiet(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    archive.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    killer = threading.Timer(lifetime, httpd.shutdown)
    killer.daemon = True
    killer.start()
    try:
        yield archive
    finally:
        killer.cancel()
        with suppress(OSError):
            httpd.shutdown()
            httpd.server_close()
