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
    """The Failure for whatever httpx or aiohttp raised, decided from the types in the
    exception's chain (httpx's, aiohttp's, ssl's, the OS's errno), never from its
    message: a message holds the host's name, and `certificate.example.com` is no
    certificate error."""
    import aiohttp
    import h11
    from aiohttp import http_exceptions

    host = urlsplit(url).hostname or url
    chain = _chain(error)

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    errnos = {e.errno for e in chain if isinstance(e, OSError) and e.errno}
    if errnos & {errno.EMFILE, errno.ENFILE}:
        reason = "too many open files on this machine (raise ulimit -n or lower --max-concurrency)"
        return _unreachable(Cause.FILE_LIMIT, reason)
    if has(socket.gaierror, *_optional(aiohttp, "ClientConnectorDNSError")):
        return _unreachable(Cause.DNS, f"DNS lookup failed for {host}")
    if has(ssl.SSLCertVerificationError):
        # aiohttp's ClientConnectorCertificateError is one too, without a verify_code:
        # ssl's own error, which it keeps, has it.
        codes = (getattr(e, "verify_code", None) for e in chain)
        code = next((c for c in codes if c is not None), None)
        return _unreachable(Cause.TLS, _CERTIFICATE.get(code or 0, _UNVERIFIED))
    if has(ssl.SSLError, aiohttp.ClientSSLError):
        return _unreachable(Cause.TLS, "TLS handshake failed")
    if has(ConnectionRefusedError) or errno.ECONNREFUSED in errnos:
        return _unreachable(Cause.REFUSED, "connection refused")
    if has(ConnectionResetError) or errno.ECONNRESET in errnos:
        return _unreachable(Cause.RESET, "connection reset by the server")
    if has(http_exceptions.LineTooLong):
        return _unreachable(Cause.PROTOCOL, "the server's response headers are too large")
    if has(http_exceptions.HttpProcessingError, aiohttp.ClientResponseError, h11.ProtocolError):
        return _unreachable(Cause.PROTOCOL, "the server's answer is not valid HTTP")
    if has(aiohttp.ServerDisconnectedError) or (
        has(httpx.RemoteProtocolError) and not has(h11.ProtocolError)
    ):
        # httpcore says "Server disconnected without sending a response" with a bare
        # RemoteProtocolError; one that h11 raised is a malformed answer (above).
        return _unreachable(Cause.CLOSED, "the server closed the connection without answering")
    if has(TimeoutError, aiohttp.ServerTimeoutError) or (
        has(httpx.TimeoutException) and not has(aiohttp.ClientError)
    ):
        # (aiohttp's connection errors reach here as httpx's ConnectTimeout: the map of
        # httpx-aiohttp makes every ClientConnectionError one; its cause says what it was.)
        return Failure(Status.TIMEOUT, Cause.TIMEOUT, "timeout")
    if has(httpx.TransportError, OSError, aiohttp.ClientError):
        # The OS's own sentence ("Network is unreachable"), never a library's repr.
        os_errors = [e for e in chain if isinstance(e, OSError) and e.strerror]
        detail = os_errors[-1].strerror if os_errors else type(chain[-1]).__name__
        return _unreachable(Cause.NETWORK, f"network error: {detail}")
    return _unreachable(Cause.OTHER, f"request failed: {type(error).__name__}")


#: What an ssl.SSLCertVerificationError's `verify_code` (OpenSSL's X509_V_ERR_*) says.
_CERTIFICATE = {
    10: "TLS certificate has expired",  # X509_V_ERR_CERT_HAS_EXPIRED
    18: "TLS certificate is self-signed",  # X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
    19: "TLS certificate is self-signed",  # X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
    62: "TLS certificate is for another host name",  # X509_V_ERR_HOSTNAME_MISMATCH
}
_UNVERIFIED = "TLS certificate could not be verified"


def caused_by(error: BaseException, *types: type[BaseException]) -> bool:
    """Whether `error`, or any exception behind it, is one of `types`."""
    return any(isinstance(e, types) for e in _chain(error))


def _chain(error: BaseException) -> list[BaseException]:
    """`error` and every exception behind it: causes, contexts, and the errors aiohttp
    keeps in attributes (`os_error`, `certificate_error`)."""
    chain: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is seen for seen in chain):
            continue
        chain.append(current)
        for name in ("os_error", "certificate_error"):
            kept = getattr(current, name, None)
            if isinstance(kept, BaseException):
                pending.append(kept)
        pending.extend((current.__context__, current.__cause__))
    return chain


def _optional(module: object, *names: str) -> tuple[type[BaseException], ...]:
    """The classes of `module` named, those it has (newer aiohttp adds some)."""
    return tuple(getattr(module, name) for name in names if hasattr(module, name))
