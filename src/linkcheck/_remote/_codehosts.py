"""Code hosts' file views, whose anchors their page scripts make: where the raw file is,
which line a line anchor names, and the ids a markdown file's headings get.

GitHub (and GitHub Enterprise), GitLab, Gitea/Forgejo (Codeberg) and Bitbucket show a
file at a view URL whose HTML carries the file in embedded JSON, not as elements with
ids: a browser scrolls to `#install` or `#L119` because the page's scripts make the
element first. What those scripts would find is in the raw file, which each host serves
at a URL of the same shape on the same host (GitHub's redirects to
raw.githubusercontent.com). The view is recognised by its path, so an instance on any
domain is one too.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from .._anchors import github_slug
from .._extract import extract, heading_texts

# /owner/repo/blob/<ref>/<path>            GitHub, GitHub Enterprise
# /group/sub/repo/-/blob/<ref>/<path>      GitLab
# /owner/repo/src/branch|tag|commit/<ref>  Gitea, Forgejo, Codeberg
# /owner/repo/src/<ref>/<path>             Bitbucket
_VIEWS = (
    (re.compile(r"^(/[^/]+/[^/]+)/blob/(.+)$"), r"\1/raw/\2"),
    (re.compile(r"^(/.+?)/-/blob/(.+)$"), r"\1/-/raw/\2"),
    (re.compile(r"^(/[^/]+/[^/]+)/src/((?:branch|tag|commit)/.+)$"), r"\1/raw/\2"),
    (re.compile(r"^(/[^/]+/[^/]+)/src/(.+)$"), r"\1/raw/\2"),
)
# #L119, #L10-L20 (GitHub, Gitea), #L10-20 (GitLab), #lines-12, #lines-12:20 (Bitbucket)
_LINES = re.compile(r"^(?:L(\d+)(?:-L?(\d+))?|lines-(\d+)(?::(\d+))?)$")
_MARKDOWN = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
#: Prefixes the hosts put before a heading's id (GitHub and Gitea: `user-content-`;
#: Bitbucket: `markdown-header-`); a link may carry it or not.
PREFIXES = ("user-content-", "markdown-header-")


def raw_file_url(url: str, body: bytes | None = None) -> str | None:
    """The raw file behind a code host's file view, or None if `url` is no such view.

    With `body` (the view's HTML), only if the page links to its repository's raw files
    as every code host's view does (its "Raw" button, GitHub's `rawBlobUrl`): a site
    whose paths merely look like a view's is no code host."""
    parts = urlsplit(url)
    for view, raw in _VIEWS:
        if view.match(parts.path):
            raw_path = view.sub(raw, parts.path)
            if body is not None and _raw_prefix(raw_path).encode() not in body:
                return None
            return urlunsplit(parts._replace(path=raw_path, fragment=""))
    return None


def _raw_prefix(raw_path: str) -> str:
    """`/owner/repo/raw/` (or GitLab's `/group/repo/-/raw/`) of a raw file's path."""
    return raw_path[: raw_path.index("/raw/") + len("/raw/")]


def line_range(fragment: str) -> tuple[int, int] | None:
    """The first and last line a line anchor names, or None if it names none."""
    match = _LINES.match(fragment)
    if match is None:
        return None
    numbers = [int(g) for g in match.groups() if g is not None]
    return min(numbers), max(numbers)


def line_count(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def is_markdown(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(_MARKDOWN)


def markdown_anchors(text: str) -> frozenset[str]:
    """The ids a code host gives a markdown file's headings: GitHub's slugs (and any
    raw HTML id), and GitLab's, which collapse a run of hyphens (`A & B`: `a-b`)."""
    anchors = set(extract(text, "raw.md", "github").anchors)
    for heading in heading_texts(text):
        anchors.add(re.sub(r"-{2,}", "-", github_slug(heading)))
    return frozenset(anchors)
