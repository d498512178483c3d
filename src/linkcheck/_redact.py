"""Secrets out of sight: the one function that hides credentials in URLs and in messages.

CI logs are public, caches are uploaded as artefacts and archives are third parties, so a
URL's userinfo password (or a user name shaped like an access token) and the values of
query parameters that carry credentials are shown as `***` wherever linkcheck writes or
sends a URL other than to the site itself (SPEC "Secrets"). It works on any text: a
URL alone, or a sentence with URLs in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ._models import FileIssue, LinkResult, Redirect, Report

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
#: `scheme://user@` with no password: GitHub, GitLab and Bitbucket take a token there
#: (`https://ghp_…@github.com/o/r`), so a user name shaped like one is hidden too.
_USER_ONLY = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#@:]+)@")
#: Prefixes of the access tokens issued by the big forges, chat and cloud platforms.
_TOKEN_PREFIXES = (
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glptt-",
    "xoxb-", "xoxp-", "xoxa-", "xoxr-", "npm_", "pypi-", "sk-", "sk_live_", "akia",
)  # fmt: skip
#: Anything else this long, of token characters, with letters and digits mixed: no one
#: picks a 20-character user name like that, every token generator does.
_TOKEN_LIKE = re.compile(r"(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_\-.~%+=]{20,}")

#: `?name=value` or `&name=value` (or `;`), the value up to the next separator; also
#: after `#`, where OAuth's implicit flow puts `access_token`.
_PARAMETER = re.compile(r"([?&;#])([^=&;#\s?]+)=([^&;#\s]+)")


#: A credential parameter's name, found before any value is looked at (most URLs with a
#: query have none, and the substitution calls back into Python for every parameter).
_CREDENTIAL_NAME = re.compile(
    r"[?&;#](?:"
    + "|".join(map(re.escape, _PREFIXES))
    + "|"
    + "|".join(sorted(map(re.escape, CREDENTIAL_PARAMETERS), key=len, reverse=True))
    + ")",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with every URL password and credential parameter value replaced by `***`."""
    if "@" in text:
        text = _USERINFO.sub(rf"\1:{MASK}@", text)
        text = _USER_ONLY.sub(_user, text)
    if "=" in text and _CREDENTIAL_NAME.search(text):
        text = _PARAMETER.sub(_parameter, text)
    return text


def _user(match: re.Match[str]) -> str:
    scheme, user = match.groups()
    lowered = user.lower()
    if user != MASK and (lowered.startswith(_TOKEN_PREFIXES) or _TOKEN_LIKE.fullmatch(user)):
        user = MASK
    return f"{scheme}{user}@"


def _parameter(match: re.Match[str]) -> str:
    separator, name, value = match.groups()
    lowered = name.lower()
    if value != MASK and (lowered in CREDENTIAL_PARAMETERS or lowered.startswith(_PREFIXES)):
        value = MASK
    return f"{separator}{name}={value}"


def redact_report(report: Report) -> Report:
    """The report as it may be shown: every URL, reason, message, fix and archived copy
    redacted. Rows without a secret are kept as they are (most rows of most reports)."""
    shown = RowRedactor()  # memoised per report: a target is shown at every occurrence
    results = tuple(map(shown, report.results))
    issues = tuple(map(redact_issue, report.file_issues))
    return replace(report, results=results, file_issues=issues)


def redact_issue(issue: FileIssue) -> FileIssue:
    return replace(issue, file=redact(issue.file), message=redact(issue.message))


class RowRedactor:
    """A report's rows redacted one at a time, as `redact_report` does (and for rows
    that are streamed, not held). `by_value`: rows that do not share their outcomes
    (read back one by one), whose identities could come back as other outcomes'."""

    def __init__(self, *, by_value: bool = False) -> None:
        self._memo: dict[str, str] = {}
        self._outcome_clean: dict[object, bool] = {}
        self._by_value = by_value

    def __call__(self, result: LinkResult) -> LinkResult:
        outcome, link = result.outcome, result.link
        key = outcome if self._by_value else id(outcome)
        fine = self._outcome_clean.get(key)
        if fine is None:
            if len(self._outcome_clean) >= _MEMO:  # bounded, for rows that do not end
                self._outcome_clean.clear()
            texts = (outcome.reason, outcome.final_url, *(hop.url for hop in outcome.redirects))
            fine = self._outcome_clean[key] = all(map(self._clean, texts))
        if (
            fine
            and self._clean(link.url)
            and self._clean(link.text)
            and self._clean(result.target)
            and (result.archive is None or self._clean(result.archive.url))
            and (result.fix is None or self._clean(result.fix.to))
            and (result.drift is None or self._clean(result.drift.archived_url))
            and (
                result.preserved is None
                or (self._clean(result.preserved.url) and self._clean(result.preserved.error))
            )
        ):
            return result  # the common case: nothing to hide, nothing rebuilt
        return _redacted_result(result, self._shown)

    def _shown(self, text: str) -> str:
        done = self._memo.get(text)
        if done is None:
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            done = self._memo[text] = redact(text)
        return done

    def _clean(self, text: str | None) -> bool:
        return not text or ("@" not in text and "=" not in text) or self._shown(text) == text


#: Texts and outcomes a RowRedactor remembers at once.
_MEMO = 65_536


def _redacted_result(result: LinkResult, shown: Callable[[str], str]) -> LinkResult:
    link, outcome, archive, fix = result.link, result.outcome, result.archive, result.fix
    target, reason, final_url = (
        t and shown(t) for t in (result.target, outcome.reason, outcome.final_url)
    )
    url, text = shown(link.url), shown(link.text)
    redirects = tuple(Redirect(hop.status, shown(hop.url)) for hop in outcome.redirects)
    return replace(
        result,
        link=replace(link, url=url, text=text),
        target=target,
        outcome=replace(outcome, reason=reason, final_url=final_url, redirects=redirects),
        archive=archive and replace(archive, url=archive.url and shown(archive.url)),
        fix=fix and replace(fix, to=shown(fix.to)),
        drift=result.drift and replace(result.drift, archived_url=shown(result.drift.archived_url)),
        preserved=result.preserved
        and replace(
            result.preserved,
            url=result.preserved.url and shown(result.preserved.url),
            error=result.preserved.error and shown(result.preserved.error),
        ),
    )
