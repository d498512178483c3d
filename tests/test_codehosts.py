"""Code hosts' file views (#22): where the raw file is, what a line anchor names."""

from __future__ import annotations

import pytest

from linkcheck._remote._codehosts import (
    line_count,
    line_range,
    markdown_anchors,
    raw_file_url,
)
from linkcheck._remote._walls import is_framed, is_proof_of_work_wall, player_status


@pytest.mark.parametrize(
    ("view", "raw"),
    [
        ("https://github.com/o/r/blob/main/docs/a.md", "https://github.com/o/r/raw/main/docs/a.md"),
        ("https://ghe.corp.example/o/r/blob/v1.2/a.py#L3", "https://ghe.corp.example/o/r/raw/v1.2/a.py"),
        ("https://gitlab.com/g/sub/r/-/blob/master/C.md", "https://gitlab.com/g/sub/r/-/raw/master/C.md"),
        ("https://codeberg.org/o/r/src/branch/main/a.md", "https://codeberg.org/o/r/raw/branch/main/a.md"),
        ("https://bitbucket.org/t/r/src/master/README.md", "https://bitbucket.org/t/r/raw/master/README.md"),
        ("https://github.com/o/r", None),
        ("https://docs.example/guide/blob", None),
    ],
)  # fmt: skip
def test_the_raw_file_behind_a_file_view(view: str, raw: str | None) -> None:
    assert raw_file_url(view) == raw


def test_a_view_is_a_page_that_links_to_its_raw_files() -> None:
    view = "https://code.example/o/r/blob/main/a.md"
    assert raw_file_url(view, b'<a href="/o/r/raw/main/a.md">Raw</a>') is not None
    assert raw_file_url(view, b'"rawBlobUrl":"https://code.example/o/r/raw/refs/heads/main/a.md"')
    assert raw_file_url(view, b"<p>A blog whose paths look like a code host's.</p>") is None


@pytest.mark.parametrize(
    ("fragment", "lines"),
    [("L119", (119, 119)), ("L10-L20", (10, 20)), ("L10-20", (10, 20)),
     ("lines-12", (12, 12)), ("lines-12:20", (12, 20)), ("L12-abc", None), ("install", None)],
)  # fmt: skip
def test_line_anchors(fragment: str, lines: tuple[int, int] | None) -> None:
    assert line_range(fragment) == lines


def test_lines_and_heading_ids_of_a_raw_file() -> None:
    assert (line_count(""), line_count("a\n"), line_count("a\nb")) == (0, 1, 2)
    anchors = markdown_anchors("# Intro\n\n## A & B\n\n<a name='x'></a>\n")
    assert {"intro", "a--b", "a-b", "x"} <= anchors  # GitHub's slug and GitLab's


def test_pages_that_hide_their_content_from_a_client_without_scripts() -> None:
    anubis = b'<script id="anubis_challenge" type="application/json">{}</script>'
    assert is_proof_of_work_wall(b"<html><head>" + anubis + b"</head></html>")
    assert not is_proof_of_work_wall(b"<p>An article about Anubis, the Egyptian god.</p>")
    assert is_framed(b'<frameset cols="20%,80%"><frame src="a.html"></frameset>')
    assert is_framed(b'<body><iframe src="/redoc.html"></iframe></body>')
    assert not is_framed(b"<body><p>" + b"An article with a video. " * 40 + b"<iframe></iframe>")


def test_a_video_pages_own_data_says_whether_it_plays() -> None:
    gone = b'{"playabilityStatus":{"status":"ERROR","reason":"Video unavailable"}}'
    private = b'{"playabilityStatus": {"status": "LOGIN_REQUIRED", "reason": "Private \\u2014 x"}}'
    assert player_status(gone) == ("ERROR", "Video unavailable")
    assert player_status(private) == ("LOGIN_REQUIRED", "Private \u2014 x")
    assert player_status(b'{"playabilityStatus":{"status":"OK"}}') is None
    assert player_status(b"<p>playabilityStatus ERROR, explained</p>") is None


def test_a_page_that_declares_itself_gone() -> None:
    from linkcheck._remote._walls import declared_gone

    assert declared_gone(b'<head><meta http-equiv="Status" content="410 GONE" /></head>') == 410
    assert declared_gone(b"<head><meta http-equiv=status content='404 Not Found'></head>") == 404
    assert declared_gone(b'<meta http-equiv="Status" content="200 OK">') is None
    assert declared_gone(b'<meta http-equiv="refresh" content="410; url=/">') is None
