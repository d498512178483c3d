"""`--cookie-jar FILE`: cookies kept across runs in the Netscape/Mozilla `cookies.txt`
format that curl (`-b`/`-c`), wget and lychee's users know.

Read before the run, written after it (atomically: a temporary file renamed over it).
Which cookie goes to which URL is Python's `http.cookiejar` (RFC 6265's domain, path,
`Secure` and expiry rules): a cookie is sent only to its own domain (and its subdomains
when its domain says so). Cookie values are never shown: they go in requests only.
"""

from __future__ import annotations

import os
import tempfile
import urllib.request
from email.message import Message
from http.cookiejar import Cookie, CookieJar
from typing import TYPE_CHECKING, cast

import httpx

if TYPE_CHECKING:
    from http.client import HTTPResponse

#: The first line curl writes, and the one it looks for.
HEADER = "# Netscape HTTP Cookie File"
#: curl marks an HttpOnly cookie by this prefix on its domain (the line is no comment).
HTTP_ONLY = "#HttpOnly_"


class CookieFileError(ValueError):
    """The file is not a cookies.txt: one line, naming the line."""


class CookieFile:
    """A run's cookie jar, loaded from and saved to one cookies.txt file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._jar = CookieJar()
        self._changed = False
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="surrogateescape") as lines:
                for number, line in enumerate(lines, 1):
                    cookie = parse_line(line, number)
                    if cookie is not None and not cookie.is_expired():
                        self._jar.set_cookie(cookie)

    def header(self, url: str) -> str:
        """The `Cookie` header value for a request to `url` ("" when none applies)."""
        if not len(self._jar):
            return ""  # the usual case: no need to build a request
        request = urllib.request.Request(url)
        self._jar.add_cookie_header(request)
        return request.get_header("Cookie") or ""

    def keep(self, url: str, headers: httpx.Headers) -> None:
        """The cookies an answer from `url` sets (its policy decides which it may)."""
        cookies = headers.get_list("set-cookie")
        if not cookies:
            return
        message = Message()
        for value in cookies:
            message["Set-Cookie"] = value
        answer = cast("HTTPResponse", _Answer(message))  # all the jar reads of one: info()
        self._jar.extract_cookies(answer, urllib.request.Request(url))
        self._changed = True

    def save(self) -> None:
        """Write the jar back in place of the file, atomically; session cookies too
        (expiry 0, as curl writes them), so the next run has what this one was given."""
        if not self._changed and os.path.exists(self.path):
            return  # nothing new: the file stays byte for byte as it was
        lines = [HEADER, "# Written by linkcheck --cookie-jar; the format of curl -c.", ""]
        lines += [format_line(cookie) for cookie in self._jar]
        folder = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(prefix=".cookies-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write("\n".join(lines) + "\n")
            os.chmod(temporary, 0o600)  # what is in it opens accounts
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise


class _Answer:
    """What `CookieJar.extract_cookies` reads of a response: its headers."""

    def __init__(self, message: Message) -> None:
        self._message = message

    def info(self) -> Message:
        return self._message


def parse_line(line: str, number: int) -> Cookie | None:
    """One line of a cookies.txt: seven tab-separated fields (domain, subdomains too,
    path, secure, expiry in epoch seconds with 0 for a session cookie, name, value), or
    None for a comment or a blank line."""
    text = line.rstrip("\r\n")
    http_only = text.startswith(HTTP_ONLY)
    if http_only:
        text = text[len(HTTP_ONLY) :]
    elif not text.strip() or text.startswith("#"):
        return None
    fields = text.split("\t")
    if len(fields) != 7:
        raise CookieFileError(f"line {number}: not 7 tab-separated fields")
    domain, subdomains, path, secure, expires, name, value = fields
    if subdomains not in ("TRUE", "FALSE") or secure not in ("TRUE", "FALSE"):
        raise CookieFileError(f"line {number}: TRUE or FALSE expected")
    try:
        expiry = int(expires)
    except ValueError:
        raise CookieFileError(f"line {number}: the expiry is not a number") from None
    dotted = domain if domain.startswith(".") or subdomains == "FALSE" else "." + domain
    return Cookie(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=dotted,
        domain_specified=subdomains == "TRUE",
        domain_initial_dot=dotted.startswith("."),
        path=path,
        path_specified=True,
        secure=secure == "TRUE",
        expires=expiry or None,
        discard=not expiry,
        comment=None,
        comment_url=None,
        rest={"HttpOnly": ""} if http_only else {},
    )


def format_line(cookie: Cookie) -> str:
    """A cookie as curl writes it in a cookies.txt."""
    subdomains = cookie.domain.startswith(".")
    prefix = HTTP_ONLY if cookie.has_nonstandard_attr("HttpOnly") else ""
    expiry = str(cookie.expires) if cookie.expires is not None else "0"
    return "\t".join(
        [
            prefix + cookie.domain,
            "TRUE" if subdomains else "FALSE",
            cookie.path,
            "TRUE" if cookie.secure else "FALSE",
            expiry,
            cookie.name,
            cookie.value or "",
        ]
    )
