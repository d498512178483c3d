"""Local targets as GitHub serves them: folders, root-relative links, the repository's
bounds, GitHub's own pages, fragments matched as GitHub's page script matches them, and
the generic knobs (fallback extensions, index files, remap, base URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

import linkcheck
from linkcheck import Options
from linkcheck._anchors import Slugger, has_anchor


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def verdicts(paths: list[str], **options: object) -> list[tuple[str, str, str, str | None]]:
    report = linkcheck.check(paths, Options(offline=True, **options))  # type: ignore[arg-type]
    return [(r.link.file, r.link.url, r.status.value, r.outcome.reason) for r in report.results]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository (a `.git` folder is all that marks one) with a package inside."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / "docs" / "style.md", "# Style\n")
    write(tmp_path / "assets" / "logo.png", "png")
    write(
        tmp_path / "packages" / "web" / "README.md",
        "[style](/docs/style.md#style) [up](../../docs/style.md) [logo](/assets/logo.png)\n"
        "[folder](../../assets) [missing](/docs/nope.md) [issues](../../../../issues/new)\n"
        "[new issue](/issues/new) [home](../../../..) [away](../../../../../x.md)\n",
    )
    return tmp_path


EXPECTED = [
    ("style", "/docs/style.md#style", "ok", None),
    ("up", "../../docs/style.md", "ok", None),
    ("logo", "/assets/logo.png", "ok", None),
    ("folder", "../../assets", "ok", None),  # GitHub lists the folder
    ("missing", "/docs/nope.md", "broken", "file not found: {}docs/nope.md"),
    (
        "issues", "../../../../issues/new", "skipped",
        "a page of the repository on GitHub (OWNER/REPO/issues/new), not a file",
    ),
    (
        "new issue", "/issues/new", "broken",
        "file not found: {}issues/new (GitHub links /issues/… to a file in the repository;"
        " for the issues page use ../../issues or a full URL)",
    ),
    ("home", "../../../..", "skipped", "a page of the repository on GitHub (OWNER/REPO), not a file"),
    ("away", "../../../../../x.md", "broken", "points outside the repository ({})"),
]  # fmt: skip


def expected(prefix: str, repo: Path) -> list[tuple[str, str, str | None]]:
    rows = []
    for _, url, status, reason in EXPECTED:
        if reason is not None:
            reason = reason.format(str(repo.resolve()) if "outside" in reason else prefix)
        rows.append((url, status, reason))
    return rows


def test_root_relative_links_start_at_the_git_top_level(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    rows = verdicts(["packages/web"])
    assert [row[1:] for row in rows] == expected("", repo)


def test_a_subfolder_or_a_package_gives_the_same_verdicts(repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo / "packages" / "web")
    rows = verdicts(["."])
    assert [row[1:] for row in rows] == expected("../../", repo)


def test_root_dir_moves_root_relative_links_but_never_blocks_dot_dot(
    repo: Path, monkeypatch
) -> None:
    write(repo / "site" / "docs" / "style.md", "# Style\n")
    monkeypatch.chdir(repo / "packages" / "web")
    rows = verdicts(["."], root_dir=str(repo / "site"))
    assert [row[1:3] for row in rows][:2] == [
        ("/docs/style.md#style", "ok"),  # now repo/site/docs/style.md
        ("../../docs/style.md", "ok"),  # inside the repository, outside --root-dir
    ]


def test_without_git_the_folder_given_is_the_root(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "book" / "img" / "a.png", "png")
    write(tmp_path / "book" / "ch" / "one.md", "[a](/img/a.png)\n")
    monkeypatch.chdir(tmp_path)
    assert verdicts(["book"]) == [("book/ch/one.md", "/img/a.png", "ok", None)]


def test_a_fragment_on_a_folder_is_a_heading_of_its_readme(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "guide" / "README.md", "# Guide\n\n## Install\n")
    (tmp_path / "empty").mkdir()
    write(tmp_path / "a.md", "[i](guide#install) [n](guide#nope) [e](empty#x)\n")
    monkeypatch.chdir(tmp_path)
    assert [row[2:] for row in verdicts(["a.md"])] == [
        ("ok", None),
        ("broken", "no heading or anchor #nope in guide"),
        ("broken", "folder empty has no README to hold #x"),
    ]


FRAGMENTS = """\
# Summary

### R

## Информационные ресурсы

## हिन्दी सामग्री

## தமிழ் உள்ளடக்கம்

## Setup **now** with `pip`

## Setup **now** with `pip`

## :tada: Party 🎉

## Trailing spaces{trailing}

<a name="user-content-legacy"></a>

[a](#Summary) [b](#R) [c](#Информационные-ресурсы) [d](#हिन्दी-सामग्री)
[e](#தமிழ்-உள்ளடக்கம்) [f](#setup-now-with-pip-1) [g](#-party-) [h](#party-)
[i](#trailing-spaces) [j](#user-content-summary) [k](#legacy) [l](#setup-now-with-pip-2)
""".replace("{trailing}", "   ")


def test_fragments_match_as_on_github(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "a.md", FRAGMENTS)
    monkeypatch.chdir(tmp_path)
    statuses = {row[1]: row[2] for row in verdicts(["a.md"])}
    assert statuses == {
        "#Summary": "ok",  # case-insensitive
        "#R": "ok",
        "#Информационные-ресурсы": "ok",
        "#हिन्दी-सामग्री": "ok",  # combining marks kept
        "#தமிழ்-உள்ளடக்கம்": "ok",
        "#setup-now-with-pip-1": "ok",  # the second of two equal headings
        "#-party-": "ok",  # the emoji shortcode renders as an emoji, which the slug drops
        "#party-": "broken",
        "#trailing-spaces": "ok",
        "#user-content-summary": "ok",
        "#legacy": "ok",  # <a name="user-content-legacy">
        "#setup-now-with-pip-2": "broken",
    }


def test_a_text_fragment_is_no_anchor_on_a_local_page(tmp_path: Path, monkeypatch) -> None:
    # `#:~:text=…` is a directive the browser takes off before it looks for an id: the
    # page opens (scrolled to the text if found); `#id:~:text=…` still looks `id` up.
    write(tmp_path / "b.md", "# Backend integration\n\nSome words.\n")
    write(
        tmp_path / "a.md",
        "[t](b.md#:~:text=Some%20words) [i](b.md#backend-integration:~:text=x) "
        "[n](b.md#nothing:~:text=x) [m](missing.md#:~:text=x)\n",
    )
    monkeypatch.chdir(tmp_path)
    statuses = [(row[1], row[2]) for row in verdicts(["a.md"])]
    assert statuses == [
        ("b.md#:~:text=Some%20words", "ok"),
        ("b.md#backend-integration:~:text=x", "ok"),
        ("b.md#nothing:~:text=x", "broken"),
        ("missing.md#:~:text=x", "broken"),
    ]


def test_has_anchor_is_exact_then_case_insensitive_then_without_the_prefix() -> None:
    anchors = frozenset({"intro", "user-content-faq", "Mixed"})
    assert has_anchor(anchors, "intro")
    assert has_anchor(anchors, "INTRO")
    assert has_anchor(anchors, "faq")  # a GitHub page's id, a link written without prefix
    assert has_anchor(anchors, "user-content-intro")
    assert has_anchor(anchors, "mixed")
    assert not has_anchor(anchors, "intr")


def test_explicit_heading_ids_are_anchors_too() -> None:
    slugger = Slugger()
    assert slugger.anchors("Legal {#legal}") == ["legal-legal", "legal"]
    assert slugger.anchors("Install { #install-now .big }")[:2] == [
        "install--install-now-big-",
        "install-now",
    ]


def test_fallback_extensions_index_files_remap_and_base_url(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "post.md", "# Post\n")
    write(tmp_path / "site" / "index.md", "# Site\n")
    (tmp_path / "bare").mkdir()
    write(
        tmp_path / "a.md",
        "[p](post) [s](site) [b](bare) [old](https://old.example/post.md)"
        " [self](https://docs.example/post.md#post)\n",
    )
    monkeypatch.chdir(tmp_path)
    rows = verdicts(
        ["a.md"],
        fallback_extensions=("md",),
        index_files=("index.md",),
        remap=((r"^https://old\.example/", "https://docs.example/"),),
        base_url="https://docs.example/",
    )
    assert [(row[1], row[2], row[3]) for row in rows] == [
        ("post", "ok", None),
        ("site", "ok", None),
        ("bare", "broken", "folder bare has none of index.md"),
        ("https://old.example/post.md", "ok", None),
        ("https://docs.example/post.md#post", "ok", None),
    ]


def test_the_text_report_shows_what_a_remapped_link_became(tmp_path: Path, monkeypatch) -> None:
    from io import StringIO

    from linkcheck._report.text import write_text

    write(tmp_path / "a.md", "[old](https://old.example/x) [doc](/docs/gone.html) [b](b.md)\n")
    monkeypatch.chdir(tmp_path)
    options = Options(
        offline=True,
        fail_on=frozenset({linkcheck.Status.BROKEN, linkcheck.Status.SKIPPED}),
        remap=(
            (r"^https://old\.example/", "https://new.example/"),
            (r"^/docs/(.*)\.html$", r"/src/\1.md"),
        ),
    )
    report = linkcheck.check(["a.md"], options)
    assert [r.remapped for r in report.results] == [True, True, False]
    plain = linkcheck.check(["a.md"], Options(offline=True))  # no remap: nothing remapped
    assert [r.remapped for r in plain.results] == [False, False, False]
    out = StringIO()
    write_text(report, out, color=False)
    lines = [line.split("  ", 2)[-1].strip() for line in out.getvalue().splitlines()[:3]]
    assert lines == [
        "https://old.example/x ⇒ https://new.example/x  “old” — remote links are not checked "
        "with --offline",
        "/docs/gone.html ⇒ src/gone.md  “doc” — file not found: src/gone.md",
        "b.md  “b” — file not found: b.md",
    ]


def test_remote_pages_match_fragments_by_the_same_rule() -> None:
    from linkcheck._models import Outcome, Status
    from linkcheck._remote._resolver import Page, with_fragment

    page = Page(Outcome(Status.OK), frozenset({"user-content-installation", "API"}))
    assert with_fragment(page, "https://x.example/r#installation").status is Status.OK
    assert with_fragment(page, "https://x.example/r#Installation").status is Status.OK
    assert with_fragment(page, "https://x.example/r#api").status is Status.OK
    assert with_fragment(page, "https://x.example/r#usage").status is Status.BROKEN
