"""classify_error decides from the exception's types, never from its message: a message
holds the host's name, and a host may be called anything (#22)."""

from __future__ import annotations

import errno
import socket
import ssl

import aiohttp
import h11
import httpx
import pytest
from aiohttp import http_exceptions

from linkcheck import Cause, Status
from linkcheck._remote._errors import classify_error


def chained(error: BaseException, cause: BaseException) -> BaseException:
    error.__cause__ = cause
    return error


def certificate(code: int) -> ssl.SSLCertVerificationError:
    error = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] verify failed")
    error.verify_code = code
    return error


CASES = [
    # A host called certificate.example.com, refused: no TLS failure, and retried.
    (chained(httpx.ConnectError("certificate.example.com: certificate"),
             ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")),
     "https://certificate.example.com/", Cause.REFUSED, "connection refused"),
    # Messages that say one thing, causes that say another.
    (chained(httpx.ConnectError("reset by peer; name or service not known"),
             OSError(errno.ENETUNREACH, "Network is unreachable")),
     "https://reset.example/", Cause.NETWORK, "network error: Network is unreachable"),
    (httpx.ConnectError("connection refused by refused.example"), "https://refused.example/",
     Cause.NETWORK, "network error: ConnectError"),
    (chained(httpx.ConnectError("x"), socket.gaierror(socket.EAI_NONAME, "Name or service")),
     "https://gone.example/", Cause.DNS, "DNS lookup failed for gone.example"),
    (chained(httpx.ConnectError("x"), ConnectionResetError(errno.ECONNRESET, "reset")),
     "https://a.example/", Cause.RESET, "connection reset by the server"),
    (chained(httpx.ConnectError("x"), certificate(10)), "https://a.example/", Cause.TLS,
     "TLS certificate has expired"),
    (chained(httpx.ConnectError("x"), certificate(18)), "https://a.example/", Cause.TLS,
     "TLS certificate is self-signed"),
    (chained(httpx.ConnectError("x"), certificate(62)), "https://a.example/", Cause.TLS,
     "TLS certificate is for another host name"),
    (chained(httpx.ConnectError("x"), certificate(20)), "https://a.example/", Cause.TLS,
     "TLS certificate could not be verified"),
    (chained(httpx.ConnectError("x"), aiohttp.ClientConnectorCertificateError(
        None, certificate(18))),  # type: ignore[arg-type]
     "https://a.example/", Cause.TLS, "TLS certificate is self-signed"),
    (chained(httpx.ConnectError("x"), ssl.SSLError(1, "wrong version number")),
     "https://a.example/", Cause.TLS, "TLS handshake failed"),
    # httpx-aiohttp turns every aiohttp connection error into httpx's ConnectTimeout.
    (chained(httpx.ConnectTimeout("Server disconnected"), aiohttp.ServerDisconnectedError()),
     "https://a.example/", Cause.CLOSED, "the server closed the connection without answering"),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."),
     "https://a.example/", Cause.CLOSED, "the server closed the connection without answering"),
    (chained(httpx.RemoteProtocolError("illegal status line"), h11.RemoteProtocolError("bad")),
     "https://a.example/", Cause.PROTOCOL, "the server's answer is not valid HTTP"),
    (chained(aiohttp.ClientResponseError(None, (), message="Got more than 8190 bytes"),  # type: ignore[arg-type]
             http_exceptions.LineTooLong(b"X-Big: aaa", 8190)),
     "https://a.example/", Cause.PROTOCOL, "the server's response headers are too large"),
    (chained(aiohttp.ClientResponseError(None, (), message="bad"),  # type: ignore[arg-type]
             http_exceptions.BadStatusLine(b"SSH-2.0")),
     "https://a.example/", Cause.PROTOCOL, "the server's answer is not valid HTTP"),
    (httpx.ReadTimeout("timed out"), "https://a.example/", Cause.TIMEOUT, "timeout"),
    (chained(httpx.ConnectTimeout("x"), aiohttp.ConnectionTimeoutError()),
     "https://a.example/", Cause.TIMEOUT, "timeout"),
    (OSError(errno.EMFILE, "Too many open files"), "https://a.example/", Cause.FILE_LIMIT,
     "too many open files on this machine (raise ulimit -n or lower --max-concurrency)"),
]  # fmt: skip


@pytest.mark.parametrize(("error", "url", "cause", "reason"), CASES)
def test_a_failure_is_classified_by_its_types(
    error: BaseException, url: str, cause: Cause, reason: str
) -> None:
    failure = classify_error(error, url)
    assert (failure.cause, failure.reason) == (cause, reason)
    assert failure.status is (Status.TIMEOUT if cause is Cause.TIMEOUT else Status.UNREACHABLE)
