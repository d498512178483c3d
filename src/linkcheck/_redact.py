"""Secrets out of sight: the one function that hides credentials in URLs and in messages.

CI logs are public, caches are uploaded as artefacts and archives are third parties, so a
URL's userinfo password and the values of query parameters that carry credentials are
shown as `***` wherever linkcheck writes or sends a URL other than to the site itself
(SPEC "Secrets"). It works on any text: a URL alone, or a sentence with URLs in it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ._models import LinkResult, Redirect, Report

MASK = "***"

#: Query parameters whose value is a credential, lower case; `x-amz-*` and `x-goog-*`
#: (pre-signed S3 and GCS URLs) by prefix.
CREDENTIAL_PARAMETERS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "auth",
        "auth_token",
        "authorization",
        "api_key",
        "apikey",
        "api-key",
        "key",
        "sig",
        "signature",
        "password",
        "passwd",
        "pwd",
        "secret",
        "client_secret",
        "private_token",
        "session",
        "sessionid",
    }
)
_PREFIXES = ("x-amz-", "x-goog-")

#: `scheme://user:password@` — the password is everything up to the last `@` of the
#: authority (no `/`, `?`, `#` or space in between).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s/?#@:]*):[^\s/?#]*@")
#: `?name=value` or `&name=value` (or `;`), the value up to the next separator.
_PARAMETER = re.compile(r"([?&;])([^=&;#\s?]+)=([^&;#\s]+)")


def redact(text: str) -> str:
    """`text` with every URL password and credential parameter value replaced by `***`."""
    if "@" in text:
        text = _USERINFO.sub(rf"\1:{MASK}@", text)
    if "=" in text:
        text = _PARAMETER.sub(_parameter, text)
    return text


def _parameter(match: re.Match[str]) -> str:
    separator, name, value = match.groups()
    lowered = name.lower()
    if value != MASK and (lowered in CREDENTIAL_PARAMETERS or lowered.startswith(_PREFIXES)):
        value = MASK
    return f"{separator}{name}={value}"


def redact_report(report: Report) -> Report:
    """The report as it may be shown: every URL, reason, message, fix and archive link
    redacted. Rows without a secret are kept as they are (most rows of most reports)."""
    results = tuple(_result(r) for r in report.results)
    issues = tuple(
        replace(i, file=redact(i.file), message=redact(i.message)) for i in report.file_issues
    )
    fixes = {where: replace(note, to=redact(note.to)) for where, note in report.fixes.items()}
    archives = {
        where: None if found is None else (redact(found[0]), found[1])
        for where, found in report.archives.items()
    }
    return replace(report, results=results, file_issues=issues, fixes=fixes, archives=archives)


def _result(result: LinkResult) -> LinkResult:
    link, outcome, target = result.link, result.outcome, result.target
    shown = (link.url, link.text, target, outcome.reason, outcome.final_url)
    hops = [hop.url for hop in outcome.redirects]
    if all(text is None or text == redact(text) for text in (*shown, *hops)):
        return result  # the common case: nothing to hide, nothing rebuilt
    url, text, target, reason, final_url = (t and redact(t) for t in shown)
    redirects = tuple(Redirect(hop.status, redact(hop.url)) for hop in outcome.redirects)
    return replace(
        result,
        link=replace(link, url=url, text=text),
        target=target,
        outcome=replace(outcome, reason=reason, final_url=final_url, redirects=redirects),
    )
