"""A second process that makes some of a large run's HTTP requests, on the other core.

Each request costs about 0.6 ms of CPU in httpx and aiohttp; with 64 requests in flight
answering in 50 ms each, that is most of one core, so one process alone cannot keep the
slots busy. The scheduling (which request goes next, per-host limits, pacing, retries,
redirects) stays in the parent; the child only makes the one attempt it is sent and
answers with what `_Resolver._attempt` returned: one JSON line per message over its
stdin and stdout, an answer's body in raw bytes after its line. It exits when its stdin
closes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import pickle
import sys
from typing import Any

from .._models import Cause, Status
from .._options import Options
from ._errors import Failure

#: The fields of a `_Resolver._attempt` answer, in `_Answer`'s order (headers as pairs).
Fields = tuple[int, list[tuple[str, str]], bytes, bool, frozenset[str] | None, bool]


class Gone(Exception):
    """The child stopped; the attempt is made in this process instead."""


class Fetcher:
    """The parent's side: send an attempt, await its answer."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._pending: dict[int, asyncio.Future[tuple[list[Any], bytes]]] = {}
        self._next = 0
        self._reader = asyncio.ensure_future(self._read())
        self.busy = 0

    @classmethod
    async def start(cls, options: Options) -> Fetcher | None:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                __name__,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
                limit=4 * 1024 * 1024,
            )
        except OSError:
            return None  # no second process: every request is made here
        assert process.stdin is not None
        process.stdin.write(base64.b64encode(pickle.dumps(options)) + b"\n")
        return cls(process)

    async def attempt(
        self, url: str, origin: str, want_anchors: bool, cookie: str, as_browser: bool, fresh: bool
    ) -> Fields:
        """What `_Resolver._attempt` would answer; raises Failure likewise, Gone if the
        child has stopped."""
        stdin = self._process.stdin
        if self._reader.done() or stdin is None or stdin.is_closing():
            raise Gone
        self._next += 1
        ident = self._next
        answer: asyncio.Future[tuple[list[Any], bytes]]
        answer = asyncio.get_running_loop().create_future()
        self._pending[ident] = answer
        request = [ident, url, origin, want_anchors, cookie, as_browser, fresh]
        stdin.write(json.dumps(request).encode() + b"\n")
        self.busy += 1
        try:
            message, body = await answer
        finally:
            self.busy -= 1
            self._pending.pop(ident, None)
        if message[1] == "fail":
            raise Failure(Status(message[2]), Cause(message[3]), message[4])
        status, headers, complete, anchors, browser = message[2:7]
        pairs = [(name, value) for name, value in headers]
        found = None if anchors is None else frozenset(anchors)
        return status, pairs, body, complete, found, browser

    async def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while line := await stdout.readline():
                message = json.loads(line)
                body = await stdout.readexactly(message[-1]) if message[1] == "ok" else b""
                future = self._pending.get(message[0])
                if future is not None and not future.done():
                    future.set_result((message, body))
        except (ValueError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(Gone())

    async def close(self) -> None:
        stdin = self._process.stdin
        if stdin is not None:
            stdin.close()
        try:
            await asyncio.wait_for(self._process.wait(), 10)
        except TimeoutError:
            self._process.kill()
            await self._process.wait()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


async def _serve() -> None:  # pragma: no cover - runs in the child process
    from ._resolver import _Resolver
    from ._transport import default_transport

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=4 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    options: Options = pickle.loads(base64.b64decode(await reader.readline()))
    out = sys.stdout.buffer
    tasks: set[asyncio.Task[None]] = set()

    async def one(
        ident: int, url: str, origin: str, want: bool, cookie: str, as_browser: bool, fresh: bool
    ) -> None:
        body = b""
        try:
            a = await resolver._attempt(url, origin, want, cookie, as_browser, fresh)
        except Failure as failure:
            reply: list[Any] = [ident, "fail", failure.status.value, failure.cause.value]
            reply.append(failure.reason)
        else:
            anchors = None if a.anchors is None else sorted(a.anchors)
            headers = a.headers.multi_items()
            body = a.body
            reply = [ident, "ok", a.status, headers, a.complete, anchors, a.as_browser]
            reply.append(len(body))
        out.write(json.dumps(reply).encode() + b"\n" + body)
        out.flush()

    async with _Resolver(options, default_transport(options)) as resolver:
        while line := await reader.readline():
            task = asyncio.ensure_future(one(*json.loads(line)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)


if __name__ == "__main__":  # pragma: no cover
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        asyncio.run(_serve())
