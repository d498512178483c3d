"""Save Page Now 2: ask the archive to capture a page today, so that a citation alive now
can be rescued tomorrow.

With the user's keys (`Authorization: LOW key:secret`, sent to the save endpoint only,
never shown): `POST <archive>/save` starts a job, `GET <archive>/save/status/<job_id>`
is polled until it is `success` or `error`, for at most `wait` seconds. Without keys:
the anonymous `GET <archive>/save/<url>`, whose answer points at the snapshot.

The service's documented limits (SPN2 API docs, "Limitations"): 7 captures a minute
with keys, 3 without, hence one capture every 9 s or 20 s by default. Its error codes
(`status_ext`) are sorted into three kinds: permanent (the page cannot be captured:
blocked, gone, refused), quota (the service says "no more for now": the rest of the run
asks nothing more), and transient (anything else: a later run may succeed).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from enum import Enum

import httpx

from .._models import Preserved
from .._redact import redact
from ._hosts import Pacer, retry_after

#: Bytes of a save endpoint's answer read at most (its JSON answers are small).
MAX_ANSWER = 256 * 1024
#: Seconds between two status requests of one job (the docs' example polls every 5 s).
POLL_EVERY = 5.0


class ErrorKind(Enum):
    PERMANENT = "permanent"
    TRANSIENT = "transient"
    QUOTA = "quota"


#: The page cannot be captured, now or later: a run would ask in vain.
PERMANENT_ERRORS = frozenset(
    {
        "error:bad-request", "error:blocked", "error:blocked-url", "error:blocked-client-ip",
        "error:filesize-limit", "error:ftp-access-denied", "error:invalid-url-syntax",
        "error:invalid-host-resolution", "error:method-not-allowed", "error:no-access",
        "error:not-found", "error:not-implemented", "error:unauthorized",
        "error:network-authentication-required", "error:http-version-not-supported",
        "error:too-many-redirects",
    }
)  # fmt: skip
#: The service's limits for this account or address: nothing more is asked this run.
QUOTA_ERRORS = frozenset(
    {
        "error:too-many-daily-captures", "error:user-session-limit",
        "error:max-daily-bandwidth-from-ip", "error:too-many-captures",
    }
)  # fmt: skip


def error_kind(status_ext: str) -> ErrorKind:
    if status_ext in PERMANENT_ERRORS:
        return ErrorKind.PERMANENT
    if status_ext in QUOTA_ERRORS:
        return ErrorKind.QUOTA
    return ErrorKind.TRANSIENT


class QuotaReached(Exception):
    """The service will take no more captures now; carries the result for this page."""

    def __init__(self, result: Preserved) -> None:
        super().__init__(result.error)
        self.result = result


_SNAPSHOT_PATH = re.compile(r"/web/(\d{14})/(.+)$")


class SavePageNow:
    def __init__(
        self,
        client: httpx.AsyncClient,
        endpoint: str,
        snapshots: str,
        *,
        keys: tuple[str, str] | None,
        interval: float,
        wait: float,
        timeout: float,
    ) -> None:
        self._client = client
        self._endpoint = endpoint.rstrip("/")
        self._snapshots = snapshots.rstrip("/")
        self._keys = keys
        self._pacer = Pacer(interval)
        self._poll = min(POLL_EVERY, interval) if interval > 0 else POLL_EVERY
        self._wait = wait
        self._timeout = timeout

    async def capture(self, url: str) -> Preserved:
        """The snapshot made of `url`, or why there is none; raises QuotaReached when the
        service takes no more captures this run."""
        url = redact(url)  # the archive is a third party: it gets no credential
        await self._pacer.wait_turn()
        try:
            if self._keys is None:
                return await self._anonymous(url)
            return await self._with_keys(url)
        except (httpx.HTTPError, OSError, TimeoutError) as error:
            return self._failed(
                f"the capture service could not be reached ({type(error).__name__})"
            )

    async def _with_keys(self, url: str) -> Preserved:
        status, delay, _, data = await self._ask(
            "POST", self._endpoint, data={"url": url, "skip_first_archive": "1"}
        )
        if status == 429:
            self._pacer.hold(delay or 60.0)
            raise QuotaReached(self._failed("the capture service's rate limit (HTTP 429)"))
        if status in (401, 403):
            raise QuotaReached(
                self._failed(f"the capture service refused the keys (HTTP {status})")
            )
        if not isinstance(data, dict):
            return self._failed(f"the capture service answered HTTP {status} without a job")
        if data.get("status") == "error" or not data.get("job_id"):
            return self._error(data, status)
        job = str(data["job_id"])
        deadline = time.monotonic() + self._wait
        while time.monotonic() < deadline:
            await asyncio.sleep(min(self._poll, max(deadline - time.monotonic(), 0)))
            status, delay, _, answer = await self._ask("GET", f"{self._endpoint}/status/{job}")
            if status == 429:
                await asyncio.sleep(min(delay or self._poll, max(deadline - time.monotonic(), 0)))
                continue
            if not isinstance(answer, dict):
                continue  # a status answer lost: ask again until the deadline
            state = answer.get("status")
            if state == "success":
                return self._snapshot(
                    str(answer.get("timestamp", "")), answer.get("original_url"), url
                )
            if state == "error":
                return self._error(answer, status)
        return self._failed(f"the capture did not finish within {self._wait:g} s (job {job})")

    async def _anonymous(self, url: str) -> Preserved:
        status, delay, location, _ = await self._ask(
            "GET", f"{self._endpoint}/{url}", headers_only=True
        )
        if status == 429:
            self._pacer.hold(delay or 60.0)
            raise QuotaReached(self._failed("the capture service's rate limit (HTTP 429)"))
        found = _SNAPSHOT_PATH.search(location or "")
        if found and status in (200, 301, 302, 303, 307, 308):
            return self._snapshot(found.group(1), found.group(2), url)
        return self._failed(f"the capture service answered HTTP {status} without a snapshot")

    async def _ask(
        self,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        headers_only: bool = False,
    ) -> tuple[int, float | None, str | None, object]:
        """Status, Retry-After, where the answer points (Content-Location, else Location)
        and its JSON (None when not JSON) of one request; the keys go with it, and
        redirects are not followed (they would carry the keys on)."""
        headers = {"Accept": "application/json"}
        if self._keys is not None:
            headers["Authorization"] = f"LOW {self._keys[0]}:{self._keys[1]}"
        async with asyncio.timeout(self._timeout):
            request = self._client.build_request(method, url, data=data, headers=headers)
            response = await self._client.send(request, stream=True, follow_redirects=False)
            try:
                status = response.status_code
                where = response.headers.get("content-location") or response.headers.get("location")
                delay = retry_after(response.headers.get("retry-after"))
                if headers_only:
                    return status, delay, where, None
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_ANSWER:
                        return status, delay, where, None
            finally:
                await response.aclose()
        try:
            return status, delay, where, json.loads(body)
        except ValueError:
            return status, delay, where, None

    def _snapshot(self, timestamp: str, original: object, url: str) -> Preserved:
        if not (timestamp.isdigit() and len(timestamp) == 14):
            return self._failed("the capture service said success without a timestamp")
        page = original if isinstance(original, str) and original.startswith("http") else url
        return Preserved(url=f"{self._snapshots}/web/{timestamp}/{page}", timestamp=timestamp)

    def _error(self, data: dict[str, object], status: int) -> Preserved:
        code = str(data.get("status_ext") or f"error:http-{status}")
        message = str(data.get("message") or "").strip()
        text = f"{code}: {message}" if message else code
        kind = error_kind(code)
        result = self._failed(text, permanent=kind is ErrorKind.PERMANENT)
        if kind is ErrorKind.QUOTA and code != "error:too-many-daily-captures":
            raise QuotaReached(result)  # the account's or address's limit, not this page's
        return result

    def _failed(self, text: str, *, permanent: bool = False) -> Preserved:
        """An error as a report may show it: one line, short, with no key in it."""
        text = " ".join(redact(text).split())
        for secret in self._keys or ():
            text = text.replace(secret, "***")
        return Preserved(error=text[:300], permanent=permanent)
