"""A second process that makes some of a large run's HTTP requests, on the other core.

Each request costs about 0.6 ms of CPU in httpx and aiohttp; with 64 requests in flight
answering in 50 ms each, that is most of one core, so one process alone cannot keep the
slots busy. The scheduling (which request goes next, per-host limits, pacing, retries,
redirects) stays in the parent; the child only makes the one attempt it is sent and
answers with what `Resolver.attempt` returned: one typed message (`Attempt`, `Answered`,
`Failed`) per JSON line over its stdin and stdout, an answer's body in raw bytes after
its line. The child's side is `_fetch_child`; it exits when its stdin closes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import pickle
import sys
from dataclasses import dataclass
from typing import Any

from .._models import Cause, Status
from .._options import Options
from ._errors import Failure

#: The module the child runs (`python -m`): it holds the resolver, which imports this one.
CHILD = "linkcheck._remote._fetch_child"


@dataclass(frozen=True, slots=True)
class Attempt:
    """Parent → child: make this one attempt (the arguments of `Resolver.attempt`)."""

    ident: int
    url: str
    origin: str
    want_anchors: bool
    cookie: str
    as_browser: bool
    fresh: bool  # on a connection of its own (a retry)


@dataclass(frozen=True, slots=True)
class Answered:
    """Child → parent: the answer's facts; its first `body_length` bytes follow the line."""

    ident: int
    status: int
    headers: tuple[tuple[str, str], ...]
    complete: bool
    anchors: tuple[str, ...] | None
    as_browser: bool
    body_length: int


@dataclass(frozen=True, slots=True)
class Failed:
    """Child → parent: the attempt raised this Failure."""

    ident: int
    status: Status
    cause: Cause
    reason: str


Message = Attempt | Answered | Failed
_TAGS: dict[type[Any], str] = {Attempt: "attempt", Answered: "answered", Failed: "failed"}


def encode(message: Message) -> bytes:
    """One JSON line: the message's fields, and its kind under `type`."""
    fields = {name: getattr(message, name) for name in message.__slots__}
    return json.dumps({"type": _TAGS[type(message)], **fields}).encode() + b"\n"


def decode(line: bytes) -> Message:
    """The message `encode` wrote (ValueError for anything else)."""
    fields = json.loads(line)
    kind = fields.pop("type", None) if isinstance(fields, dict) else None
    try:
        if kind == "attempt":
            return Attempt(**fields)
        if kind == "answered":
            anchors = fields["anchors"]
            return Answered(
                **fields
                | {
                    "headers": tuple((name, value) for name, value in fields["headers"]),
                    "anchors": None if anchors is None else tuple(anchors),
                }
            )
        if kind == "failed":
            return Failed(
                fields["ident"], Status(fields["status"]), Cause(fields["cause"]), fields["reason"]
            )
    except (TypeError, KeyError) as error:
        raise ValueError(f"not a fetcher message: {error}") from None
    raise ValueError(f"not a fetcher message: {kind!r}")


class Gone(Exception):
    """The child stopped; the attempt is made in this process instead."""


class Fetcher:
    """The parent's side: send an attempt, await its answer."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._pending: dict[int, asyncio.Future[tuple[Answered | Failed, bytes]]] = {}
        self._next = 0
        self._reader = asyncio.ensure_future(self._read())
        self.busy = 0

    @classmethod
    async def start(cls, options: Options) -> Fetcher | None:
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                CHILD,
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
        self,
        url: str,
        origin: str,
        want_anchors: bool,
        cookie: str,
        as_browser: bool,
        fresh: bool,
    ) -> tuple[Answered, bytes]:
        """What `Resolver.attempt` would answer, and the body; raises Failure likewise,
        Gone if the child has stopped."""
        stdin = self._process.stdin
        if self._reader.done() or stdin is None or stdin.is_closing():
            raise Gone
        self._next += 1
        ident = self._next
        answer: asyncio.Future[tuple[Answered | Failed, bytes]]
        answer = asyncio.get_running_loop().create_future()
        self._pending[ident] = answer
        stdin.write(encode(Attempt(ident, url, origin, want_anchors, cookie, as_browser, fresh)))
        self.busy += 1
        try:
            message, body = await answer
        finally:
            self.busy -= 1
            self._pending.pop(ident, None)
        if isinstance(message, Failed):
            raise Failure(message.status, message.cause, message.reason)
        return message, body

    async def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while line := await stdout.readline():
                message = decode(line)
                if isinstance(message, Attempt):
                    raise ValueError("the child sent a request")  # it does not: stop
                body = b""
                if isinstance(message, Answered):
                    body = await stdout.readexactly(message.body_length)
                future = self._pending.get(message.ident)
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
