"""Bare URLs in running text: GFM's autolink literals, found and ended exactly as cmark-gfm's
`extensions/autolink.c` does, plus scheme-less text that is clearly an address (the SPEC's
rule: `www.`, a known shortener, or a domain followed by a path)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import accumulate

from linkify_it import LinkifyIt

from .._shorteners import is_shortener

# Top-level domains that are also common file extensions: `setup.py/…`, `notes.md/…`.
_FILE_LIKE_TLDS = frozenset({"md", "py", "sh", "rs", "pl", "zip", "mov", "so", "js", "ts"})
# linkify-it knows every two-letter country code but few of the newer generic domains.
_EXTRA_TLDS = [
    *("dev", "app", "news", "blog", "tech", "xyz", "online", "site", "top", "club"),
    *("cloud", "page", "wiki", "media", "live", "gov", "mil", "int", "info", "org"),
]


@cache
def _linkify() -> LinkifyIt:
    return LinkifyIt(options={"fuzzy_email": False, "fuzzy_ip": False}).tlds(_EXTRA_TLDS, True)


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?([^/?#:]+)", re.IGNORECASE)

# Where GFM may start an autolink literal (a literal search: the regex engine skips to it
# fast); `_literal_start` then checks what cmark-gfm checks around it.
_GFM_HINT = re.compile(r"://|www\.")
_SCHEMES = frozenset({"http", "https", "ftp"})
_BEFORE_WWW = frozenset(" \t\n\v\f\r*_~(")
# cmark's isspace: ASCII blanks only (a no-break space does not end a URL).
_GFM_SPACE = re.compile(r"[ \t\n\v\f\r]")
_TRAILING = frozenset("?!.,:*_~'\"")
_ASCII_PUNCTUATION = frozenset(r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~""")
# Unicode blanks cmark_utf8proc_is_space knows besides ASCII ones.
_UNICODE_SPACE = frozenset("\u00a0\u1680\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}

#: Where a scheme-less address may start: a dotted name followed by a path or ending the
#: word. Running linkify-it only on the words this finds is ~5x cheaper than running it
#: over every paragraph, and a URL never spans whitespace (also _prefilter's test).
MAYBE_ADDRESS = re.compile(r"\w\.\w+(?:/|\b)")
_SPACE = re.compile(r"\s")


def bare_urls(content: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """(offset, url as written) of every bare URL in an inline source, outside the
    `taken` spans (links, code, HTML) given in order of their start."""
    literals = list(_gfm_literals(content, taken))
    for start, end in literals:
        yield start, content[start:end]
    if literals:
        taken = sorted([*taken, *literals])
    yield from _addresses(content, taken)


def _gfm_literals(content: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """[start, end) of each autolink literal, as cmark-gfm's autolink extension finds it."""
    starts = [start for start, _ in taken]
    reach = list(accumulate((end for _, end in taken), max))
    brackets = _Brackets(content, starts, reach)
    pos = 0
    while (found := _GFM_HINT.search(content, pos)) is not None:
        start = _literal_start(content, found.start())
        if start is None:
            pos = found.end()
            continue
        inside = bisect_right(starts, start) - 1
        if inside >= 0 and start < reach[inside]:
            pos = max(reach[inside], found.end())
            continue
        www = content.startswith("www.", start)
        host = start if www else found.end()
        domain = _domain_end(content, host, short=not www)
        if domain is None:
            pos = found.end()
            continue
        space = _GFM_SPACE.search(content, domain)
        end = space.start() if space else len(content)
        # Like cmark-gfm, the URL runs on to the next blank even over a backtick: GitHub
        # finds the URL before it could see a code span there.
        if brackets.open_at(start):
            # GitHub leaves a URL inside `[…]` unlinked; a reader still sees (and copies)
            # it, so it is found, but it ends at the bracket that closes it.
            close = content.find("]", start, end)
            end = close if close >= 0 else end
        end = _delimited_end(content, start if www else found.end() - 3, end)
        if end <= host:
            pos = found.end()
            continue
        yield start, end
        pos = end


_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)


class _Brackets:
    """Whether a `[` is still open at a position of running text (links, code and HTML
    skipped), scanning forward once however many URLs are asked about."""

    def __init__(self, content: str, starts: list[int], reach: list[int]) -> None:
        self._content, self._starts, self._reach = content, starts, reach
        self._scanned = 0
        self._depth = 0
        self._any = "[" in content

    def open_at(self, pos: int) -> bool:
        if not self._any:
            return False
        for mark in _BRACKET.finditer(self._content, self._scanned, pos):
            inside = bisect_right(self._starts, mark.start()) - 1
            if inside >= 0 and mark.start() < self._reach[inside]:
                continue
            if mark.group() == "[":
                self._depth += 1
            elif mark.group() == "]" and self._depth:
                self._depth -= 1
        self._scanned = max(self._scanned, pos)
        return self._depth > 0


def _literal_start(content: str, hint: int) -> int | None:
    """Where the literal that `hint` (a `://` or a `www.`) belongs to starts, or None:
    `http://`, `https://` or `ftp://` not glued to a letter before it (cmark-gfm rewinds
    over letters to find the scheme, and a longer word is no scheme it accepts), or a
    lowercase `www.` at the start, after a blank or after one of `*_~(`."""
    if content.startswith("www.", hint):
        return hint if hint == 0 or content[hint - 1] in _BEFORE_WWW else None
    start = hint
    while start > 0 and content[start - 1].isascii() and content[start - 1].isalpha():
        start -= 1
    return start if content[start:hint].lower() in _SCHEMES else None


def _is_host_char(ch: str) -> bool:
    if ch < "\x80":
        return not ch.isspace() and ch not in _ASCII_PUNCTUATION
    return ch not in _UNICODE_SPACE and not unicodedata.category(ch).startswith("P")


def _domain_end(content: str, host: int, short: bool) -> int | None:
    """Where the domain starting at `host` ends, or None when GFM sees no domain there
    (check_domain: an underscore in either of the last two labels, or, for `www.`, no dot).

    cmark-gfm reads the domain byte by byte and stops at the second byte of a multi-byte
    character; that only decides where the underscore and dot count stop, since the URL
    itself runs on to the next blank.
    """
    if short and (host >= len(content) or not _is_host_char(content[host])):
        return None
    last = len(content) - 1  # check_domain never looks at the chunk's last byte
    i, dots, previous_underscores, underscores = host + 1, 0, 0, 0
    while i < last:
        ch = content[i]
        if ch == "_":
            underscores += 1
        elif ch == ".":
            previous_underscores, underscores = underscores, 0
            dots += 1
        elif ch != "-" and not _is_host_char(ch):
            break
        elif ch >= "\x80":
            i += 1
            break
        i += 1
    if previous_underscores or underscores or not (short or dots):
        return None
    return i


def _delimited_end(content: str, start: int, end: int) -> int:
    """autolink_delim: the URL stops at `<`, loses trailing punctuation and a trailing
    entity, and keeps a closing parenthesis only when it closes one the URL opened."""
    angle = content.find("<", start, end)
    if angle >= 0:
        end = angle
    while end > start:
        last = content[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            letters = end - 2
            while letters > start and content[letters].isascii() and content[letters].isalpha():
                letters -= 1
            end = letters if letters < end - 2 and content[letters] == "&" else end - 1
        elif last == ")":
            if content.count(")", start, end) <= content.count("(", start, end):
                break
            end -= 1
        else:
            break
    return end


def _addresses(content: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """Scheme-less addresses (the SPEC's rule) and `mailto:` addresses outside `taken`: a
    URL with another scheme is GFM's business alone, so linkify-it's are not kept."""
    linkify = _linkify()
    starts = [start for start, _ in taken]
    reach = list(accumulate((end for _, end in taken), max))
    done = 0
    for hint in MAYBE_ADDRESS.finditer(content):
        if hint.start() < done:
            continue
        inside = bisect_right(starts, hint.start()) - 1
        if inside >= 0 and hint.start() < reach[inside]:
            done = reach[inside]
            continue
        # Search back only to the previous word, so a long line costs linear time.
        start = 1 + max(content.rfind(c, done, hint.start()) for c in " \n\t")
        start = max(start, done)
        space = _SPACE.search(content, hint.end())
        done = space.start() if space else len(content)
        following = inside + 1
        if following < len(starts):  # the word ends where a link or code span starts
            done = min(done, starts[following])
        for match in linkify.match(content[start:done]) or ():
            mail = match.schema == "mailto:"  # GitHub links the address that follows
            if not mail and (match.schema or not _is_address(match.raw)):
                continue
            offset = start + match.index
            end = _delimited_end(content, offset, offset + len(match.raw))
            if mail or _is_address(content[offset:end]):
                yield offset, content[offset:end]


def _is_address(raw: str) -> bool:
    """The SPEC's rule for scheme-less text: `www.`, a shortener, or a domain with a path."""
    host_match = _HOST.match(raw)
    if host_match is None:
        return False
    host = host_match.group(1).lower()
    if host.startswith("www.") or is_shortener(host):
        return True
    path = raw[host_match.end() :]
    tld = host.rsplit(".", 1)[-1]
    return len(path) > 1 and path.startswith("/") and tld not in _FILE_LIKE_TLDS
