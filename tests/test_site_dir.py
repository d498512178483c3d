"""`--site DIR`: markdown links judged against what a real build produced.

tests/sites/mkdocs-built/ holds a MkDocs project and the HTML pages `mkdocs build` made
of it (bench/build_site_fixture.py), so no test needs MkDocs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import linkcheck
from linkcheck import Options, Status
from linkcheck._cli import command

FIXTURE = Path(__file__).parent / "sites" / "mkdocs-built"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(FIXTURE, copy)
    # A repository, as the fixture is in: mkdocs.yml above `docs` is then found.
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    monkeypatch.chdir(copy)
    return copy


def verdicts(**options: object) -> dict[tuple[str, int, str], Status]:
    report = linkcheck.check(["docs"], Options(offline=True, **options))  # type: ignore[arg-type]
    return {(r.link.file, r.link.line, r.link.url): r.status for r in report.results}


def test_the_build_decides_what_source_rules_cannot_know(project: Path) -> None:
    source = verdicts()
    built = verdicts(site="site")
    # A hook rewrites `old-name.md` to `guide.md` at build time: only the build knows.
    # (By the source rules it fails, or is unverified where the hook is recognised.)
    assert source["docs/index.md", 5, "old-name.md#install"] in (Status.BROKEN, Status.UNVERIFIED)
    assert built["docs/index.md", 5, "old-name.md#install"] is Status.OK
    # `../README.md` is on disk but outside docs_dir: never published.
    assert source["docs/index.md", 8, "../README.md"] is Status.OK
    assert built["docs/index.md", 8, "../README.md"] is Status.BROKEN
    # What both agree on stays as it was, each at its markdown line.
    for key in (
        ("docs/index.md", 3, "guide.md"),
        ("docs/index.md", 3, "guide.md#install"),
        ("docs/index.md", 4, "guide.md#custom-id"),
        ("docs/index.md", 7, "ref/api.md#functions"),
        ("docs/index.md", 7, "img/logo.png"),
        ("docs/guide.md", 9, "#install"),
        ("docs/ref/api.md", 5, "../guide.md#install"),
    ):
        assert source[key] is built[key] is Status.OK, key
    for key in (
        ("docs/index.md", 6, "missing.md"),
        ("docs/ref/api.md", 5, "../nowhere.md"),
    ):
        assert source[key] is built[key] is Status.BROKEN, key
    # The hook might give guide.md that anchor, as far as the source rules can tell
    # (unverified, issue 21); the build says it did not.
    assert source["docs/index.md", 6, "guide.md#nope"] is Status.UNVERIFIED
    assert built["docs/index.md", 6, "guide.md#nope"] is Status.BROKEN


def test_reasons_name_the_built_page_and_what_it_lacks(project: Path) -> None:
    report = linkcheck.check(["docs"], Options(offline=True, site="site"))
    reasons = {r.link.url: r.outcome.reason for r in report.results}
    assert reasons["guide.md#nope"] == "no anchor #nope in the built site/guide/index.html"
    assert reasons["../README.md"] == (
        "not in the built site: site/index.html links to ../README.md, no file at /README.md"
    )


def test_a_link_the_build_does_not_show_is_judged_by_the_source_rules(project: Path) -> None:
    # The page is missing from the output: nothing to trace, the source rules decide.
    (project / "site" / "index.html").unlink()
    built = verdicts(site="site")
    assert built["docs/index.md", 5, "old-name.md#install"] is source_verdict(project)
    assert built["docs/index.md", 8, "../README.md"] is Status.OK
    # A link whose text and destination match nothing on its built page: the same.
    page = project / "site" / "guide" / "index.html"
    page.write_text(page.read_text().replace('href="../ref/api/"', 'href="../elsewhere/"'))
    built = verdicts(site="site")
    assert built["docs/guide.md", 9, "ref/api.md"] is Status.BROKEN  # traced: the build's
    page.write_text(page.read_text().replace(">the API<", ">an API<"))
    page.write_text(page.read_text().replace('href="../elsewhere/"', 'href="../ref/other/"'))
    assert verdicts(site="site")["docs/guide.md", 9, "ref/api.md"] is Status.OK


def source_verdict(project: Path) -> Status:
    return verdicts()["docs/index.md", 5, "old-name.md#install"]


def test_site_flag_and_key(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(command, ["--offline", "--no-cache", "--site", "site", "docs"])
    assert result.exit_code == 1
    assert "old-name.md" not in result.stdout  # ok now, so not listed
    missing = runner.invoke(command, ["--offline", "--no-cache", "--site", "nope", "docs"])
    assert missing.exit_code == 2
    assert missing.stderr == "linkcheck: error: --site is not a folder: nope\n"
    (project / "linkcheck.toml").write_text('site = "site"\n')
    assert verdicts(**linkcheck_toml_site(project))["docs/index.md", 8, "../README.md"] is (
        Status.BROKEN
    )


def linkcheck_toml_site(project: Path) -> dict[str, object]:
    from linkcheck._config import load_settings

    return {"site": load_settings({}, None, project).options.site}
