"""Extraction: every link kind, found where it is written, and nothing that is not a link."""

from __future__ import annotations

from textwrap import dedent

import pytest

from linkcheck import Kind, Link, extract


def found(markdown: str) -> list[tuple[int, int, str, str]]:
    """(line, column, kind, url) of every link, in order."""
    return [(x.line, x.column, x.kind.value, x.url) for x in extract(markdown, "a.md").links]


def only(markdown: str) -> Link:
    (link,) = extract(markdown, "a.md").links
    return link


def assert_positions_point_at_links(markdown: str) -> None:
    """The character at each reported position is where that link's source starts."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    for link in extract(markdown, "a.md").links:
        at = lines[link.line - 1][link.column - 1 :]
        expected = {
            Kind.INLINE: "[",
            Kind.REFERENCE: "[",
            Kind.IMAGE: "!",
            Kind.AUTOLINK: "<",
            Kind.HTML: "<",
        }.get(link.kind, link.url[:1])
        assert at.startswith(expected), (link, at)


# ----------------------------------------------------------------------------- kinds


def test_inline_link_with_title_keeps_url_and_text() -> None:
    link = only('See [the report](https://a.example/x "Title") now.')
    assert (link.line, link.column, link.kind, link.url, link.text) == (
        1,
        5,
        Kind.INLINE,
        "https://a.example/x",
        "the report",
    )


@pytest.mark.parametrize("markdown", ["[text]()", "[text](#)", "[text](<>)"])
def test_placeholder_destinations_are_still_links(markdown: str) -> None:
    assert only(markdown).kind is Kind.INLINE


@pytest.mark.parametrize(
    "url", ["javascript:void(0)", "data:text/plain,hi", "file:///etc/hosts", "vbscript:x"]
)
def test_links_markdown_it_calls_unsafe_are_found(url: str) -> None:
    assert only(f"[x]({url})").url == url


def test_destination_is_unescaped_not_percent_encoded() -> None:
    assert only(r"[x](https://a.example/a\_b?q=é&amp;r)").url == "https://a.example/a_b?q=é&r"


def test_reference_link_is_reported_at_the_use_with_the_definition_url() -> None:
    markdown = dedent("""\
        Intro with [the text][ref] and [Ref][] and [ref].

        [ref]: https://a.example/r
        """)
    assert found(markdown) == [
        (1, 12, "reference", "https://a.example/r"),
        (1, 32, "reference", "https://a.example/r"),
        (1, 44, "reference", "https://a.example/r"),
    ]


def test_unused_definition_is_reported_at_its_own_line() -> None:
    markdown = "Text.\n\n  [Orphan Label]: https://a.example/o\n"
    link = only(markdown)
    assert (link.line, link.column, link.kind, link.url, link.text) == (
        3,
        3,
        Kind.REFERENCE,
        "https://a.example/o",
        "Orphan Label",
    )


def test_undefined_full_and_collapsed_references_are_broken_citations() -> None:
    links = extract("One [text][nope] two [gone][] three.", "a.md").links
    assert [(x.column, x.label, x.undefined, x.text) for x in links] == [
        (5, "nope", True, "text"),
        (22, "gone", True, "gone"),
    ]


def test_brackets_inside_an_html_code_element_are_code_not_references() -> None:
    # Astro's docs: `<code>[string, <a href="#x">X</a>][]</code>` is a type (an array of
    # tuples) shown as code, as a code span would be; after `</code>` brackets count again.
    markdown = '**Type:** <code>[string, <a href="#x">X</a>][]</code> and [gone][]\n'
    links = extract(markdown, "a.md").links
    assert [(x.url, x.label, x.undefined) for x in links] == [
        ("#x", None, False),
        ("", "gone", True),
    ]


@pytest.mark.parametrize(
    "prose", ["[sic]", "therefore [it is] unlikely", "[Defense] Secretary", "- [ ] task"]
)
def test_bracketed_prose_is_not_a_link(prose: str) -> None:
    assert found(prose) == []


def test_autolinks_including_one_without_host() -> None:
    assert found("A <https://a.example> and <http://> end") == [
        (1, 3, "autolink", "https://a.example"),
        (1, 27, "autolink", "http://"),
    ]


def test_image_inline_and_reference() -> None:
    markdown = "![alt *text*](img/a.png) ![logo][l]\n\n[l]: img/logo.svg\n"
    links = extract(markdown, "a.md").links
    assert [(x.column, x.kind, x.text, x.url) for x in links] == [
        (1, Kind.IMAGE, "alt text", "img/a.png"),
        (26, Kind.IMAGE, "logo", "img/logo.svg"),
    ]


def test_image_inside_link_gives_both() -> None:
    assert found("[![badge](b.svg)](https://ci.example/x)") == [
        (1, 1, "inline", "https://ci.example/x"),
        (1, 2, "image", "b.svg"),
    ]


def test_raw_html_links_inline_and_block() -> None:
    markdown = dedent("""\
        Text <a href="https://a.example/1">one</a> and <img src='p.png' alt="pic">.

        <div>
          <p><a class="x" href="https://a.example/2">two</a></p>
          <!-- <a href="https://a.example/commented">no</a> -->
        </div>
        """)
    assert found(markdown) == [
        (1, 6, "html", "https://a.example/1"),
        (1, 48, "html", "p.png"),
        (4, 6, "html", "https://a.example/2"),
    ]


def test_html_href_entities_are_decoded() -> None:
    assert only('<a href="https://a.example/?a=1&amp;b=2">x</a>\n').url == (
        "https://a.example/?a=1&b=2"
    )


# ------------------------------------------------------------------------- bare URLs


def test_bare_urls_with_and_without_scheme() -> None:
    markdown = dedent("""\
        See https://a.example/page, or www.news.example.com today.
        Short: bit.ly/3xYz and on.rt.com/6rq5
        Docs at docs.python.org/3/library/ here.
        """)
    assert found(markdown) == [
        (1, 5, "bare", "https://a.example/page"),
        (1, 32, "bare", "www.news.example.com"),
        (2, 8, "bare", "bit.ly/3xYz"),
        (2, 24, "bare", "on.rt.com/6rq5"),
        (3, 9, "bare", "docs.python.org/3/library/"),
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "Run setup.py then read README.md.",
        "Bought on Amazon.com yesterday.",
        "Edit docs/index.md and notes.md/",
        "The U.S. and e.g. i.e. 30/09/2015",
        "Putin:Assad's enemies",
    ],
)
def test_file_names_and_site_names_in_prose_are_not_links(prose: str) -> None:
    assert found(prose) == []


def test_scheme_less_shortlink_alone_on_a_line_inside_a_paragraph() -> None:
    markdown = '"We expect the details," Cook said.\non.rt.com/6rq5\nThe importance of it.\n'
    assert found(markdown) == [(2, 1, "bare", "on.rt.com/6rq5")]


def test_bare_url_inside_link_text_is_not_a_second_link() -> None:
    assert found("[https://a.example/shown](https://a.example/real)") == [
        (1, 1, "inline", "https://a.example/real")
    ]


# ---------------------------------------------------------------------- not links


def test_nothing_inside_code_is_a_link() -> None:
    markdown = dedent("""\
        Use `[x](https://a.example/span)` and `https://a.example/bare`.

        ```
        [x](https://a.example/fenced) https://a.example/f2
        ```

            [x](https://a.example/indented)

        ~~~md
        <a href="https://a.example/h">x</a>
        ~~~
        """)
    assert found(markdown) == []


def test_front_matter_is_not_prose() -> None:
    markdown = "---\ntitle: see https://a.example/fm\nlink: '[x](y.md)'\n---\n\n[x](z.md)\n"
    assert found(markdown) == [(6, 1, "inline", "z.md")]


# ------------------------------------------------------------------------- positions


def test_positions_in_multi_line_paragraph() -> None:
    markdown = "First line\nsecond [a](https://a.example/a) line\n   third <https://b.example>\n"
    assert found(markdown) == [
        (2, 8, "inline", "https://a.example/a"),
        (3, 10, "autolink", "https://b.example"),
    ]


def test_two_identical_links_on_one_line() -> None:
    assert found("[a](u.md) and [a](u.md)") == [(1, 1, "inline", "u.md"), (1, 15, "inline", "u.md")]


def test_link_text_that_wraps_lines_is_reported_at_its_bracket() -> None:
    markdown = "Start [a long\ntext that wraps\nlines](https://a.example/w) end [b](b.md)\n"
    links = extract(markdown, "a.md").links
    assert [(x.line, x.column, x.text) for x in links] == [
        (1, 7, "a long text that wraps lines"),
        (3, 33, "b"),
    ]


def test_positions_in_lists_and_nested_block_quotes() -> None:
    markdown = dedent("""\
        - item [a](a.md)
          continued [b](b.md)
            1. nested [c](c.md)

        > quote [d](d.md)
        > > deeper
        > > line [e](e.md)
        lazy [f](f.md)
        """)
    assert found(markdown) == [
        (1, 8, "inline", "a.md"),
        (2, 13, "inline", "b.md"),
        (3, 15, "inline", "c.md"),
        (5, 9, "inline", "d.md"),
        (7, 10, "inline", "e.md"),
        (8, 6, "inline", "f.md"),
    ]


def test_positions_in_tables_with_repeated_cells() -> None:
    markdown = dedent("""\
        | a | b |
        |---|---|
        | [x](x.md) | [x](x.md) |
        | https://a.example/t | ~~[y](y.md)~~ |
        """)
    assert found(markdown) == [
        (3, 3, "inline", "x.md"),
        (3, 15, "inline", "x.md"),
        (4, 3, "bare", "https://a.example/t"),
        (4, 27, "inline", "y.md"),
    ]


def test_positions_in_headings() -> None:
    markdown = "# Title [a](a.md) #\n\nSetext [b](b.md)\n===\n"
    assert found(markdown) == [(1, 9, "inline", "a.md"), (3, 8, "inline", "b.md")]


def test_crlf_and_lone_cr_line_ends() -> None:
    assert found("one\r\ntwo [a](a.md)\r\n\r\nthree\rfour <https://a.example>\r\n") == [
        (2, 5, "inline", "a.md"),
        (5, 6, "autolink", "https://a.example"),
    ]


def test_tabs_count_as_one_column() -> None:
    assert found("\tIndented? no: a list\n\n-\titem\t[a](a.md)\n") == [(3, 8, "inline", "a.md")]


def test_byte_order_mark_is_not_a_column() -> None:
    assert found("\ufeff[a](a.md)") == [(1, 1, "inline", "a.md")]


def test_positions_match_source_on_a_mixed_document() -> None:
    markdown = dedent("""\
        # Heading with [link](h.md)

        Para *emph [a](a.md)* and **[b][ref]** with https://x.example/p.
        > - quoted list [c](c.md)
        >   continued <https://y.example>

        | t | [d](d.md) |
        |---|---|
        | ![i](i.png) | www.z.example.org |

        1. one
           - two [e](e.md) and <a href="f.md">f</a>

        [ref]: https://r.example
        """)
    assert len(extract(markdown, "a.md").links) == 11
    assert_positions_point_at_links(markdown)


# ----------------------------------------------------------------- ignore comments


def test_ignore_comment_switches_off_the_next_non_blank_line() -> None:
    markdown = "<!-- linkcheck-ignore -->\n\n[a](a.md)\n[b](b.md)\n"
    links = extract(markdown, "a.md").links
    assert [(x.url, x.ignored_by) for x in links] == [("a.md", 1), ("b.md", None)]


def test_ignore_region() -> None:
    markdown = dedent("""\
        [a](a.md)
        <!-- linkcheck-ignore-start -->
        [b](b.md)

        [c](c.md)
        <!-- linkcheck-ignore-end -->
        [d](d.md)
        """)
    links = extract(markdown, "a.md").links
    assert [(x.url, x.ignored_by) for x in links] == [
        ("a.md", None),
        ("b.md", 2),
        ("c.md", 2),
        ("d.md", None),
    ]


def test_an_ignore_comment_on_a_links_own_line_ignores_that_line() -> None:
    markdown = "[a](a.md) <!-- linkcheck-ignore -->\n[b](b.md)\n> [c](c.md) [d](d.md)<!-- linkcheck-ignore -->\n"
    links = extract(markdown, "a.md").links
    assert [(x.url, x.ignored_by) for x in links] == [
        ("a.md", 1),
        ("b.md", None),
        ("c.md", 3),
        ("d.md", 3),
    ]


def test_an_unterminated_ignore_region_ignores_the_rest_and_says_where_it_began() -> None:
    markdown = "[a](a.md)\n<!-- linkcheck-ignore-start -->\n[b](b.md)\n\n[c](c.md)\n"
    article = extract(markdown, "a.md")
    assert [(x.url, x.ignored_by) for x in article.links] == [
        ("a.md", None),
        ("b.md", 2),
        ("c.md", 2),
    ]
    assert article.warnings == (
        "linkcheck-ignore-start on line 2 has no linkcheck-ignore-end: every link after it "
        "is ignored",
    )
    closed = "<!-- linkcheck-ignore-start -->\n[b](b.md)\n<!-- linkcheck-ignore-end -->\n"
    assert extract(closed, "a.md").warnings == ()


def test_markdown_link_check_comments_are_understood_as_it_reads_them() -> None:
    markdown = dedent("""\
        [a](a.md)
        <!-- markdown-link-check-disable -->
        [b](b.md)
        <!-- markdown-link-check-enable -->
        [c](c.md)
        <!-- markdown-link-check-disable-next-line -->
        [d](d.md)
        [e](e.md)
        [f](f.md) <!-- markdown-link-check-disable-line -->
        <!-- markdown-link-check-disable-next-line -->

        [g](g.md)
        ```
        <!-- markdown-link-check-disable -->
        ```
        [h](h.md)
        <!-- markdown-link-check-disable -->
        [i](i.md)
        """)
    article = extract(markdown, "a.md")
    assert [(x.url, x.ignored_by) for x in article.links] == [
        ("a.md", None),
        ("b.md", 2),
        ("c.md", None),
        ("d.md", 6),
        ("e.md", None),
        ("f.md", 9),
        ("g.md", None),  # the next line only, even when it is blank
        ("h.md", None),  # a comment in a code block is code
        ("i.md", 17),  # never enabled again: the rest of the file, by its design
    ]
    assert article.warnings == ()


# ------------------------------------------------------------------------- anchors


def test_anchors_from_headings_and_html() -> None:
    markdown = '# Hello, World!\n\n## Hello, World!\n\n<a name="legacy"></a>\n<p id="x-1">p</p>\n'
    assert extract(markdown, "a.md").anchors == {"hello-world", "hello-world-1", "legacy", "x-1"}


def test_html_link_text_is_what_the_anchor_wraps() -> None:
    markdown = (
        'See <a href="a.md">the <em>annex</em></a>.\n\n<p><a href="b.md">Block &amp; co</a></p>\n'
    )
    links = extract(markdown, "a.md").links
    assert [(x.text, x.url) for x in links] == [("the annex", "a.md"), ("Block & co", "b.md")]


def test_an_images_text_is_its_alt_never_what_a_following_anchor_wraps() -> None:
    markdown = '<img src="a.png"> <a href="b.md">bee</a> <img src="c.png" alt="sea">\n'
    links = extract(markdown, "a.md").links
    assert [(x.text, x.url) for x in links] == [("", "a.png"), ("bee", "b.md"), ("sea", "c.png")]


def test_positions_in_table_cells_with_escaped_pipes_and_a_lone_pipe() -> None:
    markdown = "| a \\| b | [x](x.md) |\n|---|---|\n| \\| | [y](y.md) |\n"
    assert found(markdown) == [(1, 12, "inline", "x.md"), (3, 8, "inline", "y.md")]


# ------------------------------------------------------------ destination spans


def written_destinations(markdown: str) -> list[tuple[str, str]]:
    """(kind, the source text at each link's `dest` span)."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [
        (x.kind.value, lines[x.dest.line - 1][x.dest.start : x.dest.end] if x.dest else "-")
        for x in extract(markdown, "a.md").links
    ]


def test_destination_spans_cover_exactly_what_is_written() -> None:
    markdown = dedent("""\
        A [t](https://a.example/x "T") and ![i]( <img/a b.png> ) and <https://b.example/y>.
        > quoted https://c.example/z and on.rt.com/6rq5 and <a href='h&amp;.md'>h</a>
        [u][r] and [r][] and [r].

        [r]:
          https://r.example/def "title"
        [unused]: <https://u.example/v>
        """)
    assert written_destinations(markdown) == [
        ("inline", "https://a.example/x"),
        ("image", "img/a b.png"),
        ("autolink", "https://b.example/y"),
        ("bare", "https://c.example/z"),
        ("bare", "on.rt.com/6rq5"),
        ("html", "h&amp;.md"),
        ("reference", "https://r.example/def"),
        ("reference", "https://r.example/def"),
        ("reference", "https://r.example/def"),
        ("reference", "https://u.example/v"),
    ]


def test_reference_uses_share_the_definitions_span() -> None:
    links = extract("[a][r] [b][r]\n\n[r]: https://r.example\n", "a.md").links
    assert links[0].dest == links[1].dest is not None
    assert (links[0].dest.line, links[0].dest.start) == (3, 5)


def test_destination_spans_in_crlf_files_and_multi_line_links() -> None:
    markdown = "x\r\n[long\r\ntext](https://a.example/w) [e]()\r\n"
    assert written_destinations(markdown) == [("inline", "https://a.example/w"), ("inline", "")]


# ----------------------------------------------------------------- rendering fidelity


def test_footnotes_are_footnote_references_not_links() -> None:
    markdown = dedent(
        """\
        A claim[^1], on IRC[^IRC] as [IRC][^IRC], and one nobody wrote[^nope].

        [^1]:
            ```csl-json
            {"URL": "https://doi.example/1"}
            ```

        [^IRC]: [https://irc.example/](https://irc.example/) and
            https://more.example/x.
        """
    )
    assert found(markdown) == [
        (1, 8, "footnote", "[^1]"),
        (1, 20, "footnote", "[^IRC]"),
        (1, 35, "footnote", "[^IRC]"),
        (1, 63, "footnote", "[^nope]"),
        (8, 9, "inline", "https://irc.example/"),
        (9, 5, "bare", "https://more.example/x"),
    ]
    links = extract(markdown, "a.md").links
    # The text is what the reader sees: the note's number, or the brackets without a note.
    assert [(x.label, x.text, x.undefined) for x in links if x.kind is Kind.FOOTNOTE] == [
        ("1", "1", False),
        ("IRC", "2", False),
        ("IRC", "2", False),
        ("nope", "[^nope]", True),
    ]
    # GitHub renders the notes with these ids (behind its user-content- prefix).
    assert {"fn-1", "fnref-1", "fn-IRC"} <= extract(markdown, "a.md").anchors


def test_a_footnote_nobody_cites_is_not_rendered_and_its_links_are_not_found() -> None:
    assert found("Text.\n\n[^lonely]: [x](https://lonely.example/)\n") == []


def test_definitions_nothing_cites_are_unused_at_their_own_line() -> None:
    links = extract("[a][used]\n\n[used]: https://a.example/\n[spare]: ../x.md\n", "a.md").links
    assert [(x.line, x.column, x.url, x.unused) for x in links] == [
        (1, 1, "https://a.example/", False),
        (4, 1, "../x.md", True),
    ]


@pytest.mark.parametrize(
    "markdown",
    [
        "[Quran [Arabic] [بالعربي][الجزء الثاني]](https://quran.example/ar)",
        "[see [a][b]](https://x.example/)",
        "[see [^1]](https://x.example/)",
    ],
)
def test_brackets_inside_link_text_are_text(markdown: str) -> None:
    assert [(x.kind, x.undefined) for x in extract(markdown, "a.md").links] == [
        (Kind.INLINE, False)
    ]


@pytest.mark.parametrize(
    ("markdown", "url"),
    [
        ("*https://a.example/x*", "https://a.example/x"),
        ("_http://127.0.0.1:7878_", "http://127.0.0.1:7878"),
        ("**https://a.example**.", "https://a.example"),
        ("~~https://a.example/~~", "https://a.example/"),
        ("see https://a.example/pull/1384: fixed", "https://a.example/pull/1384"),
        ("(https://a.example/x_(y))", "https://a.example/x_(y)"),
        ("https://a.example/x)", "https://a.example/x"),
        ('"https://a.example/"', "https://a.example/"),
        ("https://a.example/a&amp; b", "https://a.example/a"),
        ("https://a.example/a<b>", "https://a.example/a"),
        ("www.example.com에 접속", "www.example.com에"),
        ("[note: https://a.example/x] y", "https://a.example/x"),
        ("z.B.[x](https://a.example/)", "https://a.example/"),
        ("on.rt.com/6rq5.", "on.rt.com/6rq5"),
        ("write to mailto:desk@news.example.", "mailto:desk@news.example"),
        # GitHub reads a URL to the next blank before it could see a link or code there.
        ("https://a.example/[x](https://y.example)", "https://a.example/[x](https://y.example)"),
        ("https://a.example/`x`", "https://a.example/`x`"),
    ],
)
def test_bare_urls_end_where_gfm_autolink_literals_end(markdown: str, url: str) -> None:
    assert [x.url for x in extract(markdown, "a.md").links] == [url]


@pytest.mark.parametrize(
    "markdown",
    ["<https：//crates.io>", "http://a_b.example_c/x", "xhttps://a.example/", "WWW.a.example"],
)
def test_text_github_does_not_link_is_not_a_bare_url(markdown: str) -> None:
    assert found(markdown) == []


def test_columns_in_table_cells_count_escaped_pipes() -> None:
    markdown = dedent(
        """\
        | a | b |
        |---|---|
        | x \\| y \\| z [l](https://c.example) | \\| [m](https://d.example) https://e.example |
        """
    )
    assert found(markdown) == [
        (3, 15, "inline", "https://c.example"),
        (3, 43, "inline", "https://d.example"),
        (3, 66, "bare", "https://e.example"),
    ]
    assert_positions_point_at_links(markdown)
    lines = markdown.split("\n")
    for link in extract(markdown, "a.md").links:
        assert link.dest is not None
        assert lines[2][link.dest.start : link.dest.end] == link.url
