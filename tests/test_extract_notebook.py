"""Jupyter notebooks: the markdown cells' links, at their line and column in the file."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

import linkcheck
from linkcheck import Options
from linkcheck._extract._notebook import extract_notebook, notebook_problem
from linkcheck._models import Kind, Link


def notebook(*cells: dict) -> str:
    """A notebook as nbformat itself writes it (indent 1, escapes as json.dumps makes)."""
    book = new_notebook()
    book.cells = list(cells)
    return nbformat.writes(book)


def links(text: str) -> list[Link]:
    return list(extract_notebook(text, "n.ipynb").links)


def at(text: str, link: Link) -> str:
    return text.split("\n")[link.line - 1][link.column - 1 :]


def written(text: str, link: Link) -> str:
    assert link.dest is not None
    return text.split("\n")[link.dest.line - 1][link.dest.start : link.dest.end]


def test_positions_count_the_file_s_own_characters_through_json_escapes() -> None:
    cell = new_markdown_cell(
        '# Intro "quoted"\n\nSee [docs](https://docs.example/a "t") and é '
        "https://bare.example/x.\n\nTabbed\t<https://auto.example/> ✓ [z](z.md)"
    )
    text = notebook(cell)
    found = links(text)
    assert [(x.kind.value, x.url) for x in found] == [
        ("inline", "https://docs.example/a"),
        ("bare", "https://bare.example/x"),
        ("autolink", "https://auto.example/"),
        ("inline", "z.md"),
    ]
    starts = ["[docs]", "https://bare", "<https://auto", "[z]"]
    for link, start in zip(found, starts, strict=True):
        assert at(text, link).startswith(start), (link, at(text, link))
        assert written(text, link) == link.url
    # The escaped `\"` before the first link shifts it in the file, not in the cell.
    line = text.split("\n")[found[0].line - 1]
    assert line.index("[docs]") + 1 == found[0].column


def test_escapes_inside_a_destination_give_no_rewritable_span() -> None:
    text = notebook(new_markdown_cell('[q](https://a.example/"x")'))
    (link,) = links(text)
    assert link.url == 'https://a.example/"x"'
    assert link.dest is None  # written `\"` in the file: not rewritten byte-exact there


def test_unicode_escapes_and_surrogate_pairs_are_one_character_each() -> None:
    cell = new_markdown_cell("é😀 [x](https://u.example/)")
    text = json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    assert "\\ud83d\\ude00" in text  # ensure_ascii: the emoji is written as a pair
    (link,) = links(text)
    assert at(text, link).startswith("[x](")
    assert written(text, link) == "https://u.example/"


def test_a_cell_source_as_one_string_and_crlf_files() -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": "a\r\nb [x](y.md)"}
    text = json.dumps({"cells": [cell], "nbformat": 4, "nbformat_minor": 5, "metadata": {}})
    text = text.replace(", ", ",\r\n")
    (link,) = links(text)
    assert at(text.replace("\r\n", "\n"), link).startswith("[x](y.md)")


def test_code_cells_outputs_and_raw_cells_are_not_read_unless_markdown() -> None:
    code = new_code_cell("print('https://code.example/')")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": '<a href="https://out.example/">o</a>'}
        )
    ]
    raw_md = new_raw_cell("[r](https://raw-md.example/)")
    raw_md.metadata["format"] = "text/markdown"
    raw_html = new_raw_cell('<a href="https://raw-html.example/">h</a>')
    raw_html.metadata["format"] = "text/html"
    text = notebook(code, raw_md, raw_html)
    assert [x.url for x in links(text)] == ["https://raw-md.example/"]


def test_attachments_are_settled_by_the_cell() -> None:
    cell = new_markdown_cell("![a](attachment:a.png) ![b](attachment:b.png)")
    cell["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    text = notebook(cell)
    found = links(text)
    assert [(x.kind, x.label, x.undefined) for x in found] == [
        (Kind.ATTACHMENT, "a.png", False),
        (Kind.ATTACHMENT, "b.png", True),
    ]


def test_headings_answer_to_github_slugs_and_jupyter_ids() -> None:
    text = notebook(new_markdown_cell("# My Heading\n\n## Über uns"))
    anchors = extract_notebook(text, "n.ipynb").anchors
    assert {"my-heading", "My-Heading", "über-uns", "Über-uns"} <= anchors


def test_ignore_comments_map_to_the_file_s_lines() -> None:
    text = notebook(new_markdown_cell("<!-- linkcheck-ignore -->\n[x](https://a.example/)"))
    (link,) = links(text)
    assert link.ignored_by is not None
    assert "linkcheck-ignore" in text.split("\n")[link.ignored_by - 1]


def test_nbformat_3_worksheets() -> None:
    cell = {"cell_type": "markdown", "metadata": {}, "source": ["[x](https://v3.example/)"]}
    text = json.dumps({"worksheets": [{"cells": [cell]}], "nbformat": 3, "metadata": {}})
    assert [x.url for x in links(text)] == ["https://v3.example/"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{", "not a Jupyter notebook: invalid JSON"),
        ("[1, 2]", "not a Jupyter notebook: its JSON is not an object"),
    ],
)
def test_a_file_that_is_no_notebook_is_said_once(text: str, why: str) -> None:
    assert (notebook_problem(text) or "").startswith(why)


def test_end_to_end_verdicts_and_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cell = new_markdown_cell("# Top\n\n![a](attachment:a.png) ![b](attachment:b.png) [t](#top)")
    cell["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    (tmp_path / "good.ipynb").write_text(notebook(cell, new_markdown_cell("[m](missing.md)")))
    (tmp_path / "bad.ipynb").write_text("{not json")
    report = linkcheck.check(["good.ipynb", "bad.ipynb"], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("attachment:a.png", "ok"),
        ("attachment:b.png", "broken"),
        ("#top", "ok"),
        ("missing.md", "broken"),
    ]
    assert [(i.file, i.message.split(" (")[0]) for i in report.file_issues] == [
        ("bad.ipynb", "not a Jupyter notebook: invalid JSON")
    ]
