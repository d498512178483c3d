"""--drift, --preserve, any Memento TimeGate, and the rot by year, end to end.

Three dated articles (tests/citations/) cite a loopback site whose pages are the drift
corpus's pairs: the archive stand-in holds each page as it was cited, the site serves it
as it is now. Known drifted, stable, dead and unarchived citations; nothing leaves
127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from archive_standin import CAPTURED_AT, Archive, serve_archive
from drift_corpus import pairs
from linkcheck._cli import run
from servers import Route, serve

CITATIONS = Path(__file__).parent / "citations"
PAIRS = {pair.name: pair for pair in pairs()}
#: Site path -> (corpus pair, snapshot timestamp): the page then (archived) and now (live).
CITED = {
    "/council": ("0-redesigned", "20150301000000"),
    "/flood": ("1-replaced", "20150301000000"),
    "/bakery": ("3-trimmed", "20180515000000"),  # (a parked page is dead, not drifted)
    "/tram": ("4-corrected", "20180515000000"),
    "/hospital": ("5-rewritten", "20210901000000"),
    "/shipwreck": ("2-same", "20210901000000"),
}
DRIFTED = {"/flood", "/bakery", "/hospital"}
#: Working citations with no snapshot within a year of their article's date.
UNARCHIVED = {"/", "/unarchived-1", "/unarchived-2", "/blocked-page", "/museum"}
KEYS = {"IA_S3_ACCESS_KEY": "AKsecret1", "IA_S3_SECRET_KEY": "SKsecret2"}


def _html(text: str) -> Route:
    return Route(headers={"Content-Type": "text/html; charset=utf-8"}, body=text.encode())


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    routes = {path: _html(PAIRS[name].now) for path, (name, _) in CITED.items()}
    plain = "<html><head><title>{0}</title></head><body><p>{0}</p></body></html>"
    for path in ("/", "/unarchived-1", "/unarchived-2", "/blocked-page", "/museum"):
        routes[path] = _html(plain.format(path))
    routes["/dead-1"] = Route(404)
    routes["/dead-2"] = Route(410)
    with serve(routes) as site:
        s = f"http://127.0.0.1:{site.port}"
        archive = Archive(behaviour={"blocked-page": "blocked"})
        for path, (name, stamp) in CITED.items():
            archive.snapshots[f"{s}{path}"] = {stamp: PAIRS[name].then}
        # A later copy of the flood page as it is now: drift must go by the copy as cited.
        archive.snapshots[f"{s}/flood"]["20240101000000"] = PAIRS["1-replaced"].now
        archive.snapshots[f"{s}/dead-1"] = {"20150201000000": "<html>inquiry</html>"}
        archive.snapshots[f"{s}/unarchived-2"] = {"20230101000000": "<html>later</html>"}
        with serve_archive(archive):
            for article in CITATIONS.glob("*.md"):
                (tmp_path / article.name).write_text(article.read_text().format(site=s))
            yield tmp_path, s, archive


def _flags(archive: Archive, *more: str) -> list[str]:
    return [
        "--no-progress", "--retries", "0", "--archive-url", archive.base,
        "--archive-interval", "0", "--preserve-interval", "0.05", "--preserve-wait", "2",
        "--report", "json:r.json", *more, ".",
    ]  # fmt: skip


def _rows(folder: Path) -> tuple[dict[str, dict], dict]:
    report = json.loads((folder / "r.json").read_text())
    return {row["url"]: row for row in report["links"]}, report


def test_drift_flags_exactly_the_drifted_citations(world) -> None:
    folder, s, archive = world
    assert run([*_flags(archive, "--drift", "--no-cache")]) == 1  # the dead ones fail
    rows, report = _rows(folder)
    flagged = {url.removeprefix(s) for url, row in rows.items() if "drift" in row}
    assert flagged == DRIFTED
    flood = rows[f"{s}/flood"]["drift"]
    assert set(flood) == {"similarity", "archived_url", "title_then", "title_now"}
    assert flood["archived_url"] == f"{archive.base}/web/20150301000000/{s}/flood"
    assert flood["title_then"].startswith("Council approves") is False
    assert flood["title_then"].startswith("Storm floods harbour district")
    assert flood["title_now"].startswith("Researchers find ancient shipwreck")
    assert 0.0 <= flood["similarity"] < 0.65
    assert report["summary"]["drift"] == {
        "compared": 6,
        "drifted": 3,
        "not_judged": {"a home page": 1, "no snapshot before the article's date": 4},
    }
    # The snapshot was read as captured (id_), not with the archive's banner.
    assert any("20150301000000id_/" in path for _, path, _ in archive.requests)
    years = report["summary"]["citations_by_year"]
    assert {y: c["drifted"] for y, c in years.items()} == {"2015": 1, "2018": 1, "2021": 1}
    assert "preserved" not in json.dumps(report["links"])


def test_drift_verdicts_are_remembered_by_the_result_cache(world) -> None:
    folder, _, archive = world
    run([*_flags(archive, "--drift", "--cache-path", "c.db")])
    first, _ = _rows(folder)
    before = len(archive.requests)
    run([*_flags(archive, "--drift", "--cache-path", "c.db")])
    again, report = _rows(folder)
    assert {u: r.get("drift") for u, r in again.items()} == {
        u: r.get("drift") for u, r in first.items()
    }
    assert not any("id_/" in path for _, path, _ in archive.requests[before:])  # no page again
    assert report["summary"]["drift"]["drifted"] == 3


def test_a_higher_threshold_flags_more(world) -> None:
    folder, s, archive = world
    run([*_flags(archive, "--drift", "--drift-threshold", "0.99", "--no-cache")])
    rows, _ = _rows(folder)
    flagged = {url.removeprefix(s) for url, row in rows.items() if "drift" in row}
    assert flagged == DRIFTED | {"/council"}  # a redesign; an appended update keeps it all


def test_preserve_captures_exactly_the_unarchived_working_citations(
    world, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, s, archive = world
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    assert run([*_flags(archive, "--preserve", "--archive", "--cache-path", "c.db")]) == 1
    rows, report = _rows(folder)
    asked = {url.removeprefix(s) for _, _, url, _ in archive.captures}
    assert asked == UNARCHIVED
    assert all(auth == "LOW AKsecret1:SKsecret2" for *_, auth in archive.captures)
    stamps = [at for at, *_ in archive.captures]
    assert all(b - a >= 0.045 for a, b in itertools.pairwise(stamps))  # paced
    preserved = {
        url.removeprefix(s): row["preserved"] for url, row in rows.items() if "preserved" in row
    }
    assert preserved.pop("/blocked-page") == {
        "error": "error:blocked-url: Blocked.",
        "permanent": True,
    }
    assert preserved == {
        path: {"url": f"{archive.base}/web/{CAPTURED_AT}/{s}{path}", "timestamp": CAPTURED_AT}
        for path in UNARCHIVED - {"/blocked-page"}
    }
    years = report["summary"]["citations_by_year"]
    assert years == {
        "2015": {"dead": 1, "drifted": 0, "rescued": 1, "preserved": 2},
        "2018": {"dead": 1, "drifted": 0, "rescued": 0, "preserved": 1},
        "2021": {"dead": 0, "drifted": 0, "rescued": 0, "preserved": 1},
    }
    # The result cache remembers the captures: a second run asks for none of them again.
    before = len(archive.captures)
    run([*_flags(archive, "--preserve", "--cache-path", "c.db")])
    assert archive.captures[before:] == []  # a permanent refusal is remembered too
    assert _rows(folder)[0][f"{s}/blocked-page"]["preserved"]["permanent"] is True
    rows, _ = _rows(folder)
    assert rows[f"{s}/museum"]["preserved"]["timestamp"] == CAPTURED_AT
    # The keys are nowhere: not in the reports, the cache, or anything printed.
    for path in folder.iterdir():
        data = path.read_bytes()
        assert b"AKsecret1" not in data and b"SKsecret2" not in data, path


def test_preserve_without_keys_uses_the_anonymous_endpoint(world) -> None:
    folder, s, archive = world
    run([*_flags(archive, "--preserve", "--no-cache")])
    assert {(method, auth) for _, method, _, auth in archive.captures} == {("GET", None)}
    rows, _ = _rows(folder)
    assert rows[f"{s}/museum"]["preserved"] == {
        "url": f"{archive.base}/web/{CAPTURED_AT}/{s}/museum",
        "timestamp": CAPTURED_AT,
    }


@pytest.mark.parametrize(
    ("kind", "error", "permanent"),
    [
        ("unavailable", "error:service-unavailable: Service unavailable for URL", False),
        ("pending", "the capture did not finish within 2 s", False),
        ("blocked", "error:blocked-url: Blocked.", True),
    ],
)
def test_every_job_failure_is_reported_and_classified(
    world, monkeypatch: pytest.MonkeyPatch, kind: str, error: str, permanent: bool
) -> None:
    folder, s, archive = world
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    archive.behaviour = {"unarchived-1": kind, "blocked-page": "blocked"}
    run([*_flags(archive, "--preserve", "--no-cache")])
    rows, _ = _rows(folder)
    got = rows[f"{s}/unarchived-1"]["preserved"]
    assert got["error"].startswith(error) and got["permanent"] is permanent
    assert rows[f"{s}/museum"]["preserved"]["timestamp"] == CAPTURED_AT  # the run went on


@pytest.mark.parametrize("kind", ["session-limit", "ratelimit"])
def test_a_quota_stops_the_captures_and_never_shows_the_keys(
    world, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    folder, s, archive = world
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    archive.behaviour = {"unarchived-1": kind}  # the first capture the run asks for
    run([*_flags(archive, "--preserve", "--cache-path", "c.db", "--format", "json")])
    out = capsys.readouterr()
    rows, _ = _rows(folder)
    errors = {u.removeprefix(s): r["preserved"] for u, r in rows.items() if "preserved" in r}
    assert len({url for _, _, url, _ in archive.captures}) == 2  # "/" then the quota: no more
    assert all(not e.get("url") and e["permanent"] is False for p, e in errors.items() if p != "/")
    assert "not asked" in errors["/museum"]["error"]
    for text in (out.out, out.err, (folder / "r.json").read_text()):
        assert "AKsecret1" not in text and "SKsecret2" not in text
    assert b"SKsecret2" not in (folder / "c.db").read_bytes()


@pytest.mark.parametrize("bare", [False, True])
def test_a_memento_timegate_serves_rescue_drift_and_preservation(world, bare: bool) -> None:
    folder, s, archive = world
    archive.bare_timegate = bare
    timegate = f"{archive.base}/timegate"
    flags = _flags(archive, "--archive", "--drift", "--preserve", "--no-cache")
    flags[flags.index("--archive-url") + 1] = timegate
    run(flags)
    rows, _report = _rows(folder)
    assert {u.removeprefix(s) for u, r in rows.items() if "drift" in r} == DRIFTED
    assert rows[f"{s}/dead-1"]["archive"] == {
        "url": f"{archive.base}/web/20150201000000/{s}/dead-1",
        "timestamp": "20150201000000",
    }
    asked = {url.removeprefix(s) for _, _, url, _ in archive.captures}
    assert asked == UNARCHIVED
    assert rows[f"{s}/museum"]["preserved"] == {  # the memento the TimeGate names for it
        "url": f"{archive.base}/web/{CAPTURED_AT}/{s}/museum",
        "timestamp": CAPTURED_AT,
    }
    assert any(path.startswith("/timegate/save") for _, path, _ in archive.requests)
    assert not any(path.startswith(("/wayback", "/cdx")) for _, path, _ in archive.requests)
    assert any(h.get("accept-datetime") for _, _, h in archive.requests)
    # With datetimes in its Link header, the TimeGate's answer is enough; without, each
    # memento it points at is asked for its Memento-Datetime.
    asked_mementos = any(re.match(r"/web/\d{14}/", path) for _, path, _ in archive.requests)
    assert asked_mementos is bare


# --- --fix: opted-in rewrites, byte for byte ------------------------------------------


def test_fix_drift_points_drifted_citations_at_their_snapshot(world) -> None:
    folder, s, archive = world
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    crlf = folder / "2018-bakery.md"
    crlf.write_bytes(before["2018-bakery.md"].replace(b"\n", b"\r\n"))  # kept as it is
    run([*_flags(archive, "--drift", "--no-cache", "--fix", "--fix-drift")])
    expected = {name: data for name, data in before.items()}
    expected["2018-bakery.md"] = expected["2018-bakery.md"].replace(b"\n", b"\r\n")
    for path, stamp in (("/flood", "20150301000000"), ("/bakery", "20180515000000"),
                        ("/hospital", "20210901000000")):  # fmt: skip
        name = next(n for n, data in expected.items() if f"{s}{path})".encode() in data)
        snapshot = f"{archive.base}/web/{stamp}/{s}{path}"
        expected[name] = expected[name].replace(f"{s}{path})".encode(), f"{snapshot})".encode())
    assert {p.name: p.read_bytes() for p in folder.glob("*.md")} == expected
    rows, _ = _rows(folder)
    assert rows[f"{s}/flood"]["fix"] == {
        "to": f"{archive.base}/web/20150301000000/{s}/flood",
        "why": "drifted: archived copy as cited from 2015-03-01",
        "applied": True,
    }


def test_without_fix_drift_a_drifted_citation_is_left_alone(world) -> None:
    folder, _, archive = world
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    run([*_flags(archive, "--drift", "--no-cache", "--fix")])
    assert {p.name: p.read_bytes() for p in folder.glob("*.md")} == before


def test_fix_preserved_writes_a_link_after_each_markdown_citation(
    world, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, s, archive = world
    before = {p.name: p.read_text() for p in folder.glob("*.md")}
    flags = _flags(
        archive, "--preserve", "--cache-path", "c.db", "--fix", "--fix-preserved", "link"
    )
    run(flags)
    copy = f"{archive.base}/web/{CAPTURED_AT}/{s}"
    expected = dict(before)
    for name, old, new in [
        ("2015-budget.md", f"({s}/)", f"({s}/) ([archived 2026-12-07]({copy}/))"),
        ("2015-budget.md", f"({s}/unarchived-1)", f"({s}/unarchived-1) ([archived 2026-12-07]({copy}/unarchived-1))"),
        ("2018-bakery.md", f"({s}/unarchived-2)", f"({s}/unarchived-2) ([archived 2026-12-07]({copy}/unarchived-2))"),
    ]:  # fmt: skip
        expected[name] = expected[name].replace(old, new)
    assert {p.name: p.read_text() for p in folder.glob("*.md")} == expected
    assert "1 preserved copy(ies) not written: no place beside the link" in capsys.readouterr().err
    run(flags)  # again, from the cache: nothing is added twice
    assert {p.name: p.read_text() for p in folder.glob("*.md")} == expected


def test_fix_preserved_robust_links_on_html_anchors(world) -> None:
    folder, s, archive = world
    before = {p.name: p.read_text() for p in folder.glob("*.md")}
    flags = _flags(archive, "--preserve", "--cache-path", "c.db", "--fix")
    run([*flags, "--fix-preserved", "robust-links"])
    expected = dict(before)
    anchor = f'<a href="{s}/museum">'
    robust = (
        f'<a href="{s}/museum" data-versionurl="{archive.base}/web/{CAPTURED_AT}/{s}/museum" '
        'data-versiondate="2026-12-07">'
    )
    expected["2021-hospital.md"] = expected["2021-hospital.md"].replace(anchor, robust)
    assert {p.name: p.read_text() for p in folder.glob("*.md")} == expected
    run([*flags, "--fix-preserved", "robust-links"])
    assert {p.name: p.read_text() for p in folder.glob("*.md")} == expected


def test_a_link_header_with_commas_in_its_datetimes() -> None:
    from linkcheck._remote._memento import _mementos

    header = (
        '<http://a.example/x>; rel="original", <http://tg.example/timemap/x>; rel="timemap"; '
        'type="application/link-format", <http://tg.example/20150301000000/x>; '
        'rel="first memento"; datetime="Sun, 01 Mar 2015 00:00:00 GMT", '
        '<http://tg.example/20240101000000/x>; rel="last memento"; datetime="Mon, 01 Jan 2024 00:00:00 GMT"'
    )
    found = [(when.year, url) for when, url in _mementos(header, "http://tg.example/x")]
    assert found == [
        (2015, "http://tg.example/20150301000000/x"),
        (2024, "http://tg.example/20240101000000/x"),
    ]


def test_a_page_cited_in_articles_of_different_dates_is_captured_once(world) -> None:
    folder, s, archive = world
    (folder / "2024-again.md").write_text(
        f"---\ndate: 2024-01-05\n---\nSee [notes]({s}/unarchived-1).\n"
    )
    run([*_flags(archive, "--preserve", "--no-cache")])
    assert [url for _, _, url, _ in archive.captures].count(f"{s}/unarchived-1") == 1
    report = json.loads((folder / "r.json").read_text())
    years = report["summary"]["citations_by_year"]
    assert years["2015"]["preserved"] == 2 and years["2024"]["preserved"] == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("drift_threshold = 1.5", "'drift_threshold' must be a number from 0 to 1, not 1.5"),
        ('fix_preserved = "wiki"', "'fix_preserved' must be one of none, link, robust-links"),
    ],
)
def test_bad_settings_are_one_line_usage_errors(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "linkcheck.toml").write_text(config + "\n")
    (tmp_path / "a.md").write_text("x\n")
    assert run(["--offline", "a.md"]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_the_threshold_default_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--drift-threshold X Drift is a similarity below X (0–1). [default: 0.65]" in help_text
