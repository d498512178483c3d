"""What a page is, as a reader's browser meets it: the heuristics that read an answer's
status, headers, the start of its body and its redirect chain, in one place.

Each function takes typed facts (never a reason sentence) and says one thing: a bot
wall, a rate limit, a refresh redirect, a sign-in page, a parked domain, a page titled
"not found", a single-page app shell. The resolver decides the verdict from these;
docs/resolver.md lists each behaviour with its verdict, tests/test_web_fidelity.py
holds each against a loopback stand-in that answers as the real sites do.
"""

from __future__ import annotations

import html
import json
import re
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from ._hosts import retry_after

#: Bytes of the body start the heuristics look at (titles, meta tags, wall pages).
HEAD_SAMPLE = 64 * 1024

#: Codes that mean "not for you", never "gone": 401/403 (sign-in, forbidden), 402
#: (paywall), 451 (unavailable for legal reasons), 999 (LinkedIn's bot answer).
BLOCKED_CODES = frozenset({401, 402, 403, 451, 999})

# Bot walls as the big ones send them. Cloudflare's interstitial ("Just a moment…",
# "Checking your browser before accessing") comes as 403 or 503 with `cf-mitigated:
# challenge` or its `cf-chl` scripts; Amazon's robot check is a 503 with a captcha form
# posting to /errors/validateCaptcha.
_WALL_TEXT = re.compile(
    rb"checking your browser|just a moment\.\.\.|/cdn-cgi/challenge-platform|cf-chl-"
    rb"|errors/validatecaptcha|robot check|type the characters you see"
    rb"|enter the characters you see|are you a robot|unusual traffic from your computer",
    re.I,
)


#: A word each of `_WALL_TEXT`'s phrases holds: a body (lower-cased) with none of them
#: cannot match, and looking for them takes a twelfth of the pattern's time (64 KiB of
#: an ordinary page: 0.34 ms against 4 ms).
_WALL_WORDS = (
    b"browser", b"moment", b"cdn-cgi", b"cf-chl-", b"captcha", b"robot", b"characters", b"unusual"
)  # fmt: skip


def is_bot_wall(status: int, headers: httpx.Headers, body: bytes) -> bool:
    """A challenge page instead of the content: the page may well exist."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if status not in (403, 429, 503):
        return False
    sample = body[:HEAD_SAMPLE]
    return _any_word(sample, _WALL_WORDS) and _WALL_TEXT.search(sample) is not None


def _any_word(sample: bytes, words: tuple[bytes, ...]) -> bool:
    lowered = sample.lower()
    return any(word in lowered for word in words)


def rate_limit_reset(status: int, headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds until a rate limit lets the next request through, for an answer refused
    by one, or None. GitHub's primary limit (and many APIs'): a 403 or 429 with
    `x-ratelimit-remaining: 0` and `x-ratelimit-reset` in epoch seconds; its secondary
    limit: a 403 with `Retry-After`. (A 429's own Retry-After is the resolver's usual
    429 path.) When both are given, the longer wait: a request sent at the reset but
    before the Retry-After is refused again."""
    if status in (403, 429):
        exhausted = quota_exhausted_for(headers, now)
        if exhausted is not None:
            return max(exhausted, retry_after(headers.get("retry-after")) or 0.0)
    if status == 403:
        return retry_after(headers.get("retry-after"))
    return None


def quota_exhausted_for(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds until the quota resets when this answer used the last request of it
    (`x-ratelimit-remaining: 0`), whatever its status, or None."""
    if headers.get("x-ratelimit-remaining", "").strip() != "0":
        return None
    reset = headers.get("x-ratelimit-reset", "").strip()
    if not reset.isdigit():
        return None
    return max(0.0, int(reset) - (time.time() if now is None else now))


# ---------------------------------------------------------------- refresh redirects

_META_REFRESH = re.compile(rb"<meta\b[^>]*?http-equiv\s*=\s*[\"']?refresh[\"']?[^>]*>", re.I | re.S)
_NOSCRIPT = re.compile(rb"<noscript\b.*?(?:</noscript\s*>|$)", re.I | re.S)
_CONTENT = re.compile(rb"\bcontent\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_REFRESH_VALUE = re.compile(r"^\s*(\d+)?(?:\.\d*)?\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$", re.I | re.S)
#: A refresh that waits longer than this is a page reloading itself, not a redirect.
REFRESH_MAX_DELAY = 10


def refresh_target(url: str, headers: httpx.Headers, body: bytes) -> str | None:
    """Where a `Refresh:` header or a `<meta http-equiv="refresh">` in the body start
    sends the reader (absolute), or None; a browser follows both like a `Location`."""
    values = [headers["refresh"]] if "refresh" in headers else []
    # A refresh inside <noscript> is for browsers without scripts; a reader's has them.
    tag = _META_REFRESH.search(_NOSCRIPT.sub(b"", body[:HEAD_SAMPLE]))
    if tag is not None and (content := _CONTENT.search(tag.group(0))) is not None:
        raw = next(g for g in content.groups() if g is not None)
        values.append(html.unescape(raw.decode("utf-8", "replace")))
    for value in values:
        match = _REFRESH_VALUE.match(value)
        if match is None or not match.group(2):
            continue
        if int(match.group(1) or 0) > REFRESH_MAX_DELAY:
            continue
        target = match.group(2).strip().strip("'\"").strip()
        if target:
            return urljoin(url, target)
    return None


# ---------------------------------------------------------------- sign-in pages

# Paths sign-in pages live at: Django's /accounts/login/, Rails' /users/sign_in,
# /session/new, Google's ServiceLogin, Microsoft's /oauth2/authorize, /sso, /auth/login…
_LOGIN_PATH = re.compile(
    r"(?:^|/)(?:log[-_]?in|sign[-_]?in|signon|servicelogin|sso|cas/login|oauth2?/authorize"
    r"|session/new|users/sign_in|auth/realms/[^/]+/protocol|authenticate)(?:[/.?;]|$)",
    re.I,
)
_RETURN_PARAMS = frozenset(
    {"next", "return_to", "returnto", "returnurl", "return", "redirect", "redirect_uri",
     "continue", "service", "came_from", "dest", "destination"}
)  # fmt: skip


def is_login_page(url: str, cited: str) -> bool:
    """Whether a redirect from `cited` landed on a sign-in page: a sign-in path, or a
    page that carries where to come back to (`?next=/article/123`). A citation of a
    sign-in page itself is what the author meant."""
    if _looks_like_login(cited):
        return False
    return _looks_like_login(url)


def _looks_like_login(url: str) -> bool:
    parts = urlsplit(url)
    if _LOGIN_PATH.search(parts.path):
        return True
    params = {k.lower() for k in parse_qs(parts.query)}
    return bool(params & _RETURN_PARAMS) and "login" in (parts.path + parts.query).lower()


# ---------------------------------------------------------------- dead pages that answer 200

# What parking services and domain marketplaces serve at every path of a domain nobody
# renewed (Sedo, Bodis, ParkingCrew, Dan.com, Afternic, HugeDomains, GoDaddy's "This
# domain is for sale", Namecheap's parking page).
_PARKED = re.compile(
    rb"this domain (?:name )?(?:is|may be) for sale|buy this domain|domain is parked"
    rb"|parked free|parkingcrew|sedoparking|bodis\.com|dan\.com/buy-domain|afternic"
    rb"|hugedomains\.com|the domain [^<]{1,80} is for sale|parked domain"
    rb"|domain has expired|this domain has been registered|inquire about this domain",
    re.I,
)
_TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
# Titles of error pages served with 200: "Page not found", "404", "404 Not Found",
# "Error 404 | Site", "Page Not Found – Site", "Oops! This page doesn't exist". One
# part of the title (split at | – — · : and " - ") must be nothing but such a phrase,
# so an article about 404 pages keeps its title.
_TITLE_PARTS = re.compile(r"\s[|–—·:-]\s|[|–—·]|:\s")
_NOT_FOUND_PART = re.compile(
    r"(?:oops!?\s*)?(?:error\s*)?(?:404|410)?\s*(?:error)?\s*"
    r"(?:(?:page|article|file|content|resource)\s+)?(?:not\s+found|no\s+longer\s+available)[.!]?"
    r"|(?:error\s*)?404(?:\s*error)?"
    r"|(?:oops!?\s*)?(?:this|the)\s+page\s+(?:does\s+not|doesn't|doesn’t)\s+exist[.!]?"
    r"|(?:the\s+)?page\s+(?:cannot|can't|could\s+not)\s+be\s+found[.!]?",
    re.I,
)


#: Characters of visible text a parking page stays under (an article that mentions
#: "buy this domain" is longer).
PARKED_TEXT = 3000


#: A word each of `_PARKED`'s phrases holds (as `_WALL_WORDS` for `_WALL_TEXT`): the
#: pattern takes 5 ms on 64 KiB of an ordinary page, the words 0.18 ms, and every
#: working page is asked.
_PARKED_WORDS = (b"domain", b"park", b"bodis", b"afternic")


def is_parked(body: bytes) -> bool:
    """A parked or for-sale domain: the site the citation pointed at is gone. The words
    must be on a short page (parking pages are a headline, a price and links)."""
    sample = body[:HEAD_SAMPLE]
    return (
        _any_word(sample, _PARKED_WORDS)
        and visible_text_length(sample) < PARKED_TEXT  # an eighth of the pattern's time
        and _PARKED.search(sample) is not None
    )


def title(body: bytes) -> str | None:
    match = _TITLE.search(body[:HEAD_SAMPLE])
    if match is None:
        return None
    text = html.unescape(match.group(1).decode("utf-8", "replace"))
    return " ".join(text.split())[:200]


def is_not_found_title(body: bytes) -> bool:
    """A page answered 200 whose title says it is not there."""
    found = title(body)
    if found is None:
        return False
    return any(_NOT_FOUND_PART.fullmatch(part.strip()) for part in _TITLE_PARTS.split(found))


# ---------------------------------------------------------------- anchors scripts make

_ROOT_DIV = re.compile(
    rb"<(?:div|main|app-root)\b[^>]*\bid\s*=\s*[\"']?(?:root|app|__next|__nuxt|___gatsby|svelte)\b",
    re.I,
)
_SCRIPT_SRC = re.compile(rb"<script\b[^>]*\bsrc\s*=", re.I)
_SCRIPT_OR_STYLE = re.compile(rb"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(rb"<[^>]*>")
#: Characters of visible text below which a page with a root div is an empty shell.
SHELL_TEXT = 500


def is_app_shell(body: bytes) -> bool:
    """A single-page app's shell (little text, a root element, script bundles): its ids
    are made by scripts after load, so a missing one proves nothing."""
    if _ROOT_DIV.search(body) is None or _SCRIPT_SRC.search(body) is None:
        return False
    return visible_text_length(body) < SHELL_TEXT


def visible_text_length(body: bytes) -> int:
    """Characters a reader sees: tags, scripts and styles removed, spaces collapsed."""
    text = _TAG.sub(b" ", _SCRIPT_OR_STYLE.sub(b" ", body))
    return len(b" ".join(text.split()))


def anchor_part(fragment: str) -> str | None:
    """The id a browser looks up for `#fragment`, or None when it looks up none: a text
    fragment (`#:~:text=…`; after an id, `#id:~:text=…`, the id is still looked up) or
    a hash route of a single-page app (`#/quickstart`, `#!/page`)."""
    anchor = fragment.partition(":~:")[0]
    if not anchor or anchor.startswith(("/", "!/")):
        return None
    return anchor


# ---------------------------------------------------------------- walls that answer 200

# Anubis (TecharoHQ), the proof-of-work wall in front of many free-software sites
# (Fedora's docs, GNOME's and KDE's GitLabs, sourcehut): a 200 page whose scripts solve a
# challenge, then reload the page the reader asked for. Its challenge is in a script
# element with a fixed id, its scripts under `/.within.website/`.
_PROOF_OF_WORK = re.compile(
    rb"""<script\b[^>]*\bid\s*=\s*["']?anubis_challenge|/\.within\.website/x/cmd/anubis""", re.I
)


def is_proof_of_work_wall(body: bytes) -> bool:
    """A wall that shows the page only to a browser whose scripts solve a puzzle: a bot
    challenge whatever its status code."""
    sample = body[:HEAD_SAMPLE]
    return b"nubis" in sample and _PROOF_OF_WORK.search(sample) is not None


# ---------------------------------------------------------------- frames

_FRAMESET = re.compile(rb"<frameset\b", re.I)
_IFRAME = re.compile(rb"<iframe\b", re.I)


def is_framed(body: bytes) -> bool:
    """A page that shows its content in frames (javadoc's frameset, API docs in an
    iframe): the anchors are in the framed page, which scripts pick."""
    sample = body[:HEAD_SAMPLE]
    if _FRAMESET.search(sample) is not None:
        return True
    return _IFRAME.search(sample) is not None and visible_text_length(sample) < SHELL_TEXT


# ---------------------------------------------------------------- content that is gone

# A video page answers 200 whether or not its video plays; its player's own data says
# which: YouTube's `ytInitialPlayerResponse` (on watch pages, embeds and their mirrors)
# carries `"playabilityStatus": {"status": "ERROR", "reason": "Video unavailable"}` for a
# removed video, LOGIN_REQUIRED for a private or age-gated one.
_PLAYABILITY = re.compile(
    rb'"playabilityStatus"\s*:\s*\{\s*"status"\s*:\s*"([A-Z_]+)"'
    rb'(?:\s*,\s*"reason"\s*:\s*"((?:[^"\\]|\\.){0,300})")?'
)
#: Markers of a page that carries a video player's data: worth reading on for it.
VIDEO_MARKERS = (b"og:video", b"ytInitialPlayerResponse", b"playabilityStatus")


def player_status(body: bytes) -> tuple[str, str | None] | None:
    """What a video page's own player data says of its video: (status, reason) when it
    does not play (`ERROR`, `LOGIN_REQUIRED`), else None."""
    if b"playabilityStatus" not in body:
        return None
    match = _PLAYABILITY.search(body)
    if match is None or match.group(1) not in (b"ERROR", b"LOGIN_REQUIRED"):
        return None
    reason = None
    if match.group(2):
        raw = match.group(2).decode("utf-8", "replace")
        try:
            reason = json.loads(f'"{raw}"')
        except ValueError:
            reason = raw
    return match.group(1).decode(), reason


# A static site's deleted post says so in its own head, the status it would have sent
# (IndieWeb's convention, which webmention senders and readers honour):
# `<meta http-equiv="Status" content="410 Gone">`.
_META_STATUS = re.compile(
    rb"<meta\b[^>]*?http-equiv\s*=\s*[\"']?status[\"']?[^>]*?\bcontent\s*=\s*[\"']?\s*(\d{3})",
    re.I,
)


def declared_gone(body: bytes) -> int | None:
    """The 404 or 410 a page declares in a `<meta http-equiv="Status">`, or None."""
    sample = body[:HEAD_SAMPLE]
    if b"tatus" not in sample:  # every working page is asked: the pattern only if it may
        return None
    match = _META_STATUS.search(sample)
    if match is None or int(match.group(1)) not in (404, 410):
        return None
    return int(match.group(1))
