"""The article's own date: front matter, dateline, git, or what the user says."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from linkcheck._dates import article_date, parse_dateline


@pytest.mark.parametrize(
    ("line", "order", "expected"),
    [
        ("30/09/2015", "dmy", date(2015, 9, 30)),
        ("30/09/2015", "mdy", date(2015, 9, 30)),  # only one reading is possible
        ("03/04/2015", "dmy", date(2015, 4, 3)),
        ("03/04/2015", "mdy", date(2015, 3, 4)),
        ("Published 2015-09-30 at noon", "dmy", date(2015, 9, 30)),
        ("September 30, 2015", "dmy", date(2015, 9, 30)),
        ("Sept. 3rd 2015", "dmy", date(2015, 9, 3)),
        ("30 Sep 2015", "dmy", date(2015, 9, 30)),
        ("30.09.2015", "dmy", date(2015, 9, 30)),
        ("31/02/2015", "dmy", None),
        ("No date here, only 2015 and 30 things", "dmy", None),
    ],
)
def test_datelines(line: str, order: str, expected: date | None) -> None:
    assert parse_dateline(line, order) == expected


def test_front_matter_wins_over_a_dateline() -> None:
    text = "---\ntitle: x\ndate: '2016-03-14T10:00:00Z'\n---\n\n01/01/2000\n"
    assert article_date(text, None) == (date(2016, 3, 14), "front matter")


def test_dateline_near_the_top_like_a_wire_story() -> None:
    text = "Pentagon to open lines\n\n30/09/2015\n\n\n\nBody text.\n"
    assert article_date(text, None) == (date(2015, 9, 30), "dateline")


def test_a_date_deep_in_the_body_is_not_a_dateline() -> None:
    text = "\n".join(f"paragraph {i}" for i in range(30)) + "\n30/09/2015\n"
    assert article_date(text, None) == (None, "none")


def test_override_and_git(tmp_path: Path) -> None:
    assert article_date("30/09/2015", None, override=date(2020, 1, 2)) == (
        date(2020, 1, 2),
        "override",
    )
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "GIT_AUTHOR_DATE": "2014-06-07T12:00:00+00:00", "HOME": str(tmp_path)}  # fmt: skip
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=env)
    (tmp_path / "a.md").write_text("no date\n")
    subprocess.run(["git", "add", "a.md"], cwd=tmp_path, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=tmp_path, check=True, env=env)
    assert article_date("no date\n", str(tmp_path / "a.md")) == (date(2014, 6, 7), "git")
    assert article_date("no date\n", str(tmp_path / "untracked.md")) == (None, "none")
