"""HTML articles: every resource link of a page, at its tag's exact position, read as a
browser tokenizes the page; formats chosen by extension."""

from __future__ import annotations

from pathlib import Path

import pytest

import linkcheck
from linkcheck._extract import dump_article, extract_as, format_of, load_article
from linkcheck._extract._html_article import extract_html
from linkcheck._fix import Fix, apply_fixes
from linkcheck._models import Kind, Span, Status

PAGE = """<!DOCTYPE html>
<html><head><title>a <a href="in-title.html"></title>
<link rel="stylesheet" href="css/site.css"><link rel=preconnect href="https://fonts.example">
<link rel="icon" href="/favicon.ico">
<script src="js/app.js"></script><script>var x = '<a href="in-script.html">';</script>
<style>a { background: url(in-style.png) } </style><meta http-equiv="refresh" content="5; url='moved.html'">
</head><body>
<!-- <a href="commented.html"> -->
<h1 id="top">Hi</h1><a name="old"></a>
<p>See <a href="page.html#sec" title="x">the <b>page</b></a> and
<img src="a.png" srcset="a-1x.png 1x, a-2x.png 2x" alt="A pic">
<picture><source srcset="b.webp, b2.webp 2x" type="image/webp"><img src=b.png></picture>
<video src="v.mp4" poster="p.jpg"><track src="t.vtt"></video><audio src="s.ogg"></audio>
<iframe src="frame.html"><a href="in-iframe.html"></iframe><embed src="e.swf"><object data="o.svg"></object>
<blockquote cite="https://q.example/x">q</blockquote><q cite="q.html">a</q>
<a href="x&amp;y.html">amp</a><area href="map.html" alt="region">
<textarea><a href="in-textarea.html"></textarea><form action="/search"></form>
</body></html>
"""


def found(html: str) -> list[tuple[int, int, str, str]]:
    return [(x.line, x.column, x.text, x.url) for x in extract_html(html, "p.html").links]


def test_every_resource_link_of_a_page_at_its_tags_position() -> None:
    assert found(PAGE) == [
        (3, 1, "", "css/site.css"),
        (4, 1, "", "/favicon.ico"),
        (5, 1, "", "js/app.js"),
        (6, 52, "", "moved.html"),
        (10, 8, "the page", "page.html#sec"),
        (11, 1, "A pic", "a.png"),
        (11, 1, "A pic", "a-1x.png"),
        (11, 1, "A pic", "a-2x.png"),
        (12, 10, "", "b.webp"),
        (12, 10, "", "b2.webp"),
        (12, 64, "", "b.png"),
        (13, 1, "", "v.mp4"),
        (13, 1, "", "p.jpg"),
        (13, 35, "", "t.vtt"),
        (13, 62, "", "s.ogg"),
        (14, 1, "", "frame.html"),
        (14, 60, "", "e.swf"),
        (14, 79, "", "o.svg"),
        (15, 1, "", "https://q.example/x"),
        (15, 54, "", "q.html"),
        (16, 1, "amp", "x&y.html"),
        (16, 31, "region", "map.html"),
    ]


def test_each_position_is_the_tags_opening_bracket() -> None:
    lines = PAGE.split("\n")
    for line, column, _, _ in found(PAGE):
        assert lines[line - 1][column - 1] == "<"


def test_nothing_in_comments_scripts_styles_titles_textareas_or_iframe_bodies() -> None:
    urls = {url for _, _, _, url in found(PAGE)}
    assert not {u for u in urls if u.startswith("in-") or u == "commented.html"}
    assert "/search" not in urls  # a form's action answers the POST it expects


def test_ids_and_a_names_are_anchors_and_every_link_is_html_kind() -> None:
    article = extract_html(PAGE, "p.html")
    assert article.anchors == {"top", "old"}
    assert {x.kind for x in article.links} == {Kind.HTML}


def test_dest_spans_cover_the_written_url_only_where_it_is_written_as_is() -> None:
    lines = PAGE.split("\n")
    for link in extract_html(PAGE, "p.html").links:
        if link.url == "x&y.html":
            assert link.dest is None  # written `x&amp;y.html`: not rewritten in place
            continue
        assert link.dest is not None, link
        written = lines[link.dest.line - 1][link.dest.start : link.dest.end]
        assert written == link.url, link


def test_base_href_applies_to_every_relative_url_wherever_it_stands() -> None:
    page = '<a href="a.html">a</a><base href="https://site.example/docs/"><img src="/i.png">'
    page += '<a href="#x">x</a><a href="mailto:a@b.example">m</a>'
    assert [x.url for x in extract_html(page, "p.html").links] == [
        "https://site.example/docs/a.html",
        "https://site.example/i.png",
        "https://site.example/docs/#x",
        "mailto:a@b.example",
    ]


def test_srcset_is_split_as_the_standard_splits_it() -> None:
    page = '<img srcset="a.png 1x,b.png 2x , c,d.png 100w, e.png (x, y) 3x,f.png">'
    assert [x.url for x in extract_html(page, "p.html").links] == [
        "a.png",
        "b.png",
        "c,d.png",
        "e.png",
        "f.png",
    ]


@pytest.mark.parametrize(
    ("content", "url"),
    [
        ("0; url=next.html", "next.html"),
        ("0;URL='next.html'", "next.html"),
        ("3,next.html", "next.html"),
        ("10", None),
        ("", None),
        ("soon; url=x.html", None),
    ],
)
def test_meta_refresh_urls(content: str, url: str | None) -> None:
    page = f'<meta http-equiv="Refresh" content="{content}">'
    assert [x.url for x in extract_html(page, "p.html").links] == ([url] if url else [])


def test_preconnect_hints_are_not_resources() -> None:
    page = '<link rel="dns-prefetch preconnect" href="https://cdn.example"><link href="a.css">'
    assert [x.url for x in extract_html(page, "p.html").links] == ["a.css"]


def test_ignore_comments_work_in_html_too() -> None:
    page = '<!-- linkcheck-ignore -->\n<a href="gone.html">g</a>\n<a href="kept.html">k</a>\n'
    links = extract_html(page, "p.html").links
    assert [(x.url, x.ignored_by) for x in links] == [("gone.html", 1), ("kept.html", None)]


def test_positions_count_characters_after_crlf_and_a_bom() -> None:
    page = '\ufeff<p>é\r\n  <a href="x.html">x</a>'
    (link,) = extract_html(page, "p.html").links
    assert (link.line, link.column) == (2, 3)
    assert link.dest == Span(2, 11, 17)


def test_a_format_by_extension_and_markdown_for_the_rest() -> None:
    assert format_of("a/b.HTML").name == "html"
    assert format_of("notes.txt").name == "markdown"
    assert format_of("x.rst").name == "rst"
    assert format_of("x.adoc").name == "asciidoc"
    assert format_of("x.ipynb").name == "notebook"
    assert format_of("LICENSE").name == "markdown"
    assert format_of(".html").name == "markdown"  # a dot-file named `.html`, no extension
    assert format_of(None).name == "markdown"


def test_html_articles_round_trip_through_the_extraction_cache() -> None:
    article = extract_as("html", PAGE, "p.html")
    assert load_article(dump_article(article), "p.html") == article


def test_fix_rewrites_an_html_attribute_in_place(tmp_path: Path) -> None:
    page = '<p>\n  <link rel=x href="http://old.example/a">a\n</p>\n'
    (link,) = extract_html(page, "p.html").links
    assert link.dest is not None
    fix = Fix("p.html", link.dest, link.url, "https://new.example/a", "why", Kind.HTML)
    after, skipped = apply_fixes(page.encode(), [fix], "html")
    assert not skipped
    assert after.decode() == page.replace("http://old.example/a", "https://new.example/a")
    # Read as markdown the same bytes have no link there (`<link>` is not one in
    # markdown): nothing is rewritten.
    assert apply_fixes(page.encode(), [fix], "markdown")[1] == [fix]


def test_a_page_and_a_txt_article_checked_with_every_resource_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text(
        '<link rel="stylesheet" href="missing.css">\n'
        '<img src="a.png" srcset="a.png 1x, a@2x.png 2x">\n'
        '<a href="notes.txt">notes</a> <a href="#top" id="top">top</a> <a href="#nope">x</a>\n'
    )
    (tmp_path / "site/a.png").write_bytes(b"png")
    (tmp_path / "site/notes.txt").write_text(
        "See [the page](index.html#top) and [gone](gone.md).\n"
    )
    report = linkcheck.check(["site"], linkcheck.Options(offline=True))
    verdicts = [(r.link.file, r.link.line, r.link.url, r.status) for r in report.results]
    assert verdicts == [
        ("site/index.html", 1, "missing.css", Status.BROKEN),
        ("site/index.html", 2, "a.png", Status.OK),
        ("site/index.html", 2, "a.png", Status.OK),
        ("site/index.html", 2, "a@2x.png", Status.BROKEN),
        ("site/index.html", 3, "notes.txt", Status.OK),
        ("site/index.html", 3, "#top", Status.OK),
        ("site/index.html", 3, "#nope", Status.BROKEN),
        ("site/notes.txt", 1, "index.html#top", Status.OK),
        ("site/notes.txt", 1, "gone.md", Status.BROKEN),
    ]


def test_script_handles_in_html_pages_are_skipped_but_stand_ins_in_markdown_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    handles = '<a href="#" data-toggle="modal">Search</a> <a href="javascript:history.back()">b</a>'
    (tmp_path / "page.html").write_text(handles + ' <img src="">\n')
    (tmp_path / "article.md").write_text(handles + "\n")
    report = linkcheck.check(["."], linkcheck.Options(offline=True))
    assert [(r.link.file, r.link.url, r.status) for r in report.results] == [
        ("article.md", "#", Status.PLACEHOLDER),
        ("article.md", "javascript:history.back()", Status.PLACEHOLDER),
        ("page.html", "#", Status.SKIPPED),
        ("page.html", "javascript:history.back()", Status.SKIPPED),
        ("page.html", "", Status.PLACEHOLDER),  # an image with no source shows broken
    ]
