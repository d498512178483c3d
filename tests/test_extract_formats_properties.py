"""Every format's parser on random jumbles of its own syntax: it never raises, every
position is inside the file, and every destination span holds exactly the URL (what
`--fix` relies on to rewrite byte-exact)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from linkcheck._extract._asciidoc import extract_asciidoc
from linkcheck._extract._mdx import extract_mdx
from linkcheck._extract._notebook import extract_notebook
from linkcheck._extract._rst import extract_rst
from linkcheck._models import Article

PIECES = [
    "`a <b>`_", "_", "__", ".. ", "::", "\n", "\n\n", "   ", "|x|", ".. |x| image:: a.png",
    ".. _t: http://x", "`", "<", ">", "http://a.example/", ":doc:`x`", ".. include:: a",
    "====", "----", "* ", "1. ", "\t", "[[a]]", "<<", ">>", "xref:a[", "link:", "image::",
    "{a}", ":a: b", "////", "++++", "+", "\\", "é", "\r\n", "<Link to='x'>",
    "import x from './a'", "```", "{", "}", "[x](y)", "😀", '"', "![i](attachment:a.png)",
    '[é](h"é)',
]  # fmt: skip


def notebook_of(text: str, ascii_only: bool) -> str:
    cell = {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(True)}
    book = {"cells": [cell], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}
    return json.dumps(book, ensure_ascii=ascii_only, indent=1)


PARSERS: dict[str, Callable[[str], Article]] = {
    "rst": lambda t: extract_rst(t, "a.rst", "sphinx"),
    "asciidoc": lambda t: extract_asciidoc(t, "a.adoc"),
    "mdx": lambda t: extract_mdx(t, "a.mdx"),
    "notebook": lambda t: extract_notebook(t, "a.ipynb"),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_positions_and_spans_hold_on_random_syntax(name: str) -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        if name == "notebook":
            text = notebook_of(text, rng.random() < 0.5)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for link in PARSERS[name](text).links:
            assert 1 <= link.line <= len(lines), (text, link)
            assert 1 <= link.column <= len(lines[link.line - 1]) + 1, (text, link)
            if link.dest is not None:
                line = lines[link.dest.line - 1]
                assert line[link.dest.start : link.dest.end] == link.url, (text, link)
