"""What went wrong on the network, as a typed cause and a sentence a person understands."""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit

import httpx

from .._models import Cause, Status


class Failure(Exception):
    """A hop that ended without an answer to judge; `cause` decides whether to retry."""

    def __init__(self, status: Status, cause: Cause, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.cause = cause
        self.reason = reason


def _unreachable(cause: Cause, reason: str) -> Failure:
    return Failure(Status.UNREACHABLE, cause, reason)


def classify_error(error: BaseException, url: str) -> Failure:
    """The Failure for whatever httpx or aiohttp raised."""
    host = urlsplit(url).hostname or url
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        os_error = getattr(current, "os_error", None)  # aiohttp keeps the OSError here
        if isinstance(os_error, BaseException) and os_error not in chain:
            chain.append(os_error)
        current = current.__cause__ or current.__context__
    if any(isinstance(e, OSError) and e.errno in (errno.EMFILE, errno.ENFILE) for e in chain):
        reason = "too many open files on this machine (raise ulimit -n or lower --max-concurrency)"
        return _unreachable(Cause.FILE_LIMIT, reason)
    names = " ".join(type(e).__name__ for e in chain)
    text = " ".join(str(e) for e in chain).lower()
    if (
        isinstance(error, httpx.TimeoutException)
        and "Disconnected" not in names
        and not any(isinstance(e, ConnectionError | OSError) for e in chain[1:])
    ):
        return Failure(Status.TIMEOUT, Cause.TIMEOUT, "timeout")
    if (
        "DNS" in names
        or isinstance(error, socket.gaierror)
        or any(isinstance(e, socket.gaierror) for e in chain)
        or "name or service not known" in text
        or "nodename nor servname" in text
        or ("temporary failure in name resolution" in text)
    ):
        return _unreachable(Cause.DNS, f"DNS lookup failed for {host}")
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return _unreachable(Cause.REFUSED, "connection refused")
    if any(isinstance(e, ConnectionResetError) for e in chain) or "reset by peer" in text:
        return _unreachable(Cause.RESET, "connection reset by the server")
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "certificate" in text:
        if "expired" in text:
            return _unreachable(Cause.TLS, "TLS certificate has expired")
        if "self-signed" in text or "self signed" in text:
            return _unreachable(Cause.TLS, "TLS certificate is self-signed")
        if "hostname mismatch" in text or "doesn't match" in text:
            return _unreachable(Cause.TLS, "TLS certificate is for another host name")
        return _unreachable(Cause.TLS, "TLS certificate could not be verified")
    if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in names:
        return _unreachable(Cause.TLS, "TLS handshake failed")
    if "Disconnected" in names or "disconnected" in text or "without sending" in text:
        return _unreachable(Cause.CLOSED, "the server closed the connection without answering")
    if "LineTooLong" in names or "too long" in text or "got more than" in text:
        return _unreachable(Cause.PROTOCOL, "the server's response headers are too large")
    if (
        isinstance(error, httpx.RemoteProtocolError)
        or "BadStatusLine" in names
        or ("HttpProcessingError" in names or "ClientResponseError" in names)
    ):
        return _unreachable(Cause.PROTOCOL, "the server's answer is not valid HTTP")
    if isinstance(error, httpx.TimeoutException):
        return Failure(Status.TIMEOUT, Cause.TIMEOUT, "timeout")
    if isinstance(error, httpx.TransportError | OSError):
        # The OS's own sentence ("Network is unreachable"), never a library's repr.
        os_errors = [e for e in chain if isinstance(e, OSError) and e.strerror]
        detail = os_errors[-1].strerror if os_errors else type(error).__name__
        return _unreachable(Cause.NETWORK, f"network error: {detail}")
    return _unreachable(Cause.OTHER, f"request failed: {type(error).__name__}")
