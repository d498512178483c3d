"""What the CI formats share: which occurrences to show, at what level, in what words."""

from __future__ import annotations

import re

from .._models import LinkResult, Report, Status

RULES = {
    Status.BROKEN: (
        "The target does not exist: a 4xx/5xx answer, a missing file or #fragment, "
        "an undefined reference."
    ),
    Status.PLACEHOLDER: (
        "The link's target is a stand-in (#, http://, empty, javascript:…), not a destination."
    ),
    Status.INVALID: "The URL is not well-formed.",
    Status.TIMEOUT: "The server did not answer in time after all retries.",
    Status.UNREACHABLE: (
        "DNS failure, refused or reset connection, TLS failure, or a redirect loop."
    ),
    Status.RATE_LIMITED: "The server still answered 429 after honouring Retry-After.",
    Status.BLOCKED: "The server refused an automated check (401, 403, 999, bot challenge).",
    Status.UNVERIFIED: (
        "What decides the target is out of linkcheck's sight: a site extension it cannot "
        "emulate, or an anchor only the page's scripts make."
    ),
}


#: The rule a drifted citation breaks (SARIF's rule text; it is a warning).
DRIFT_RULE = (
    "The citation still answers, but its page no longer says what the archived copy "
    "closest before the article's date said (--drift)."
)


def reported(report: Report) -> list[tuple[LinkResult, str]]:
    """(result, level) of every occurrence a CI system should show, in report order."""
    fail_on = report.fail_on
    return [(r, level.value) for r in report.results if (level := r.level(fail_on)) is not None]


#: What a report says of a reference definition nothing cites (a warning, never a failure).
UNUSED = "unused definition: nothing cites it"


def message(result: LinkResult) -> str:
    link = result.link
    shown = link.url or f"[{link.text}]"
    reason = f": {result.outcome.reason}" if result.outcome.reason else ""
    if link.unused:
        reason = f" ({UNUSED}){reason}"
    shown_text = link.text if len(link.text) <= 80 else link.text[:79] + "…"
    text = f" (link text: {shown_text})" if link.text and link.text != link.url else ""
    drift = result.drift
    if drift is not None:
        reason = (
            f": drifted: similarity {drift.similarity:.2f} to the copy as cited "
            f"({drift.archived_url}); title then “{drift.title_then}”, now “{drift.title_now}”"
        )
        return f"drifted link {shown}{reason}{text}"
    return f"{result.status.value} link {shown}{reason}{text}"


# Characters XML 1.0 cannot carry at all, shown as escapes instead.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
