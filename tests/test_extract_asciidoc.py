"""AsciiDoc: links as Asciidoctor finds them, tested on the examples its documentation
gives (docs.asciidoctor.org: macros/autolinks, url-macro, link-macro, xref, anchors,
sections/auto-ids, images, include), with exact positions."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

import linkcheck
from linkcheck import Options
from linkcheck._extract._asciidoc import extract_asciidoc, section_id
from linkcheck._models import Link


def links(text: str, file: str = "a.adoc") -> list[Link]:
    return list(extract_asciidoc(text, file).links)


def rows(text: str) -> list[tuple[int, int, str, str]]:
    return [(x.line, x.column, x.kind.value, x.url) for x in links(text)]


def at(text: str, link: Link) -> str:
    return text.split("\n")[link.line - 1][link.column - 1 :]


def written(text: str, link: Link) -> str:
    assert link.dest is not None
    return text.split("\n")[link.dest.line - 1][link.dest.start : link.dest.end]


def test_autolinks_and_the_url_macro_whose_text_is_not_part_of_the_address() -> None:
    text = dedent(
        """\
        The homepage for the Asciidoctor Project is https://www.asciidoctor.org.
        Ask questions in the https://chat.asciidoctor.org[*project chat*].
        Wrapped <https://example.org> and (https://example.org/p) and \\https://escaped.example.
        Not a link: `+https://literal.example/+` nor foohttps://glued.example/.
        """
    )
    assert rows(text) == [
        (1, 45, "bare", "https://www.asciidoctor.org"),
        (2, 22, "inline", "https://chat.asciidoctor.org"),
        (3, 9, "autolink", "https://example.org"),
        (3, 36, "bare", "https://example.org/p"),
    ]
    for link in links(text):
        assert written(text, link) == link.url


def test_the_link_and_mailto_macros() -> None:
    text = "Docs: link:index.html[Docs] and link:https://x.example/a b[X] mailto:join@discuss.example[Join].\n"
    found = links(text)
    assert [(x.column, x.kind.value, x.url) for x in found] == [
        (7, "inline", "index.html"),
        (33, "inline", "https://x.example/a"),
        (63, "inline", "mailto:join@discuss.example"),
    ]
    assert at(text, found[0]).startswith("link:index.html[")
    assert written(text, found[0]) == "index.html"


def test_cross_references_internal_to_a_file_and_natural() -> None:
    text = dedent(
        """\
        == Section A

        See <<_section_a>>, <<_section_a,Section A>>, xref:_section_a[Section A],
        <<Section A>>, <<document-b.adoc#section-b,Section B>>, <<document-b#section-b>>,
        xref:document-b.adoc#section-b[Section B], xref:document-b.adoc[Document B],
        and <<nowhere>>.
        """
    )
    assert rows(text) == [
        (3, 5, "xref", "#_section_a"),
        (3, 21, "xref", "#_section_a"),
        (3, 47, "xref", "#_section_a"),
        (4, 1, "xref", "#_section_a"),
        (4, 16, "xref", "document-b.adoc#section-b"),
        (4, 57, "xref", "document-b.adoc#section-b"),
        (5, 1, "xref", "document-b.adoc#section-b"),
        (5, 44, "xref", "document-b.adoc"),
        (6, 5, "xref", "#nowhere"),
    ]


def test_an_unknown_id_is_not_claimed_broken_when_an_include_may_define_it() -> None:
    text = "See <<nowhere>>.\n\ninclude::chapter.adoc[]\n"
    assert rows(text) == [(3, 1, "include", "chapter.adoc")]


@pytest.mark.parametrize(
    ("title", "prefix", "separator", "expected"),
    [
        ("Wiley & Sons, Inc.", "_", "_", "_wiley_sons_inc"),  # the documentation's example
        ("Section Title", "_", "_", "_section_title"),
        ("Section Title", "", "-", "section-title"),
        ("Section Title", "id_", "_", "id_section_title"),
        ("Use *bold* and `code`", "_", "_", "_use_bold_and_code"),
        ("Über uns", "_", "_", "_über_uns"),
    ],
)
def test_generated_section_ids(title: str, prefix: str, separator: str, expected: str) -> None:
    assert section_id(title, prefix, separator) == expected


def test_anchors_explicit_generated_and_inline() -> None:
    text = dedent(
        """\
        = Document Title
        :idprefix:
        :idseparator: -

        [[bookmark-a]]Inline anchors make arbitrary content referenceable.

        [#bookmark-b]#Inline anchors can be applied to a phrase like this one.#

        anchor:bookmark-c[]Use a cross reference to link to this location.

        [#tigers-subspecies]
        === Subspecies of Tiger

        == Section Title

        == Section Title

        [[[taoup]]] Eric Steven Raymond. _The Art of Unix Programming_.
        """
    )
    anchors = extract_asciidoc(text, "a.adoc").anchors
    assert anchors == {
        "bookmark-a",
        "bookmark-b",
        "bookmark-c",
        "tigers-subspecies",
        "section-title",
        "section-title-2",
        "taoup",
    }


def test_images_against_imagesdir_includes_and_attributes() -> None:
    text = dedent(
        """\
        :url-repo: https://github.com/asciidoctor/asciidoctor
        :imagesdir: images

        image::sunset.jpg[Sunset]
        The logo image:logo.png[Logo,width=16] and image:https://cdn.example/x.png[X].
        See {url-repo}[the repository] and {url-repo}/issues[issues], not {url-other}[x].

        include::attributes-settings.adoc[]
        """
    )
    found = links(text)
    assert [(x.line, x.column, x.kind.value, x.url) for x in found] == [
        (4, 1, "image", "images/sunset.jpg"),
        (5, 10, "image", "images/logo.png"),
        (5, 44, "image", "https://cdn.example/x.png"),
        (6, 5, "inline", "https://github.com/asciidoctor/asciidoctor"),
        (6, 36, "inline", "https://github.com/asciidoctor/asciidoctor/issues"),
        (8, 1, "include", "attributes-settings.adoc"),
    ]
    # A URL from an attribute is rewritten where the attribute is defined.
    assert found[3].dest is not None and found[3].dest.line == 1
    assert written(text, found[3]) == "https://github.com/asciidoctor/asciidoctor"
    assert found[0].dest is None  # the written target is not the path checked


def test_nothing_in_comments_listings_literals_or_passthroughs() -> None:
    text = dedent(
        """\
        // a comment https://comment.example/
        ////
        https://block-comment.example/
        ////

        [source,bash]
        ----
        curl https://listing.example/
        ----

         literal paragraph https://literal-paragraph.example/

        ....
        https://literal-block.example/
        ....

        [source]
        curl https://source-paragraph.example/

        ++++
        <a href="https://pass.example/">x</a>
        ++++

        ```
        https://fenced.example/
        ```

        ====
        Example block https://example-block.example/
        ====
        """
    )
    assert [x.url for x in links(text)] == ["https://example-block.example/"]


def test_ignore_comments_in_asciidoc_syntax() -> None:
    text = "// linkcheck-ignore\nSkip https://a.example/ now.\n\nKeep https://b.example/.\n"
    assert [(x.url, x.ignored_by) for x in links(text)] == [
        ("https://a.example/", 1),
        ("https://b.example/", None),
    ]


def test_antora_pages_and_images_resolve_in_their_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "antora.yml").write_text("name: x\nversion: ~\n")
    pages = tmp_path / "modules" / "ROOT" / "pages"
    (pages / "sub").mkdir(parents=True)
    text = (
        "xref:install.adoc[] xref:other:page.adoc#x[] xref:2.0@comp:ROOT:a.adoc[]\n"
        "image::diagram.png[] include::partial$snippet.adoc[]\n"
    )
    found = list(extract_asciidoc(text, "page.adoc", "modules/ROOT/pages/sub/page.adoc").links)
    assert [x.url for x in found] == [
        "../install.adoc",
        "../../../other/pages/page.adoc#x",
        "../../images/diagram.png",
    ]


def test_end_to_end_verdicts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "other.adoc").write_text("= Other\n\n== Setup\n")
    (tmp_path / "a.adoc").write_text(
        "== Intro\n\n<<_intro>> <<_nope>> xref:other.adoc#_setup[] xref:other.adoc#_gone[]"
        " link:missing.html[m] https://example.org[Example]\n"
    )
    report = linkcheck.check(["a.adoc"], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("#_intro", "ok"),
        ("#_nope", "broken"),
        ("other.adoc#_setup", "ok"),
        ("other.adoc#_gone", "broken"),
        ("missing.html", "broken"),
        ("https://example.org", "skipped"),
    ]


def test_an_include_inside_a_listing_is_still_read() -> None:
    text = "[source,ruby]\n----\ninclude::example.rb[]\n----\n\n////\ninclude::commented.adoc[]\n////\n"
    assert rows(text) == [(3, 1, "include", "example.rb")]


def test_a_fragment_into_a_file_with_an_include_is_not_claimed_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "man.adoc").write_text("= Man\n\ninclude::partial.adoc[]\n")
    (tmp_path / "plain.adoc").write_text("= Plain\n\n== Only\n")
    (tmp_path / "partial.adoc").write_text("== Options\n")
    (tmp_path / "a.adoc").write_text("xref:man.adoc#_options[] xref:plain.adoc#_options[]\n")
    report = linkcheck.check(["a.adoc"], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("man.adoc#_options", "ok"),
        ("plain.adoc#_options", "broken"),
    ]
