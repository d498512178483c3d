"""The row cache (_rows.py): an unchanged article whose links read only unchanged files
comes back as it was reported, not classified nor resolved again. Every dependency of a
row has a test here that fails when it is not followed: a warm report must be the report
a run without any cache writes."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linkcheck
import linkcheck._extract._articles as articles
from linkcheck._classify import Classifier
from linkcheck._local import LocalResolver
from linkcheck._models import Report, Status
from linkcheck._report.json import write_json
from linkcheck._shard import Shard

OPTIONS = linkcheck.Options(offline=True, cache_path="cache.db")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    # Files written a moment ago are trusted (else each is too recent to be signed).
    monkeypatch.setattr(articles, "RACY_NS", 0)
    return tmp_path


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The articles classified (so judged) from the moment it is asked for."""
    seen: list[str] = []
    real = Classifier.classify_all

    def counted(self: Classifier, links: object, source: linkcheck.Source) -> object:
        seen.append(source.display)
        return real(self, links, source)  # type: ignore[arg-type]

    monkeypatch.setattr(Classifier, "classify_all", counted)
    return seen


def run(options: linkcheck.Options = OPTIONS) -> Report:
    return linkcheck.check(["docs"], options)


def cold(options: linkcheck.Options = OPTIONS) -> Report:
    """The same run without any cache: what every warm run must say."""
    return linkcheck.check(["docs"], linkcheck.Options(**{**_fields(options), "cache_path": None}))


def _fields(options: linkcheck.Options) -> dict[str, object]:
    import dataclasses

    return {f.name: getattr(options, f.name) for f in dataclasses.fields(options)}


def json_of(report: Report) -> str:
    out = io.StringIO()
    write_json(report, out)
    return out.getvalue()


def status_of(report: Report, url: str) -> Status:
    return next(r.status for r in report.results if r.link.url == url)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stored(folder: Path) -> int:
    with sqlite3.connect(folder / "cache.db") as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE name = 'article_rows'")
        if tables.fetchone() is None:
            return 0
        return db.execute("SELECT count(*) FROM article_rows").fetchone()[0]


def test_a_warm_run_judges_nothing_and_writes_the_same_report(
    folder: Path, judged: list[str]
) -> None:
    write(folder / "docs/a.md", "# A\n\n[b](b.md#one) [x](gone.md) [d](sub/) [s](#a)\n")
    write(
        folder / "docs/b.md",
        "# B\n\n## One\n\n[a][r]\n\n[r]: a.md\n<!-- linkcheck-ignore-start -->\n",
    )
    (folder / "docs/sub").mkdir()
    first = run()
    assert sorted(judged) == ["docs/a.md", "docs/b.md"]
    judged.clear()
    warm = run()
    assert judged == []
    assert json_of(warm) == json_of(first) == json_of(cold())
    assert warm.results == first.results  # and what --fix reads: where each URL is written
    assert warm.file_issues == first.file_issues  # the unclosed region, said again


def test_a_changed_anchor_in_another_file_rejudges_the_links_into_it(
    folder: Path, judged: list[str]
) -> None:
    write(folder / "docs/a.md", "# A\n\n[b](b.md#one)\n")
    write(folder / "docs/c.md", "# C\n\n[c](other.md)\n")
    b = write(folder / "docs/b.md", "# B\n\n## One\n")
    assert status_of(run(), "b.md#one") is Status.OK
    write(b, "# B\n\n## Two\n")
    judged.clear()
    warm = run()
    assert status_of(warm, "b.md#one") is Status.BROKEN
    assert sorted(judged) == ["docs/a.md", "docs/b.md"]  # c.md read nothing that changed
    assert json_of(warm) == json_of(cold())


def test_an_anchor_in_an_html_file_is_followed_too(folder: Path) -> None:
    write(folder / "docs/a.md", "# A\n\n[p](p.html#x)\n")
    page = write(folder / "docs/p.html", '<p id="x">x</p>')
    assert status_of(run(), "p.html#x") is Status.OK
    write(page, '<p id="y">x</p>')
    assert status_of(run(), "p.html#x") is Status.BROKEN


def test_a_target_created_or_deleted_rejudges_the_links_to_it(folder: Path) -> None:
    write(folder / "docs/a.md", "# A\n\n[n](new.md) [o](old.md)\n")
    old = write(folder / "docs/old.md", "# Old\n")
    report = run()
    assert (status_of(report, "new.md"), status_of(report, "old.md")) == (
        Status.BROKEN,
        Status.OK,
    )
    write(folder / "docs/new.md", "# New\n")
    old.unlink()
    report = run()
    assert (status_of(report, "new.md"), status_of(report, "old.md")) == (
        Status.OK,
        Status.BROKEN,
    )
    assert json_of(report) == json_of(cold())


def test_a_folder_gaining_an_index_holds_the_fragment_into_it(folder: Path) -> None:
    write(folder / "docs/a.md", "# A\n\n[g](guide/#intro)\n")
    (folder / "docs/guide").mkdir()
    assert status_of(run(), "guide/#intro") is Status.BROKEN
    write(folder / "docs/guide/index.md", "# Intro\n")
    assert status_of(run(), "guide/#intro") is Status.OK


def test_a_fallback_extension_file_appearing_is_followed(folder: Path) -> None:
    options = linkcheck.Options(offline=True, cache_path="cache.db", fallback_extensions=("md",))
    write(folder / "docs/a.md", "# A\n\n[x](page)\n")
    assert status_of(run(options), "page") is Status.BROKEN
    write(folder / "docs/page.md", "# Page\n")
    assert status_of(run(options), "page") is Status.OK


@pytest.mark.parametrize(
    "changed",
    [
        {"index_files": ("index.md",)},
        {"exclude": ("gone",)},
        {"fail_on": frozenset({Status.BROKEN, Status.EXCLUDED})},
        {"shard": Shard(2, 2)},
    ],
)
def test_a_changed_setting_rejudges_every_article(
    folder: Path, judged: list[str], changed: dict[str, object]
) -> None:
    write(folder / "docs/a.md", "# A\n\n[d](sub/) [g](gone.md)\n")
    (folder / "docs/sub").mkdir()
    run()
    other = linkcheck.Options(**{**_fields(OPTIONS), **changed})  # type: ignore[arg-type]
    judged.clear()
    warm = run(other)
    assert judged == ["docs/a.md"]
    assert json_of(warm) == json_of(cold(other))


def test_a_generator_config_that_appears_turns_the_row_cache_off(
    folder: Path, judged: list[str]
) -> None:
    """MkDocs serves `b.md` at `/b/`: a link broken on GitHub works under it."""
    write(folder / "docs/a.md", "# A\n\n[b](../b/)\n")
    write(folder / "docs/b.md", "# B\n")
    assert status_of(linkcheck.check(["."], OPTIONS), "../b/") is Status.BROKEN
    write(folder / "mkdocs.yml", "site_name: x\ndocs_dir: docs\n")
    judged.clear()
    warm = linkcheck.check(["."], OPTIONS)
    assert sorted(judged) == ["docs/a.md", "docs/b.md"]
    assert warm.generators == (("mkdocs", "mkdocs.yml"),)
    assert status_of(warm, "../b/") is Status.OK
    assert stored(folder) == 2  # the rows of the first run, not used and not replaced


def test_nothing_is_stored_under_a_generator(folder: Path) -> None:
    write(folder / "mkdocs.yml", "site_name: x\ndocs_dir: docs\n")
    write(folder / "docs/a.md", "# A\n\n[b](b.md)\n")
    linkcheck.check(["."], OPTIONS)
    assert stored(folder) == 0


def test_an_article_checked_online_is_judged_every_run(folder: Path) -> None:
    """Its remote verdict's age is the result cache's: here 0 s, so asked again."""
    write(folder / "docs/a.md", "# A\n\n[r](http://127.0.0.1:9/x)\n")
    write(folder / "docs/b.md", "# B\n")
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200 if len(asked) == 1 else 404)

    options = linkcheck.Options(cache_path="cache.db", cache_max_age=0, retries=0)
    transport = httpx.MockTransport(answer)
    first = linkcheck.check(["docs"], options, transport=transport)
    assert status_of(first, "http://127.0.0.1:9/x") is Status.OK
    assert stored(folder) == 1  # b.md only
    second = linkcheck.check(["docs"], options, transport=transport)
    assert status_of(second, "http://127.0.0.1:9/x") is Status.BROKEN
    assert len(asked) == 2


def test_the_citation_features_it_cannot_replay_turn_it_off(folder: Path) -> None:
    write(folder / "docs/a.md", "# A\n\n[b](b.md)\n")
    run(linkcheck.Options(offline=True, cache_path="cache.db", archive=True))
    assert stored(folder) == 0
    run()
    assert stored(folder) == 1


def test_a_resolver_that_is_not_watched_stores_nothing(folder: Path) -> None:
    """The other side of the seam: a local verdict whose reads were not recorded is no
    row to trust (a resolver replaced, a path not told)."""
    write(folder / "docs/a.md", "# A\n\n[b](b.md)\n")
    write(folder / "docs/c.md", "# C\n\n[web](https://a.example)\n")
    real = LocalResolver.check

    def unrecorded(self: LocalResolver, item: linkcheck.Classified) -> object:
        outcome = real(self, item)
        self.consulted.clear()
        return outcome

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LocalResolver, "check", unrecorded)
        run()
    assert stored(folder) == 1  # c.md, which has no local link


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "sub/index", "sub/d"]),
            st.sampled_from(["write", "delete"]),
            st.lists(st.sampled_from(["one", "two"]), max_size=2),
            st.lists(
                st.sampled_from(["a.md#one", "b.md#two", "c.md", "sub/", "sub/#one", "sub/d.md"]),
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_after_any_edits_a_warm_report_is_the_cold_one(
    folder: Path, edits: list[tuple[str, str, list[str], list[str]]]
) -> None:
    for path in folder.glob("docs/**/*.md"):
        path.unlink()
    (folder / "cache.db").unlink(missing_ok=True)
    write(folder / "docs/a.md", "# A\n\n## One\n\n[b](b.md#two) [s](sub/#one)\n")
    write(folder / "docs/b.md", "# B\n\n## Two\n\n[a](a.md#one)\n")
    write(folder / "docs/keep.md", "# Keep\n\n[a](a.md#one) [c](c.md) [i](sub/#one)\n")
    run()
    for name, action, headings, links in edits:
        path = folder / f"docs/{name}.md"
        if action == "delete":
            path.unlink(missing_ok=True)
        else:
            body = "".join(f"## {h.title()}\n\n" for h in headings)
            refs = " ".join(f"[x]({link})" for link in links)
            write(path, f"# {name}\n\n{body}{refs}\n")
        assert json_of(run()) == json_of(cold())


def test_a_missing_target_in_a_folder_that_just_changed_is_not_trusted(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file deleted while a run reads it leaves nothing to stat: its folder's times
    are what moved. A missing target in a folder changed within the tick is no row."""
    import time

    write(folder / "docs/a.md", "# A\n\n[g](sub/gone.md)\n")
    time.sleep(2.0)
    write(folder / "docs/sub/gone.md", "# Gone\n").unlink()  # the folder changes now
    monkeypatch.setattr(articles, "RACY_NS", 1_500_000_000)  # a.md is older than that
    assert status_of(run(), "sub/gone.md") is Status.BROKEN
    assert stored(folder) == 0
    monkeypatch.setattr(articles, "RACY_NS", 0)
    run()
    assert stored(folder) == 1
