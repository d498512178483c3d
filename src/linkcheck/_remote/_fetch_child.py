"""The fetcher process's side (`python -m linkcheck._remote._fetch_child`): make each
attempt the parent sends (`_fetcher.Attempt`) with the resolver, answer with `Answered`
and the body, or `Failed`. A module of its own, so that the resolver, which uses the
parent's side, and the child, which uses the resolver, import each other in no circle."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import pickle
import sys

from .._options import Options
from ._errors import Failure
from ._fetcher import Answered, Attempt, Failed, Message, decode, encode
from ._resolver import Resolver
from ._transport import default_transport


async def serve() -> None:  # pragma: no cover - runs in the child process
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=4 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    options: Options = pickle.loads(base64.b64decode(await reader.readline()))
    out = sys.stdout.buffer
    tasks: set[asyncio.Task[None]] = set()

    async def one(request: Attempt) -> None:
        body = b""
        reply: Message
        try:
            r = request
            a = await resolver.attempt(
                r.url, r.origin, r.want_anchors, r.cookie, r.as_browser, r.fresh
            )
        except Failure as failure:
            reply = Failed(request.ident, failure.status, failure.cause, failure.reason)
        else:
            anchors = None if a.anchors is None else tuple(sorted(a.anchors))
            headers = tuple(a.headers.multi_items())
            body = a.body
            reply = Answered(
                request.ident, a.status, headers, a.complete, anchors, a.as_browser, len(body)
            )
        out.write(encode(reply) + body)
        out.flush()

    async with Resolver(options, default_transport(options)) as resolver:
        while line := await reader.readline():
            request = decode(line)
            if not isinstance(request, Attempt):
                break  # the parent sends nothing else
            task = asyncio.ensure_future(one(request))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)


if __name__ == "__main__":  # pragma: no cover
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        asyncio.run(serve())
