"""Extraction as a site generator's build reads an article: Liquid tags and Hugo
shortcodes in destinations make links, kramdown's `markdown="1"` blocks hold markdown;
positions stay exact, and GitHub's reading (no generator) is unchanged."""

from __future__ import annotations

from textwrap import dedent

from linkcheck import Kind, Link, LinkResult, Outcome, Status
from linkcheck._extract import extract
from linkcheck._extract._articles import _content_key
from linkcheck._fix import apply_fixes, plan_fixes
from linkcheck._models import Redirect


def found(markdown: str, dialect: str) -> list[tuple[int, int, str, str, tuple[int, int, int]]]:
    """(line, column, kind, url, destination span) of every link, in order."""
    return [
        (x.line, x.column, x.kind.value, x.url, (x.dest.line, x.dest.start, x.dest.end))
        for x in extract(markdown, "a.md", dialect).links
        if x.dest is not None
    ]


def written_at(markdown: str, link: tuple[int, int, str, str, tuple[int, int, int]]) -> str:
    line, start, end = link[4]
    return markdown.split("\n")[line - 1][start:end]


LIQUID = dedent(
    """\
    See [a post]({% post_url 2020-01-01-x %}) and
    > [quoted]( {{ site.baseurl }}{% link a.md %}#part "Title") ![i]({{ "/i.png" | relative_url }})

    [def]: {% link b.md %}
    [use][def], [remote](https://x.example/{{ page.path }}), `[code]({% link c.md %})`.
    """
)


def test_liquid_tags_in_destinations_are_links_with_exact_positions() -> None:
    links = found(LIQUID, "jekyll")
    assert links == [
        (1, 5, "inline", "{% post_url 2020-01-01-x %}", (1, 13, 40)),
        (2, 3, "inline", "{{ site.baseurl }}{% link a.md %}#part", (2, 12, 50)),
        (2, 61, "image", '{{ "/i.png" | relative_url }}', (2, 65, 94)),
        (5, 1, "reference", "{% link b.md %}", (4, 7, 22)),
        # Liquid runs first, so a remote address a tag completes is a link on the site
        # (classified `skipped`: only the build knows the address).
        (5, 13, "inline", "https://x.example/{{ page.path }}", (5, 21, 54)),
    ]
    # Each span is the destination as written: what --fix would compare and replace.
    assert [written_at(LIQUID, link) for link in links] == [link[3] for link in links]


def test_github_and_other_dialects_leave_liquid_as_text() -> None:
    for dialect in ("github", "hugo"):
        assert [link[2] for link in found(LIQUID, dialect)] == ["bare"]


def test_hugo_shortcodes_in_destinations_are_links() -> None:
    text = (
        '[a]({{< ref "x.md" >}}) [b]({{% relref "/y/z#id" %}}) [c]({{< ref x >}}#frag)\n'
        '[shown as written]({{%/* ref "x.md" */%}})\n'
    )
    assert found(text, "hugo") == [
        (1, 1, "inline", '{{< ref "x.md" >}}', (1, 4, 22)),
        (1, 25, "inline", '{{% relref "/y/z#id" %}}', (1, 28, 52)),
        (1, 55, "inline", "{{< ref x >}}#frag", (1, 58, 76)),
    ]
    assert found(text, "github") == []


def test_a_definition_a_shortcode_completes_keeps_the_definitions_after_it() -> None:
    # grpc.io: `[download]: https://…/archive/{{< param grpc_vers.go >}}.zip` is a
    # definition on the site (Goldmark sees the shortcode's placeholder token, no blank),
    # so the definitions after it are definitions, not the text of one paragraph.
    text = dedent(
        """\
        Get [the archive][download] from [Go][], see [pb].

        [download]: https://github.com/grpc/grpc-go/archive/{{< param grpc_vers.go >}}.zip
        [Go]: https://go.dev
        [pb]: https://protobuf.dev
        """
    )
    links = extract(text, "a.md", "hugo").links
    assert [(x.url, x.undefined) for x in links if x.kind is Kind.REFERENCE] == [
        ("https://github.com/grpc/grpc-go/archive/{{< param grpc_vers.go >}}.zip", False),
        ("https://go.dev", False),
        ("https://protobuf.dev", False),
    ]


def test_text_that_is_not_a_destination_keeps_its_tags() -> None:
    (link,) = extract("[{{ page.title }} and {% if x %}]({% link a.md %})", "a.md", "jekyll").links
    assert (link.text, link.url) == ("{{ page.title }} and {% if x %}", "{% link a.md %}")


MARKDOWN_BLOCK = dedent(
    """\
    <aside markdown="1" class="quote" id="q">
      <img src="a.png" alt="">
      Text [inside](x.md) here.
      <p markdown="span" class="credit">— [credit](y.md)</p>
    </aside>

    <div markdown=block>
    [unquoted](z.md)
    </div>

    <div markdown="0">
    [raw](r.md)
    </div>
    """
)


def test_kramdown_markdown_blocks_are_read_as_markdown_under_jekyll() -> None:
    links = found(MARKDOWN_BLOCK, "jekyll")
    assert links == [
        (2, 3, "html", "a.png", (2, 12, 17)),
        (3, 8, "inline", "x.md", (3, 16, 20)),
        (4, 39, "inline", "y.md", (4, 47, 51)),
        (8, 1, "inline", "z.md", (8, 11, 15)),
    ]
    assert [written_at(MARKDOWN_BLOCK, link) for link in links] == [link[3] for link in links]
    assert "q" in extract(MARKDOWN_BLOCK, "a.md", "jekyll").anchors


def test_on_github_markdown_blocks_stay_html() -> None:
    assert [link[3] for link in found(MARKDOWN_BLOCK, "github")] == ["a.png"]
    assert "q" in extract(MARKDOWN_BLOCK, "a.md", "github").anchors


def test_the_extraction_cache_keeps_each_dialect_apart() -> None:
    keys = {_content_key(LIQUID, dialect) for dialect in ("github", "jekyll", "hugo")}
    assert len(keys) == 3
    assert _content_key(LIQUID) == _content_key(LIQUID, "github")


def _moved(link: Link) -> LinkResult:
    hop = Redirect(301, "https://new.example/")
    outcome = Outcome(Status.REDIRECTED, final_url="https://new.example/", redirects=(hop,))
    return LinkResult(link, link.url, False, outcome)


def test_fix_rewrites_a_link_of_a_markdown_block_and_never_a_template() -> None:
    text = '<div markdown="1">\n[old](https://old.example/)\n</div>\n'
    (link,) = extract(text, "a.md", "jekyll").links
    fixes = plan_fixes([_moved(link)])
    assert apply_fixes(text.encode(), fixes) == (
        b'<div markdown="1">\n[old](https://new.example/)\n</div>\n',
        [],
    )
    templated = Link("a.md", 1, 1, Kind.INLINE, "t", "https://old.example/{{ x }}")
    assert plan_fixes([_moved(templated)]) == []
