"""Citation rescue end to end: a dated article, dead links, an archive stand-in, --fix."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from linkcheck._cli import run
from servers import Route, redirect, serve

ARTICLE = """Ministers agree to reopen channels over the harbour

30/09/2015

"This afternoon," the spokesperson said. Talks resume <http://>

{short}
The importance of clear communication has grown.

[READ MORE: ministers meet port chiefs](#)

See [the agreement]({site}/moved "Agreement"), the [2014 story]({site}/old-story),
the [inquiry]({site}/dead) and the [memo]({site}/lost).
"""


def fake_archive(snapshots: dict[str, list[str]], base: list[str]):
    """The availability and CDX APIs over a fixed set of 200 snapshots."""

    def handler(path: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        stamps = sorted(snapshots.get(query["url"], []))
        if parts.path == "/wayback/available":
            wanted = query.get("timestamp", "99999999")
            nearest = min(stamps, key=lambda s: abs(int(s[:8]) - int(wanted[:8])), default=None)
            closest = {} if nearest is None else {"closest": {
                "available": True, "status": "200", "timestamp": nearest,
                "url": f"{base[0]}/web/{nearest}/{query['url']}"}}  # fmt: skip
            return (
                200,
                {"Content-Type": "application/json"},
                json.dumps({"archived_snapshots": closest}).encode(),
            )
        rows = [["urlkey", "timestamp", "original", "statuscode"]] + [
            ["k", s, query["url"], "200"] for s in stamps if s[:8] <= query["to"]
        ]
        return (
            200,
            {"Content-Type": "application/json"},
            json.dumps(rows if len(rows) > 1 else []).encode(),
        )

    return Route(handler=handler)


@pytest.fixture
def world(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    site_routes = {
        "/": Route(body=b"home"),
        "/story": Route(),
        "/new": Route(),
        "/moved": redirect("/new", 301),
        "/old-story": redirect("/", 301),
        "/dead": Route(404),
        "/lost": Route(410),
    }
    with serve(site_routes) as site:
        s = f"http://localhost:{site.port}"
        with serve({"/s1": redirect(f"{s}/story")}) as short:
            base: list[str] = []
            snapshots = {
                f"{s}/old-story": ["20150101000000", "20150929120000", "20161001000000"],
                f"{s}/dead": ["20170505000000"],  # only after the article's date
            }
            with serve(
                {
                    "/wayback/available": fake_archive(snapshots, base),
                    "/cdx/search/cdx": fake_archive(snapshots, base),
                }
            ) as archive:
                base.append(f"http://127.0.0.1:{archive.port}")
                text = ARTICLE.format(short=f"{short.url('/s1')}", site=s)
                (tmp_path / "story.md").write_text(text)
                yield tmp_path, s, short, base[0], text, archive


FLAGS = [
    "--no-cache",
    "--no-progress",
    "--retries",
    "0",
    "--shortener",
    "127.0.0.1",
    "--archive",
    "--archive-interval",
    "0",
]


def test_archive_fix_dry_run_then_fix(world, capsys) -> None:
    folder, s, short, archive, text, archive_server = world
    args = [*FLAGS, "--archive-url", archive, "--report", "json:r.json", "story.md"]
    assert run([*args, "--fix", "--dry-run"]) == 1
    diff = capsys.readouterr().out
    assert (folder / "story.md").read_text() == text  # nothing written
    after = (
        text.replace(short.url("/s1"), f"{s}/story")
        .replace(f"({s}/moved ", f"({s}/new ")
        .replace(f"({s}/old-story)", f"({archive}/web/20150929120000/{s}/old-story)")
        .replace(f"({s}/dead)", f"({archive}/web/20170505000000/{s}/dead)")
    )
    import difflib

    expected = "".join(
        difflib.unified_diff(
            text.splitlines(True), after.splitlines(True), "a/story.md", "b/story.md"
        )
    )
    assert diff == expected
    report = json.loads((folder / "r.json").read_text())
    assert report["articles"] == [
        {"file": "story.md", "date": "2015-09-30", "date_source": "dateline"}
    ]
    rows = {row["url"]: row for row in report["links"]}
    assert rows[f"{s}/old-story"]["reason"] == "redirects to the site's home page"
    assert rows[f"{s}/old-story"]["archive"] == {
        "url": f"{archive}/web/20150929120000/{s}/old-story",
        "timestamp": "20150929120000",
    }
    assert rows[f"{s}/lost"]["archive"] is None
    assert rows[f"{s}/old-story"]["fix"] == {
        "to": f"{archive}/web/20150929120000/{s}/old-story",
        "why": "archived copy from 2015-09-29",
        "applied": False,
    }
    assert "fix" not in rows["#"] and "fix" not in rows[f"{s}/lost"]
    # And --fix writes exactly what the dry run showed.
    assert run([*args, "--fix"]) == 1
    assert (folder / "story.md").read_text() == after
    # Nothing was asked of any host but the local stand-ins.
    assert all(
        path.startswith(("/wayback/available", "/cdx/search/cdx"))
        for _, path in archive_server.hits
    )


def test_a_cached_rescue_is_the_archive_s_own(world, tmp_path) -> None:
    """The archive's answer is cached per archive: after --archive-url names another
    (a mirror, a stand-in), its own answer is asked for, not the first one's reused."""
    folder, s, _, archive, _, _ = world
    flags = [f for f in FLAGS if f != "--no-cache"]
    cache = ["--cache-path", str(tmp_path / "cache.db"), "--format", "json"]
    first = [*flags, *cache, "--archive-url", archive, "-o", "a.json", "story.md"]
    assert run(first) == 1
    rows = {row["url"]: row for row in json.loads((folder / "a.json").read_text())["links"]}
    assert rows[f"{s}/old-story"]["archive"]["url"].startswith(archive)
    empty: list[str] = []
    other_routes = {
        "/wayback/available": fake_archive({}, empty),
        "/cdx/search/cdx": fake_archive({}, empty),
    }
    with serve(other_routes) as other:
        empty.append(f"http://127.0.0.1:{other.port}")
        second = [*flags, *cache, "--archive-url", empty[0], "-o", "b.json", "story.md"]
        assert run(second) == 1
    rows = {row["url"]: row for row in json.loads((folder / "b.json").read_text())["links"]}
    assert rows[f"{s}/old-story"]["archive"] is None  # the other archive has no copy
