"""--fix rewrites only certain destinations, only the destination, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkcheck._cli import run
from linkcheck._fix import write_atomically
from servers import Route, redirect, serve


@pytest.fixture
def sites():
    """A site on localhost, and a shortener on 127.0.0.1 that points into it."""
    routes = {
        "/story": Route(),
        "/new": Route(),
        "/temp-target": Route(),
        "/dead": Route(404),
        "/moved": redirect("/moved2", 301),
        "/moved2": redirect("/new", 308),
        "/temp": redirect("/temp-target", 302),
    }
    with serve(routes) as site:
        dest = f"http://localhost:{site.port}"
        shortener = {"/s1": redirect(f"{dest}/story"), "/s2": redirect(f"{dest}/story", 302)}
        with serve(shortener) as short:
            yield short, dest


def article(short: object, dest: str, newline: str = "\n") -> str:
    s = short.url  # type: ignore[attr-defined]
    lines = [
        f'A [shortlink]({s("/s1")} "Title stays") and <{s("/s2")}> and bare {s("/s1")}#part here.',
        f"Moved for good: [old]({dest}/moved); moved for now: [temp](<{dest}/temp>).",
        f"Cited twice: [one][ref] and [two][ref]. Dead: [gone]({dest}/dead). Stand-in: [x](#).",
        "",
        f"[ref]: {s('/s1')}",
    ]
    return newline.join(lines) + newline


def expected(dest: str, newline: str = "\n") -> str:
    lines = [
        f'A [shortlink]({dest}/story "Title stays") and <{dest}/story> and bare {dest}/story#part here.',
        f"Moved for good: [old]({dest}/new); moved for now: [temp](<{dest}/temp>).",
        f"Cited twice: [one][ref] and [two][ref]. Dead: [gone]({dest}/dead). Stand-in: [x](#).",
        "",
        f"[ref]: {dest}/story",
    ]
    return newline.join(lines) + newline


FLAGS = ["--no-cache", "--no-progress", "--retries", "0", "--shortener", "127.0.0.1"]


def test_dry_run_prints_the_diff_and_changes_nothing(
    sites, tmp_path: Path, monkeypatch, capsys
) -> None:
    short, dest = sites
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(article(short, dest))
    before = (tmp_path / "a.md").read_bytes()
    code = run([*FLAGS, "--fix", "--dry-run", "--report", "json:r.json", "a.md"])
    diff = capsys.readouterr().out
    assert code == 1  # the dead link and the stand-in still fail
    assert (tmp_path / "a.md").read_bytes() == before
    assert diff.startswith("--- a/a.md\n+++ b/a.md\n")
    assert f"+[ref]: {dest}/story\n" in diff
    fixes = [row.get("fix") for row in json.loads((tmp_path / "r.json").read_text())["links"]]
    assert {"to": f"{dest}/story", "why": "shortlink expanded", "applied": False} in fixes
    assert {"to": f"{dest}/new", "why": "permanent redirect", "applied": False} in fixes


@pytest.mark.parametrize(("newline", "bom"), [("\n", b""), ("\r\n", b"\xef\xbb\xbf"), ("\r", b"")])
def test_fix_writes_exactly_the_new_destinations(
    sites, tmp_path: Path, monkeypatch, capsys, newline: str, bom: bytes
) -> None:
    short, dest = sites
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_bytes(bom + article(short, dest, newline).encode())
    assert run([*FLAGS, "--fix", "--report", "json:r.json", "a.md"]) == 1
    assert (tmp_path / "a.md").read_bytes() == bom + expected(dest, newline).encode()
    rows = json.loads((tmp_path / "r.json").read_text())["links"]
    applied = [row["fix"] for row in rows if "fix" in row]
    assert len(applied) == 6  # 3 shortlinks, the permanent redirect, the reference's 2 uses
    assert all(fix["applied"] for fix in applied)
    # Five destinations written: the definition once for its two uses.
    assert "linkcheck: fixed 5 link(s) in 1 file(s)\n" in capsys.readouterr().err


def test_a_file_edited_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"edited by someone else\n")
    assert not write_atomically(path, b"fixed\n", read=b"what linkcheck read\n")
    assert path.read_bytes() == b"edited by someone else\n"
    assert write_atomically(path, b"fixed\n", read=b"edited by someone else\n")
    assert path.read_bytes() == b"fixed\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]  # no temporary file left


def test_dry_run_without_fix_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("[a](https://a.example/)\n")
    assert run(["--offline", "--no-cache", "--dry-run", "a.md"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "linkcheck: error: --dry-run goes with --fix (it shows the diff --fix would write)"
    ]
    assert (tmp_path / "a.md").read_text() == "[a](https://a.example/)\n"


@pytest.mark.parametrize(
    "new",
    [
        "https://x.test/wiki/Python_(language)",  # balanced
        "https://x.test/a)b",  # would end an inline destination
        "https://x.test/a(b",  # would leave it open
        "https://x.test/a b<c>\"d'&e",
    ],
)
def test_a_rewritten_destination_reads_back_as_the_new_url(new: str) -> None:
    from urllib.parse import unquote

    from linkcheck import Kind, extract
    from linkcheck._fix import Fix, apply_fixes

    text = (
        '[t](https://old.test/1 "T") ![i](https://old.test/2) <https://old.test/3>\n'
        '<a href="https://old.test/4">h</a> [r][ref]\n\n[ref]: https://old.test/5\n'
    )
    before = extract(text, "a.md").links
    fixes = [
        Fix("a.md", x.dest, x.url, new, "permanent redirect", x.kind) for x in before if x.dest
    ]
    fixed, skipped = apply_fixes(text.encode(), fixes)
    assert skipped == []
    after = extract(fixed.decode(), "a.md").links
    assert [x.kind for x in after] == [x.kind for x in before]
    assert [unquote(x.url) for x in after] == [new] * len(after)
    kept = [(x.text, y.text) for x, y in zip(before, after, strict=True) if x.kind != Kind.AUTOLINK]
    assert all(old == now for old, now in kept)  # text and title kept
    assert fixed.decode().startswith("[t](https://x.test/") and ' "T") ![i](' in fixed.decode()
    assert Kind.REFERENCE in {x.kind for x in after}


def _formats(dest: str) -> dict[str, tuple[str, str]]:
    """An article in each format that cites a permanently moved page, and the same
    article as --fix must leave it (only the destination changed)."""
    moved, new = f"{dest}/moved", f"{dest}/new"
    notebook = (
        '{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "metadata": {},\n'
        f'   "source": ["# \\"Q\\" é\\n", "See [old]({moved}) now."]\n'
        '  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'
    )
    return {
        "a.rst": (
            f"Title\n=====\n\nSee `old <{moved}>`_ and moved_.\n\n.. _moved: {moved}\n",
            f"Title\n=====\n\nSee `old <{new}>`_ and moved_.\n\n.. _moved: {new}\n",
        ),
        "a.adoc": (
            f"= T\n:url-old: {moved}\n\nSee {moved}[old], {{url-old}}[again] and link:{moved}[x].\n",
            f"= T\n:url-old: {new}\n\nSee {new}[old], {{url-old}}[again] and link:{new}[x].\n",
        ),
        "a.ipynb": (notebook, notebook.replace(moved, new)),
        "a.mdx": (
            f'import X from "./a.mdx"\n\n<Link to="{moved}">old</Link>\n\nSee [md]({moved}).\n',
            f'import X from "./a.mdx"\n\n<Link to="{new}">old</Link>\n\nSee [md]({new}).\n',
        ),
    }


@pytest.mark.parametrize("name", ["a.rst", "a.adoc", "a.ipynb", "a.mdx"])
def test_fix_rewrites_each_format_in_place(sites, tmp_path: Path, monkeypatch, name: str) -> None:
    _, dest = sites
    monkeypatch.chdir(tmp_path)
    before, after = _formats(dest)[name]
    (tmp_path / name).write_text(before)
    assert run([*FLAGS, "--fix", name]) == 0
    assert (tmp_path / name).read_text() == after
