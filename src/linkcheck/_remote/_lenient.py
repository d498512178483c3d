"""A second reader for an answer aiohttp's parser refuses for its framing, as lenient as
browsers are: h11 over one connection of its own.

Browsers read `Content-Length` together with `Transfer-Encoding: chunked` as the chunks
say (RFC 9112 §6.3: the transfer coding wins); aiohttp's parsers, C and Python, refuse
it. h11 reads it as browsers do. Used only after aiohttp refused an answer, so a server
that frames its answers so is asked twice; httpx's own transport would do as well, but
its first use costs a second of CPU (anyio, its pool) that stalls every other check.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import h11
import httpx

#: Bytes of the status line and headers h11 reads at most (as MAX_HEADER_LINE bounds
#: one line in aiohttp).
MAX_HEAD = 256 * 1024
_READ = 64 * 1024


async def lenient_request(request: httpx.Request, context: ssl.SSLContext) -> httpx.Response:
    """`request` sent on a new connection, its answer read by h11. Raises what the
    socket, ssl or h11 raise (classify_error reads their types)."""
    url = request.url
    secure = url.scheme == "https"
    port = url.port or (443 if secure else 80)
    reader, writer = await asyncio.open_connection(
        url.host,
        port,
        ssl=context if secure else None,
        server_hostname=url.host if secure else None,
    )
    connection = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
    try:
        head = h11.Request(
            method=request.method, target=url.raw_path, headers=list(request.headers.raw)
        )
        writer.write(connection.send(head) + connection.send(h11.EndOfMessage()))
        await writer.drain()
        while True:
            event = connection.next_event()
            if event is h11.NEED_DATA:
                connection.receive_data(await reader.read(_READ))
            elif isinstance(event, h11.Response):
                break
            elif not isinstance(event, h11.InformationalResponse):
                raise h11.RemoteProtocolError(f"no answer, but {type(event).__name__}")
    except BaseException:
        writer.close()
        raise
    return httpx.Response(
        event.status_code,
        headers=event.headers,
        stream=_Body(connection, reader, writer),
        request=request,
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": event.reason},
    )


class _Body(httpx.AsyncByteStream):
    """The answer's body as h11 decodes its framing; the connection closes with it."""

    def __init__(
        self, connection: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._connection = connection
        self._reader = reader
        self._writer = writer

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            event = self._connection.next_event()
            if event is h11.NEED_DATA:
                self._connection.receive_data(await self._reader.read(_READ))
            elif isinstance(event, h11.Data):
                yield bytes(event.data)
            else:  # EndOfMessage, or the connection closed
                return

    async def aclose(self) -> None:
        self._writer.close()
