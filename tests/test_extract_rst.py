"""reStructuredText: docutils' links, found back at their exact place in the source."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest
from docutils.core import publish_string

import linkcheck
from linkcheck import Options
from linkcheck._extract._rst import extract_rst
from linkcheck._models import Kind, Link

ARTICLE = dedent(
    """\
    Title Here
    ==========

    See `Python <https://www.python.org/>`_ and `anon <https://a.example/x>`__ here.
    Multi `line link
    text <https://b.example/y>`_ end. Ref python_ and `Other Name`_ and https://c.example/z.

    .. _python: https://python.example/
    .. _Other Name: other.rst#sec
    .. _internal:

    Section *Two*
    -------------

    .. image:: img/a.png
       :target: https://t.example/

    .. figure:: img/fig.png

       caption with link_ and `Section Two`_.

    .. _link: https://l.example/
    .. _unused: https://unused.example/

    .. include:: inc.rst

    .. code-block:: python

       x = "https://code.example/"

    ::

       literal https://lit.example/

    .. this comment holds https://comment.example/

    * item `one <https://item.example/1>`_
      and `two
      <https://item.example/2>`_
    """
)


def links(text: str, path: str | None = None) -> list[Link]:
    return list(extract_rst(text, "a.rst", path).links)


def rows(text: str, path: str | None = None) -> list[tuple[int, int, str, str]]:
    return [(x.line, x.column, x.kind.value, x.url) for x in links(text, path)]


def written(text: str, link: Link) -> str:
    """What the source holds where the link's destination is said to be written."""
    assert link.dest is not None
    line = text.split("\n")[link.dest.line - 1]
    return line[link.dest.start : link.dest.end]


def test_every_construct_at_its_exact_position() -> None:
    assert rows(ARTICLE) == [
        (4, 5, "inline", "https://www.python.org/"),
        (4, 45, "inline", "https://a.example/x"),
        (5, 7, "inline", "https://b.example/y"),
        (6, 39, "reference", "https://python.example/"),
        (6, 51, "reference", "other.rst#sec"),
        (6, 69, "bare", "https://c.example/z"),
        (15, 1, "image", "img/a.png"),
        (16, 4, "inline", "https://t.example/"),
        (18, 1, "image", "img/fig.png"),
        (20, 17, "reference", "https://l.example/"),
        (20, 27, "reference", "#section-two"),
        (23, 1, "reference", "https://unused.example/"),
        (25, 1, "include", "inc.rst"),
        (37, 8, "inline", "https://item.example/1"),
        (38, 7, "inline", "https://item.example/2"),
    ]


def test_positions_point_at_the_construct_and_spans_at_the_destination() -> None:
    lines = ARTICLE.split("\n")
    for link in links(ARTICLE):
        at = lines[link.line - 1][link.column - 1 :]
        first = {
            Kind.INLINE: ("`", ":target:"),
            Kind.REFERENCE: (link.label or "", "`", ".. _"),
            Kind.BARE: (link.url,),
            Kind.IMAGE: (".. image::", ".. figure::"),
            Kind.INCLUDE: (".. include::",),
        }[link.kind]
        assert at.lower().startswith(tuple(f.lower() for f in first)), (link, at)
        if link.dest is not None:
            assert written(ARTICLE, link) == link.url


def test_a_named_reference_is_rewritten_in_its_target() -> None:
    python = next(x for x in links(ARTICLE) if x.label == "python")
    assert python.dest is not None and python.dest.line == 8
    assert written(ARTICLE, python) == "https://python.example/"


def test_an_unused_target_is_reported_where_it_stands_and_marked_unused() -> None:
    unused = [x for x in links(ARTICLE) if x.unused]
    assert [(x.line, x.url) for x in unused] == [(23, "https://unused.example/")]


def test_nothing_in_code_literal_blocks_or_comments_is_a_link() -> None:
    urls = {x.url for x in links(ARTICLE)}
    assert not urls & {
        "https://code.example/",
        "https://lit.example/",
        "https://comment.example/",
    }


def test_anchors_are_docutils_ids_of_sections_and_targets() -> None:
    anchors = extract_rst(ARTICLE, "a.rst").anchors
    assert {"title-here", "section-two", "internal", "python", "other-name"} <= anchors
    assert not any(a.startswith(("system-message", "problematic")) for a in anchors)


def test_anonymous_references_take_their_targets_in_order() -> None:
    text = "A `one`__ and `two`__.\n\n__ https://one.example/\n__ https://two.example/\n"
    found = links(text)
    assert [(x.line, x.column, x.url) for x in found] == [
        (1, 3, "https://one.example/"),
        (1, 15, "https://two.example/"),
    ]
    assert [written(text, x) for x in found] == ["https://one.example/", "https://two.example/"]


def test_an_undefined_named_reference_is_broken_but_not_when_an_include_may_define_it() -> None:
    (missing,) = links("Go nowhere_ now.\n")
    assert (missing.line, missing.column, missing.undefined, missing.label) == (
        1,
        4,
        True,
        "nowhere",
    )
    assert links("Go nowhere_ now.\n\n.. include:: targets.rst\n")[0].kind is Kind.INCLUDE
    assert len(links("Go nowhere_ now.\n\n.. include:: targets.rst\n")) == 1


def test_unknown_directives_and_roles_make_no_links_and_no_noise(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = dedent(
        """\
        .. mermaid::

           graph https://mermaid.example/

        :py:func:`os.path.join` and :unknown:`https://role.example/`.
        See https://after.example/.
        """
    )
    assert rows(text) == [(6, 5, "bare", "https://after.example/")]
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_an_escaped_or_wrapped_destination_is_not_offered_for_rewriting() -> None:
    text = "A `link <https://a.example/x\\_y>`_ here.\n"
    (link,) = links(text)
    assert link.url == "https://a.example/x_y"
    assert link.dest is None


def test_the_image_of_a_substitution_is_reported_once_at_its_definition() -> None:
    text = "A |logo| here.\n\n.. |logo| image:: img/logo.png\n   :target: https://logo.example/\n"
    assert rows(text) == [
        (3, 11, "image", "img/logo.png"),
        (4, 4, "inline", "https://logo.example/"),
    ]


def test_ignore_comments_in_rst_syntax() -> None:
    text = ".. linkcheck-ignore\n\nSkip https://a.example/ now.\n\nKeep https://b.example/.\n"
    found = links(text)
    assert [(x.url, x.ignored_by) for x in found] == [
        ("https://a.example/", 1),
        ("https://b.example/", None),
    ]


def test_crlf_and_tabs_keep_columns() -> None:
    text = "Title\r\n=====\r\n\r\n\tSee https://a.example/.\r\n"
    assert rows(text) == [(4, 6, "bare", "https://a.example/")]


# --------------------------------------------------------------------- against docutils


_HREF = re.compile(r'(?:href|src)="([^"#][^"]*)"')


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "`a <https://x.example/?a=1&b=2>`_ and https://y.example/path_(x) end.\n",
        "Email joe@example.org and mailto:joe@example.org.\n",
        ".. figure:: a.png\n   :target: b.html\n\n   cap https://cap.example/\n",
        "| line block https://lb.example/\n| two `t <https://t.example/>`__\n",
        "Term\n   Definition with `d <d.rst>`_.\n\n.. [#] Footnote https://fn.example/\n\n[#]_\n",
        "=====  =====\nA      B\n=====  =====\nx_     https://tbl.example/\n=====  =====\n\n"
        ".. _x: https://x.example/\n",
    ],
)
def test_the_same_destinations_docutils_writes_into_its_html(text: str) -> None:
    """docutils' own HTML writer is the reference: every href/src it writes from the
    article (not its own `#` ids) is a link found here, and no other."""
    html = publish_string(
        text,
        writer="html5",
        settings_overrides={
            "report_level": 5,
            "file_insertion_enabled": False,
            "embed_stylesheet": False,
            "stylesheet_path": "",
            "output_encoding": "unicode",
        },
    )
    body = str(html).split("<body>", 1)[1]
    wanted = sorted(
        u.replace("&amp;", "&") for u in _HREF.findall(body) if not u.startswith("mailto:")
    )
    got = sorted(
        x.url
        for x in links(text)
        if not x.url.startswith(("#", "mailto:")) and x.kind is not Kind.INCLUDE and not x.unused
    )
    assert got == wanted


# ----------------------------------------------------------------------------- Sphinx


SPHINX_INDEX = dedent(
    """\
    Home
    ====

    See :doc:`guide/install`, :doc:`Gone <nothere>`, :doc:`/guide/myst` and
    :ref:`install-label`, :ref:`genindex`, :download:`data <data/x.csv>`, :py:func:`os`.

    .. toctree::
       :maxdepth: 2

       guide/install
       Other <guide/gone>
       https://ext.example/

    .. versionadded:: 1.0 See https://va.example/.

    .. seealso::

       `Docs <https://see.example/>`_

    .. literalinclude:: code.py
       :language: python
    """
)


def test_under_sphinx_roles_and_toctree_entries_name_documents() -> None:
    assert rows_as(SPHINX_INDEX, "sphinx") == [
        (4, 5, "xref", "guide/install"),
        (4, 27, "xref", "nothere"),
        (4, 50, "xref", "/guide/myst"),
        (5, 40, "xref", "data/x.csv"),
        (10, 4, "xref", "guide/install"),
        (11, 4, "xref", "guide/gone"),
        (12, 4, "inline", "https://ext.example/"),
        (14, 27, "bare", "https://va.example/"),
        (18, 4, "inline", "https://see.example/"),
        (20, 1, "include", "code.py"),
    ]


def test_without_sphinx_its_roles_are_no_links() -> None:
    assert rows_as(":doc:`install` and :ref:`x`.\n", "github") == []


def test_under_rst_epilog_an_undefined_reference_is_not_claimed_broken() -> None:
    assert rows_as("Use common_.\n", "sphinx") == [(1, 5, "reference", "")]
    assert rows_as("Use common_.\n", "sphinx-epilog") == []


def rows_as(text: str, dialect: str) -> list[tuple[int, int, str, str]]:
    return [
        (x.line, x.column, x.kind.value, x.url) for x in extract_rst(text, "a.rst", dialect).links
    ]


@pytest.fixture
def sphinx_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    (docs / "guide").mkdir(parents=True)
    (docs / "conf.py").write_text("project = 'x'\nextensions = []\n")
    (docs / "guide" / "install.rst").write_text(
        "Install\n=======\n\n.. _install-label:\n\nGetting started\n---------------\n"
    )
    (docs / "guide" / "myst.md").write_text("# MyST\n")
    (docs / "code.py").write_text("x = 1\n")
    (docs / "index.rst").write_text(SPHINX_INDEX)
    (docs / "deploying").mkdir()
    (docs / "deploying" / "index.rst").write_text("Deploying\n=========\n")
    return tmp_path


def test_a_sphinx_project_s_documents_resolve_as_its_site_serves_them(sphinx_project: Path) -> None:
    report = linkcheck.check(["docs/index.rst"], Options(offline=True))
    rows = [(r.link.line, r.link.url, r.status.value) for r in report.results]
    assert rows == [
        (4, "guide/install", "ok"),
        (4, "nothere", "broken"),
        (4, "/guide/myst", "ok"),
        (5, "data/x.csv", "broken"),
        (10, "guide/install", "ok"),
        (11, "guide/gone", "broken"),
        (12, "https://ext.example/", "skipped"),
        (14, "https://va.example/", "skipped"),
        (18, "https://see.example/", "skipped"),
        (20, "code.py", "ok"),
    ]
    assert report.generators == (("sphinx", "docs/conf.py"),)


def test_a_conf_py_that_is_not_sphinx_s_is_no_sphinx_project(sphinx_project: Path) -> None:
    (sphinx_project / "docs" / "conf.py").write_text("DEBUG = True\n")
    report = linkcheck.check(["docs/index.rst"], Options(offline=True))
    assert not any(r.link.kind is Kind.XREF for r in report.results)


def test_a_fragment_into_an_rst_file_is_checked_against_its_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target.rst").write_text("Title\n=====\n\n.. _label:\n\nPart\n----\n")
    (tmp_path / "a.md").write_text(
        "[a](target.rst#part) [b](target.rst#label) [c](target.rst#nope)\n"
    )
    report = linkcheck.check(["a.md"], Options(offline=True))
    assert [r.status.value for r in report.results] == ["ok", "ok", "broken"]


def test_a_folder_s_index_document_is_its_index_page(sphinx_project: Path) -> None:
    page = sphinx_project / "docs" / "guide" / "page.rst"
    page.write_text(":doc:`/deploying/index` and :doc:`../deploying/index`.\n")
    report = linkcheck.check(["docs/guide/page.rst"], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("/deploying/index", "ok"),
        ("../deploying/index", "ok"),
    ]
