"""cmark-gfm, GitHub's own renderer, as the oracle of what a reader can click.

Each article is rendered by cmark-gfm (tables, strikethrough, autolink literals, footnotes,
source positions) and every link the HTML holds (`<a href>`, `<img src>`, footnote
references) must be one linkcheck finds, with the same destination, on a line of the block
cmark-gfm says it stands in (cmark-gfm gives positions of blocks only). Every link
linkcheck finds must be in the HTML too, except what it adds by design:

- definitions nothing cites (`unused`), and references and footnotes nobody defined
  (GitHub shows those as plain text; linkcheck reports them broken);
- scheme-less addresses the SPEC calls links (`on.rt.com/6rq5`, `bit.ly/x`);
- a URL written inside `[…]`, which GitHub leaves unlinked (a reader still copies it);
- raw HTML attributes other than `<a href>` and `<img src>` (`<source src>`, …).

Bare e-mail addresses are not compared: cmark-gfm links them as `mailto:`, linkcheck has
nothing to check there and does not report them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from cmarkgfm.cmark import Options, markdown_to_html_with_extensions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck import Kind, Link, extract

_OPTIONS = Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter"]
ORACLE_ARTICLES = Path(__file__).parent / "data" / "fidelity"


@dataclass(frozen=True)
class Rendered:
    """A link in cmark-gfm's HTML: its destination and the lines of its block."""

    url: str
    first: int | None
    last: int | None
    footnote: bool


_DESTINATION = {"a": "href", "img": "src"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, int, int]] = []
        self.links: list[Rendered] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        where = attributes.get("data-sourcepos")
        if where and tag not in ("img", "br", "hr", "input"):
            start, _, end = where.partition("-")
            self.blocks.append((tag, int(start.split(":")[0]), int(end.split(":")[0])))
        first, last = (self.blocks[-1][1], self.blocks[-1][2]) if self.blocks else (None, None)
        if not first:  # cmark-gfm gives 0:0 to a paragraph a table cut short
            first = last = None
        url = attributes.get(_DESTINATION.get(tag, ""))
        if url is None or "data-footnote-backref" in attributes:
            return
        self.links.append(Rendered(url, first, last, "data-footnote-ref" in attributes))

    def handle_endtag(self, tag: str) -> None:
        if self.blocks and self.blocks[-1][0] == tag:
            self.blocks.pop()


def rendered(markdown: str) -> list[Rendered]:
    html = markdown_to_html_with_extensions(markdown, _OPTIONS, _EXTENSIONS)
    parser = _Links()
    parser.feed(html)
    return parser.links


def _same(url: str, footnote: bool = False) -> str:
    """A destination compared as the browser reads it (cmark-gfm percent-encodes); a
    footnote's label is matched case-insensitively, and cmark-gfm writes the note's."""
    same = unquote(url).strip()
    return same.casefold() if footnote else same


def _expected_url(link: Link) -> str:
    if link.kind is Kind.FOOTNOTE:
        return f"#fn-{link.label}"
    if link.kind is Kind.BARE and link.url.startswith("www."):
        return "http://" + link.url
    return link.url


def _by_design(link: Link, lines: list[str]) -> bool:
    """What linkcheck reports and GitHub does not link (see the module's docstring)."""
    if link.unused or link.undefined:
        return True
    if link.kind is Kind.HTML:
        return True  # only <a href> and <img src> are compared from cmark's side
    if link.kind is Kind.BARE and "://" not in link.url and not link.url.startswith("www."):
        return True
    if link.kind is Kind.BARE:
        return _inside_brackets(lines, link.line, link.column)
    return False


def _inside_brackets(lines: list[str], line: int, column: int) -> bool:
    """Whether a `[` is still open at this place of its paragraph (escaped brackets and
    code spans aside), where GitHub's autolinker does nothing."""
    start = line - 1
    while start > 0 and lines[start - 1].strip():
        start -= 1
    before = "\n".join([*lines[start : line - 1], lines[line - 1][: column - 1]])
    depth = 0
    for mark in re.finditer(r"\\.|`+[^`]*`+|[\[\]]", before, re.DOTALL):
        if mark.group() == "[":
            depth += 1
        elif mark.group() == "]":
            depth = max(depth - 1, 0)
    return depth > 0


def differences(markdown: str) -> list[str]:
    """Each disagreement with cmark-gfm, in words; empty when linkcheck agrees."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    # GitHub shows front matter as a table of plain values, never as markdown.
    if lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        markdown = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    found = [x for x in extract(markdown, "a.md").links if not x.url.startswith("mailto:")]
    oracle = [x for x in rendered(markdown) if not x.url.startswith("mailto:")]
    problems = []
    unmatched = list(oracle)
    for link in found:
        want = _same(_expected_url(link), link.kind is Kind.FOOTNOTE)
        match = next(
            (
                x
                for x in unmatched
                if _same(x.url, x.footnote) == want
                and (x.first is None or x.first <= link.line <= (x.last or x.first))
            ),
            None,
        )
        if match is not None:
            unmatched.remove(match)
        elif not _by_design(link, lines):
            problems.append(f"linkcheck only: {link.kind.value} {link.url!r} at {link.line}")
    # A link in raw HTML that linkcheck found is matched above; anything left is missed.
    problems += [f"cmark-gfm only: {x.url!r} at {x.first}-{x.last}" for x in unmatched]
    return problems


def _articles() -> Iterator[Path]:
    return iter(sorted(ORACLE_ARTICLES.glob("*.md")))


@pytest.mark.parametrize("article", list(_articles()), ids=lambda p: p.name)
def test_linkcheck_finds_what_github_renders(article: Path) -> None:
    assert differences(article.read_text(encoding="utf-8")) == []


def test_the_oracle_sees_footnotes_links_and_images() -> None:
    """The comparison is not vacuous: cmark-gfm's side holds every form it compares."""
    seen = rendered("[a](https://a.example) ![i](i.png) https://b.example x[^1]\n\n[^1]: n\n")
    assert [(x.url, x.first, x.footnote) for x in seen] == [
        ("https://a.example", 1, False),
        ("i.png", 1, False),
        ("https://b.example", 1, False),
        ("#fn-1", 1, True),
    ]
    # A link linkcheck would not find, and one it finds that GitHub does not render.
    assert differences("`[a](https://a.example)`\n\n[b](https://b.example)\n") == []


# ------------------------------------------------------------------ generated articles

_WORDS = st.sampled_from(
    ["the", "report", "über", "日本語", "에", "بالعربي", "z.B.", "note:", "(see", "it)", "—", "a_b"]
)
_HOSTS = st.sampled_from(
    [
        "a.example",
        "b.example.org",
        "127.0.0.1:7878",
        "xn--bcher-kva.example",
        "a_b.example",
        "x.y_z",
    ]
)
_PATHS = st.sampled_from(["", "/", "/x", "/pull/1384", "/a_(b)", "/q?x=1&y=2", "/#frag", "/ü"])
_URLS = st.builds(
    lambda s, h, p: f"{s}://{h}{p}", st.sampled_from(["http", "https"]), _HOSTS, _PATHS
)
_TRAIL = st.sampled_from(
    [
        "",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        ")",
        "*",
        "_",
        "'",
        '"',
        "에",
        "]",
        "。",
        "&amp;",
        "&x",
        "<br>",
    ]
)


@st.composite
def _inline(draw: st.DrawFn, labels: list[str], notes: list[str]) -> str:
    url = draw(_URLS)
    forms = [
        f"[{draw(_WORDS)}]({url})",
        f"![{draw(_WORDS)}]({url})",
        f"<{url}>",
        f"{url}{draw(_TRAIL)}",
        f"*{url}*",
        f"_{url}_",
        f"**{url}**",
        f"~~{url}~~",
        f"({url})",
        f"www.{draw(_HOSTS)}{draw(_PATHS)}{draw(_TRAIL)}",
        f"`{url}`",
        f"[{draw(_WORDS)} [{draw(_WORDS)}] [x][y]]({url})",
        f"{draw(_WORDS)}.[{draw(_WORDS)}]({url})",
        f"[{draw(_WORDS)}][{draw(st.sampled_from(labels))}]" if labels else url,
        f"[^{draw(st.sampled_from(notes))}]" if notes else url,
        f"[^{draw(st.sampled_from(['1', 'missing']))}]",
        f'<a href="{url}">{draw(_WORDS)}</a>',
        f"[![{draw(_WORDS)}]({url}/i.png)]({url})",
        f'[{draw(_WORDS)}]({url} "a title")',
        f"[{draw(_WORDS)}](<{url}/with space>)",
        f"[{draw(_WORDS)}]({url}/x_(y))",
        f"![{draw(_WORDS)}][{draw(st.sampled_from(labels))}]" if labels else url,
        f"<{draw(_WORDS)}@mail.example>",
        f"\\_{draw(_WORDS)}\\_ {url}",
        f"(www.{draw(_HOSTS)}/p)",
        f"{url}/[{draw(_WORDS)}]({draw(_URLS)})",
        f"{url}/`code`",
        draw(_WORDS),
        "\n",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def articles(draw: st.DrawFn) -> str:
    labels = draw(st.lists(st.sampled_from(["ref", "Ref two", "r3"]), max_size=2, unique=True))
    notes = draw(st.lists(st.sampled_from(["1", "note", "IRC"]), max_size=2, unique=True))
    cited = [draw(st.sampled_from([n, n.upper()])) for n in notes]
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        text = " ".join(draw(st.lists(_inline(labels, cited), min_size=1, max_size=6)))
        shape = draw(st.sampled_from(["p", "li", "ol", "quote", "h", "table", "code", "html"]))
        if shape == "li":
            blocks.append(f"- {text}\n  - nested {text}")
        elif shape == "ol":
            blocks.append(f"1. {text}\n\t- tabbed {text}")
        elif shape == "html":
            blocks.append(f'<div>\n<a href="{draw(_URLS)}">x</a> <img src="{draw(_URLS)}">\n</div>')
        elif shape == "quote":
            blocks.append(f"> {text}")
        elif shape == "h":
            blocks.append(f"## {text}")
        elif shape == "table":
            cell = text.replace("|", "\\|")
            blocks.append(f"| a | b |\n|---|---|\n| x \\| y | {cell} |")
        elif shape == "code":
            blocks.append(f"```\n{text}\n```")
        else:
            blocks.append(text)
    for label in labels:
        blocks.append(f"[{label}]: {draw(_URLS)}")
    for note in notes:
        body = draw(st.sampled_from(["plain", f"[u]({draw(_URLS)})", draw(_URLS)]))
        blocks.append(f"[^{note}]: {body}")
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_generated_articles_agree_with_github(markdown: str) -> None:
    assert differences(markdown) == [], markdown
