"""Classification: what each link points at, decided before any I/O."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck import Category, Kind, Link, Options, Source
from linkcheck._classify import Classifier, _parsed_url_problem, _url_problem


def classify(url: str, kind: Kind = Kind.INLINE, options: Options | None = None, **link_kw):
    link = Link("docs/a.md", 1, 1, kind, "text", url, **link_kw)
    source = Source("docs/a.md", os.path.join("docs", "a.md"))
    (item,) = Classifier(options or Options()).classify_all((link,), source)
    return item


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty link target"),
        ("  ", "empty link target"),
        ("#", "link target is only '#'"),
        ("http://", "URL has no host"),
        ("https://", "URL has no host"),
        ("//", "URL has no host"),
        ("javascript:void(0)", "javascript: link is not a destination"),
        ("JavaScript:alert(1)", "javascript: link is not a destination"),
        ("about:blank", "about:blank is not a destination"),
        ("TODO", "link target is a stand-in ('TODO')"),
        ("https://example.com/TODO", "link target is a stand-in ('https://example.com/TODO')"),
        ("https://news.example/a#tbd", "link target is a stand-in ('https://news.example/a#tbd')"),
    ],
)
def test_placeholders(url: str, reason: str) -> None:
    item = classify(url)
    assert (item.category, item.target, item.reason) == (Category.PLACEHOLDER, None, reason)


@pytest.mark.parametrize(
    "url", ["docs/TODO.md", "https://a.example/todo-list", "https://a.example/url"]
)
def test_real_destinations_that_mention_stand_in_words_are_not_placeholders(url: str) -> None:
    assert classify(url).category is not Category.PLACEHOLDER


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://exa mple.com", "host name contains a space"),
        ("http://:80", "URL has no host name"),
        ("http://a.example:99999/", "malformed URL (Port out of range 0-65535)"),
        ("http://a.example:x/", "malformed URL (Port could not be cast to integer value as 'x')"),
        ("http://a..example/", "host name has an empty label"),
        ("http://[::1/", "malformed URL (Invalid IPv6 URL)"),
        ("http://a.example/\x1b[31m", "URL contains control characters"),
    ],
)
def test_invalid_urls_get_a_reason(url: str, reason: str) -> None:
    item = classify(url)
    assert (item.category, item.target, item.reason) == (Category.INVALID, None, reason)


def test_remote_urls_and_shortlinks() -> None:
    plain = classify("https://a.example/x#part")
    assert (plain.category, plain.target, plain.shortlink, plain.fragment) == (
        Category.REMOTE,
        "https://a.example/x#part",
        False,
        "part",
    )
    short = classify("http://bit.ly/1Jy0kcg", Kind.AUTOLINK)
    assert (short.category, short.shortlink) == (Category.REMOTE, True)


def test_scheme_less_bare_link_is_checked_over_http() -> None:
    item = classify("on.rt.com/6rq5", Kind.BARE)
    assert (item.category, item.target, item.shortlink) == (
        Category.REMOTE,
        "http://on.rt.com/6rq5",
        True,
    )


def test_protocol_relative_url_uses_https() -> None:
    assert classify("//cdn.example/x.js").target == "https://cdn.example/x.js"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/grpc/grpc-go/archive/{{< param grpc_vers.go >}}.zip",
        "https://x.example/{{ page.path }}",
        "https://x.example/{% link a.md %}",
    ],
)
def test_an_address_a_template_completes_is_skipped_not_checked(url: str) -> None:
    # Only the build knows the address: asking a server for `{{…}}` would be a guess.
    item = classify(url)
    assert item.category is Category.SKIPPED
    assert item.reason == "template in the link target: only a build can evaluate it"


def test_shorteners_from_config_extend_the_built_in_list() -> None:
    options = Options(shorteners=("go.corp.example",))
    assert classify("https://go.corp.example/abc", options=options).shortlink
    assert classify("https://www.bit.ly/abc").shortlink


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mailto:ed@a.example", "mailto: links are not checked"),
        ("tel:+4412", "tel: links are not checked"),
    ],
)
def test_other_schemes_are_skipped(url: str, reason: str) -> None:
    item = classify(url)
    assert (item.category, item.reason) == (Category.SKIPPED, reason)


def test_exclude_matches_url_as_written_and_target_and_include_wins() -> None:
    options = Options(exclude=(r"rt\.com", r"^http://internal"), include=(r"keep",))
    assert classify("on.rt.com/6rq5", Kind.BARE, options).reason == "matches --exclude 'rt\\.com'"
    assert classify("internal.example/x/y", Kind.BARE, options).category is Category.EXCLUDED
    assert classify("https://rt.com/keep", options=options).category is Category.REMOTE


def test_local_paths_are_resolved_from_the_article_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    item = classify("../img/a%20b.png?raw=1#top")
    assert (item.category, item.target, item.path, item.fragment) == (
        Category.LOCAL,
        "img/a b.png#top",
        str(tmp_path / "img" / "a b.png"),
        "top",
    )


def test_fragment_only_link_points_at_the_article_itself(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    item = classify("#see-also")
    assert (item.category, item.target, item.path, item.fragment) == (
        Category.LOCAL,
        "docs/a.md#see-also",
        str(tmp_path / "docs" / "a.md"),  # absolute, as every other local target
        "see-also",
    )


def test_root_relative_links_start_at_the_repository_or_the_root_dir(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # Outside git and with no folder given: the current directory is the repository.
    top = classify("/guide/intro.md")
    assert (top.category, top.target) == (Category.LOCAL, "guide/intro.md")
    rooted = classify("/guide/intro.md", options=Options(root_dir="site"))
    assert (rooted.category, rooted.target) == (Category.LOCAL, "site/guide/intro.md")


def test_ignored_and_undefined_links() -> None:
    ignored = classify("https://a.example", ignored_by=7)
    assert (ignored.category, ignored.reason) == (
        Category.EXCLUDED,
        "ignored by the ignore comment on line 7",
    )
    undefined = classify("", Kind.REFERENCE, label="nope", undefined=True)
    assert (undefined.category, undefined.reason) == (
        Category.UNDEFINED,
        "reference [nope] has no definition",
    )


def test_one_classifier_keeps_decisions_apart_by_article_and_by_kind(
    tmp_path: Path, monkeypatch
) -> None:
    # Decisions are remembered per run; the same text must still mean different things
    # in different folders, and as a bare URL versus a written link.
    monkeypatch.chdir(tmp_path)
    classifier = Classifier(Options())
    here, there = Source("a/x.md", "a/x.md"), Source("b/y.md", "b/y.md")

    def decide(url: str, source: Source, kind: Kind = Kind.INLINE) -> tuple:
        (item,) = classifier.classify_all((Link(source.display, 3, 1, kind, "t", url),), source)
        return item.link.file, item.category, item.target

    assert decide("../img.png", here) == ("a/x.md", Category.LOCAL, "img.png")
    assert decide("img.png", here) == ("a/x.md", Category.LOCAL, "a/img.png")
    assert decide("img.png", there) == ("b/y.md", Category.LOCAL, "b/img.png")
    assert decide("#top", there) == ("b/y.md", Category.LOCAL, "b/y.md#top")
    assert decide("#top", here) == ("a/x.md", Category.LOCAL, "a/x.md#top")
    assert decide("..", here) == ("a/x.md", Category.LOCAL, ".")
    assert decide("../../up.md#x", here) == ("a/x.md", Category.LOCAL, "../up.md#x")
    assert decide("on.rt.com/6rq5", here, Kind.BARE)[1:] == (
        Category.REMOTE,
        "http://on.rt.com/6rq5",
    )
    assert decide("on.rt.com/6rq5", here) == ("a/x.md", Category.LOCAL, "a/on.rt.com/6rq5")


_HOST_PIECES = st.sampled_from(["a", "Z9", "-", ".", "é", "x" * 64, "user:pw@", "[", "]", " "])
_URLS = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["http://", "https://", "HTTPS://", "http:/"]),
        st.lists(_HOST_PIECES, max_size=6).map("".join),
        st.sampled_from(["", ":", ":0", ":80", ":65535", ":65536", ":99999", ":8a"]),
        st.lists(st.sampled_from(["/", "?", "#", "%", "\\", "a", "[", " "]), max_size=4).map(
            "".join
        ),
    ),
)


@given(_URLS)
@settings(max_examples=1000, deadline=None)
def test_the_quick_url_check_agrees_with_urlsplit(url: str) -> None:
    # The regex fast path must say exactly what the urlsplit path says, host included.
    assert _url_problem(url) == _parsed_url_problem(url)


@pytest.mark.parametrize(
    ("url", "options", "category"),
    [
        ("b.md", Options(), Category.LOCAL),
        ("#part", Options(), Category.LOCAL),
        ("b.md", Options(exclude=("b",)), Category.EXCLUDED),
        ("b\x07.md", Options(), Category.INVALID),
        ("mailto:x@y.example", Options(), Category.SKIPPED),
        ("ftp://bit.ly/x", Options(exclude=("ftp",)), Category.EXCLUDED),
        ("", Options(), Category.PLACEHOLDER),
    ],
)
def test_only_a_remote_link_is_ever_a_shortlink(
    url: str, options: Options, category: Category
) -> None:
    # A shortlink is shown even when it works, and --fix expands it: never a local path.
    item = classify(url, options=options)
    assert (item.category, item.shortlink) == (category, False)


def test_a_stand_in_word_marks_a_remote_url_not_a_folder_of_that_name() -> None:
    assert classify("https://a.example/todo").category is Category.PLACEHOLDER
    assert classify("todo/notes.md").category is Category.LOCAL


def test_a_target_outside_the_current_directory_is_shown_as_relpath_shows_it(
    tmp_path: Path, monkeypatch
) -> None:
    """Targets outside the current directory are shown through their folder's relpath,
    worked out once per folder: the same text relpath gives for each, including folders
    above the current directory (where the folder's relpath plus the name is not)."""
    here = tmp_path / "w" / "here"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    article = tmp_path / "other" / "deep" / "a.md"
    written = ["x.md", "../x.md", "../../x.md", "../../w/x.md", "../../w", "../../w/here",
               "../../w/here/y.md", "../../w/hereafter/z.md", "../../..", "../../../..", "../"]  # fmt: skip
    links = [Link(str(article), 1, 1, Kind.INLINE, "t", url) for url in written]
    classifier = Classifier(Options())
    for _ in range(2):  # the second time from the per-folder memo
        shown = [
            c.target for c in classifier.classify_all(links, Source(str(article), str(article)))
        ]
        expected = [
            os.path.relpath(os.path.normpath(os.path.join(article.parent, url)), here)
            for url in written
        ]
        assert shown == expected
