"""Finding articles, reading their bytes, and checking local targets on disk."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from linkcheck import Category, Classified, Kind, Link, Options, Outcome, PathError, Source, Status
from linkcheck._anchors import Slugger, html_anchors
from linkcheck._discover import discover
from linkcheck._extract import read_source
from linkcheck._local import LocalResolver

# ---------------------------------------------------------------------- discovery


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [
        "docs/b.md", "docs/a.MD", "docs/c.markdown", "docs/d.mdx", "docs/notes.txt",
        "docs/drafts/x.md", "docs/.hidden/h.md", "docs/node_modules/m.md", ".git/g.md",
        "docs/sub/z.md",
    ]:  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# t\n")
    return tmp_path


def names(sources: list[Source]) -> list[str]:
    return [s.display for s in sources]


def test_walks_articles_in_order_skipping_hidden_and_vendored(tree: Path) -> None:
    assert names(discover(["."], Options())) == [
        "docs/a.MD",
        "docs/b.md",
        "docs/c.markdown",
        "docs/d.mdx",
        "docs/drafts/x.md",
        "docs/notes.txt",  # .txt is read as markdown (SPEC, "More inputs")
        "docs/sub/z.md",
    ]


def test_named_files_are_read_whatever_their_extension(tree: Path) -> None:
    assert names(discover(["./docs/notes.txt", "docs/b.md", "docs/b.md"], Options())) == [
        "docs/notes.txt",
        "docs/b.md",
    ]


def test_exclude_path_globs(tree: Path) -> None:
    options = Options(exclude_path=("drafts", "*.mdx", "docs/sub/*"))
    assert names(discover(["docs"], options)) == [
        "docs/a.MD",
        "docs/b.md",
        "docs/c.markdown",
        "docs/notes.txt",
    ]


def test_stdin_and_missing_paths(tree: Path) -> None:
    assert discover(["-"], Options()) == [Source("-", None)]
    with pytest.raises(PathError, match="path does not exist: nope"):
        discover(["nope"], Options())


def test_a_symlink_loop_does_not_hang(tree: Path) -> None:
    os.symlink(tree / "docs", tree / "docs" / "sub" / "loop")
    assert names(discover(["docs"], Options())).count("docs/b.md") == 1


# ------------------------------------------------------------------------ reading


def read(tmp_path: Path, data: bytes, max_size: int = 1000) -> tuple[str | None, object]:
    path = tmp_path / "a.md"
    path.write_bytes(data)
    text, issue = read_source(Source("a.md", str(path)), max_size)
    return text, issue and (issue.message, issue.fatal)


def test_utf8_with_and_without_bom(tmp_path: Path) -> None:
    assert read(tmp_path, b"caf\xc3\xa9") == ("café", None)
    assert read(tmp_path, codecs.BOM_UTF8 + b"caf\xc3\xa9") == ("café", None)


def test_utf16_with_bom(tmp_path: Path) -> None:
    assert read(tmp_path, "# héllo".encode("utf-16")) == ("# héllo", None)


def test_invalid_utf8_falls_back_and_says_so(tmp_path: Path) -> None:
    assert read(tmp_path, b"caf\xe9 [x](#)") == (
        "café [x](#)",
        ("not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252", False),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (NUL bytes), not read"),
        (b"x" * 2000, "file is larger than 1000 bytes (see --max-file-size)"),
    ],
)
def test_unusable_files(tmp_path: Path, data: bytes, message: str) -> None:
    assert read(tmp_path, data) == (None, (message, True))


def test_a_file_that_vanished_or_is_a_directory(tmp_path: Path) -> None:
    assert read_source(Source("gone.md", str(tmp_path / "gone.md")), 10)[1].message == (
        "file vanished before it could be read"
    )
    (tmp_path / "dir.md").mkdir()
    assert (
        read_source(Source("dir.md", str(tmp_path / "dir.md")), 10)[1].message == "is a directory"
    )


def test_empty_file_is_fine(tmp_path: Path) -> None:
    assert read(tmp_path, b"") == ("", None)


# ------------------------------------------------------------------------ anchors


def test_github_slugs() -> None:
    slugger = Slugger()
    headings = [
        "Hello, World!",
        "Hello, World!",
        "hello-world-1",
        "Ünïcode & Émoji 🎉",
        "a  b",
        "C++ / C#",
    ]
    assert [slugger.slug(h) for h in headings] == [
        "hello-world",
        "hello-world-1",
        "hello-world-1-1",
        "ünïcode--émoji-",
        "a--b",
        "c--c",
    ]


def test_html_anchors() -> None:
    html = """<h2 id="one">x</h2><a name='two'></a><div name="not-an-anchor"></div>
    <p ID=three>y</p><span id="a&amp;b"></span>"""
    assert list(html_anchors(html)) == ["one", "two", "three", "a&b"]


# ------------------------------------------------------------------ local targets


def local(
    tmp_path: Path, path: str, fragment: str | None = None, root: str | None = None
) -> Outcome:
    absolute = str(tmp_path / path) if path != "-" else "-"
    link = Link("a.md", 1, 1, Kind.INLINE, "t", path)
    item = Classified(link, Category.LOCAL, path, path=absolute, fragment=fragment)
    anchors = {str(tmp_path / "doc.md"): frozenset({"intro"}), "-": frozenset({"stdin-h"})}
    resolver = LocalResolver(Options(root_dir=root or str(tmp_path)), anchors.get)
    return resolver.check(item)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "doc.md").write_text("# Intro\n")
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "README.md").write_text("# G\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "page.html").write_text('<h1 id="top-h">x</h1>')
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    return tmp_path


def test_files_directories_and_fragments(site: Path) -> None:
    assert local(site, "doc.md").status is Status.OK
    assert local(site, "doc.md", "intro").status is Status.OK
    assert local(site, "doc.md", "outro") == Outcome(
        Status.BROKEN, "no heading or anchor #outro in doc.md"
    )
    assert local(site, "doc.md", "top").status is Status.OK
    assert local(site, "guide").status is Status.OK
    assert local(site, "empty").status is Status.OK  # GitHub shows the folder's listing
    assert local(site, "missing.md") == Outcome(Status.BROKEN, "file not found: missing.md")
    assert local(site, "page.html", "top-h").status is Status.OK
    assert local(site, "page.html", "nope").status is Status.BROKEN
    assert local(site, "img.png", "anything").status is Status.OK
    assert local(site, "-", "stdin-h").status is Status.OK


def test_links_cannot_climb_out_of_the_root(site: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text("x")
    os.symlink(outside / "secret.md", site / "link.md")
    root = str(site)
    escaped = local(site, "../" + outside.name + "/secret.md", root=root)
    assert escaped.status is Status.BROKEN
    assert escaped.reason.startswith("points outside the repository")
    assert local(site, "link.md", root=root).status is Status.BROKEN


def test_an_unreadable_file_is_reported_in_one_line(tmp_path: Path, monkeypatch) -> None:
    # Root reads anything, so permission is taken away where the file is opened.
    path = tmp_path / "secret.md"
    path.write_text("x")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.open", refuse)
    text, issue = read_source(Source("secret.md", str(path)), 1000)
    assert (text, issue.message, issue.fatal) == (None, "permission denied", True)
