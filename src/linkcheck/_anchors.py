"""Anchor names a `#fragment` can point at, and how a fragment finds one.

Shared by markdown extraction (headings, raw HTML), the local resolver and the remote
fragment check (HTML pages): one matching rule for all three (`has_anchor`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection, Iterator
from enum import Enum

#: The prefix GitHub puts before every id in rendered markdown (`user-content-intro`).
USER_CONTENT = "user-content-"

# A heading's explicit id, as kramdown (Jekyll), Python-Markdown's attr_list (MkDocs),
# goldmark (Hugo), Pandoc and Docusaurus write it at the end of the heading:
# `{#id}`, `{ #id }`, `{: #id .class}`, `{#id .class key=value}`.
_EXPLICIT_ID = re.compile(r"\s*\{:?\s*#([^\s{}#]+)[^{}]*\}\s*$")
# `:tada:` becomes an emoji on GitHub, which the slug then drops.
_EMOJI_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")


class Slugger:
    """GitHub's heading ids (github-slugger): lowercase, everything but letters, numbers,
    marks, `_`, `-` and spaces dropped, each space a hyphen; repeats in one document get
    `-1`, `-2`… without ever colliding with a heading that already reads `foo-1`.
    One instance per document. With `keep_case`, github-slugger's `maintainCase` (the
    letters keep their case: Docusaurus' `markdown.anchors.maintainCase`)."""

    def __init__(self, keep_case: bool = False) -> None:
        self._seen: dict[str, int] = {}
        self._keep_case = keep_case

    def slug(self, heading_text: str) -> str:
        base = github_slug(heading_text, self._keep_case)
        slug = base
        while slug in self._seen:
            self._seen[base] += 1
            slug = f"{base}-{self._seen[base]}"
        self._seen[slug] = 0
        return slug

    def anchors(self, heading_text: str) -> list[str]:
        """Every id one heading answers to: GitHub's slug first, then what a site generator
        gives the same heading — its explicit `{#id}`, or the slug of the text without
        the `{…}` block — and the slug with `:emoji:` shortcodes dropped as GitHub renders
        them. Only the first counts towards duplicate suffixes."""
        found = [self.slug(heading_text)]
        explicit = _EXPLICIT_ID.search(heading_text)
        if explicit is not None:
            found.append(explicit.group(1))
            found.append(github_slug(heading_text[: explicit.start()]))
        if ":" in heading_text:
            found.append(github_slug(_EMOJI_SHORTCODE.sub("", heading_text)))
        return list(dict.fromkeys(found))


def github_slug(heading_text: str, keep_case: bool = False) -> str:
    """github-slugger's slug of one heading, without the duplicate suffix."""
    text = heading_text if keep_case else heading_text.lower()
    return "".join(_kept(ch) for ch in text).replace(" ", "-")


def without_explicit_id(heading_text: str) -> str:
    """A heading's text without its explicit `{#id}` block, if it has one."""
    explicit = _EXPLICIT_ID.search(heading_text)
    return heading_text if explicit is None else heading_text[: explicit.start()]


def explicit_id(heading_text: str) -> str | None:
    """A heading's explicit id (`## Setup {#install}` is `install`), or None."""
    explicit = _EXPLICIT_ID.search(heading_text)
    return None if explicit is None else explicit.group(1)


class KramdownIds:
    """kramdown's own header ids (Converter::Base#generate_id): what Jekyll gives a
    heading inside an HTML block that carries `markdown="1"`, where the GFM parser's
    GitHub-style ids do not reach (kramdown-parser-gfm's update_elements does not
    descend into HTML elements). Leading characters up to the first ASCII letter are
    dropped, then all but ASCII letters, digits, spaces and `-`; spaces become `-`,
    letters lowercase; an empty id is `section`; repeats get `-1`, `-2`…"""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def id(self, heading_text: str) -> str:
        explicit = explicit_id(heading_text)
        if explicit is not None:
            return explicit
        text = re.sub(r"^[^a-zA-Z]+", "", heading_text)
        base = re.sub(r"[^a-zA-Z0-9 -]", "", text).replace(" ", "-").lower() or "section"
        if base in self._used:
            self._used[base] += 1
            return f"{base}-{self._used[base]}"
        self._used[base] = 0
        return base


def python_markdown_slugs(heading_texts: list[str], ascii_only: bool = True) -> list[str]:
    """The ids Python-Markdown's `toc` (MkDocs) gives a document's headings: its
    `slugify` (or `slugify_unicode` with `ascii_only=False`) of each text, an explicit
    `{#id}` instead where there is one, repeats suffixed `_1`, `_2`… as its `unique`."""
    seen: set[str] = set()
    found = []
    for text in heading_texts:
        explicit = explicit_id(text)
        if explicit is not None:
            found.append(explicit)
            seen.add(explicit)
            continue
        value = text
        if ascii_only:
            value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
        value = _PM_INVALID.sub("", value).strip().lower()
        slug = _PM_SEPARATORS.sub("-", value)
        while slug in seen or not slug:
            counted = _PM_COUNTED.match(slug)
            slug = f"{counted[1]}_{int(counted[2]) + 1}" if counted else f"{slug}_1"
        seen.add(slug)
        found.append(slug)
    return found


_PM_INVALID = re.compile(r"[^\w\s-]")
_PM_SEPARATORS = re.compile(r"[-\s]+")
_PM_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def _kept(ch: str) -> str:
    if ch in " -_":
        return ch
    return ch if unicodedata.category(ch)[0] in "LNM" else ""


#: In an article's anchors: some of its ids come from text out of its sight (an rst or
#: AsciiDoc include), so no fragment into it is proven missing.
OPEN_ANCHORS = "\x00open"


class FragmentMatch(Enum):
    """How a browser finds the element a `#fragment` names on a page."""

    #: The HTML standard's "find a potential indicated element": the id (or `<a name>`)
    #: equal to the fragment, or to its percent-decoding, code point for code point. Every
    #: generator's site (docs/generators.md, "How a fragment finds its element").
    EXACT = "exact"
    #: GitHub's page script on rendered markdown: also case-insensitively, and with its
    #: `user-content-` prefix taken off the id.
    GITHUB = "github"
    #: Resolved when the site is built, by reference names compared ignoring case:
    #: Sphinx, where MyST turns `[text](#target)` into a reference to the label or
    #: heading named `target` (docutils normalizes names to lowercase).
    NAMES = "names"


def has_anchor(
    anchors: Collection[str], fragment: str, match: FragmentMatch = FragmentMatch.GITHUB
) -> bool:
    """Whether `#fragment` scrolls to one of `anchors` in a browser. On GitHub
    (`FragmentMatch.GITHUB`): an exact match, else a case-insensitive one, else either with
    GitHub's `user-content-` prefix taken off (ids in rendered markdown carry it; links to
    them usually do not). On Sphinx (`NAMES`) an exact or case-insensitive match; elsewhere
    only the exact match."""
    if fragment in anchors or OPEN_ANCHORS in anchors:
        return True
    if match is FragmentMatch.EXACT:
        return False
    if match is FragmentMatch.NAMES:
        folded = fragment.casefold()
        return any(anchor.casefold() == folded for anchor in anchors)
    bare = fragment.removeprefix(USER_CONTENT)
    wanted = {fragment.casefold(), bare.casefold()}
    return any(
        anchor.casefold() in wanted or anchor.removeprefix(USER_CONTENT).casefold() in wanted
        for anchor in anchors
    )


def same_but_case(anchors: Collection[str], fragment: str) -> str | None:
    """The anchor `#fragment` would find if ids were matched ignoring case (the first in
    order, for a stable message), or None: the fix for a fragment written in another
    case than the id."""
    folded = fragment.casefold()
    return min((a for a in anchors if a.casefold() == folded and a != fragment), default=None)


# Bounded, linear patterns: attribute values never span a `<` or `>`.
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)>")
_ATTR = re.compile(r"""\s(id|name)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+))""", re.I)


def html_anchors(html_text: str) -> Iterator[str]:
    """The values of every `id="…"` and `<a name="…">` in a piece of HTML."""
    for tag in _TAG.finditer(html_text):
        is_a = tag.group(1).lower() == "a"
        for attr in _ATTR.finditer(tag.group(2)):
            if attr.group(1).lower() == "id" or is_a:
                value = attr.group(2) or attr.group(3) or attr.group(4) or ""
                if value:
                    yield html.unescape(value)
