"""Drift, preservation and the rot by year in every report format: the fields, the
words, the warning level, and no markup or escape from a stranger's page title."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from io import StringIO

import pytest

from conftest import make_result
from linkcheck import Report, Status
from linkcheck._merge import merge_files
from linkcheck._models import Archived, Drift, DriftSummary, Preserved
from linkcheck._report import WRITERS
from linkcheck._report.load import report_from_dict

HOSTILE = "<script>alert(1)</script>\x1b[31m"
SNAPSHOT = "https://web.archive.org/web/20150301000000/https://news.example/flood?token=s3cr3t"


def _report() -> Report:
    drifted = replace(
        make_result("https://news.example/flood", file="2015.md", line=3),
        drift=Drift(0.05, SNAPSHOT, "Storm floods harbour", HOSTILE, "20150301000000"),
    )
    kept = replace(
        make_result("https://news.example/notes", file="2015.md", line=4),
        preserved=Preserved(
            "https://web.archive.org/web/20261207120000/https://news.example/notes",
            "20261207120000",
        ),
    )
    refused = replace(
        make_result("https://news.example/tracker", file="2018.md", line=2),
        preserved=Preserved(error="error:blocked-url: Blocked.", permanent=True),
    )
    dead = make_result(
        "https://news.example/gone", Status.BROKEN, "404 Not Found", file="2018.md", line=5,
        archive=Archived("https://web.archive.org/web/2018/https://news.example/gone", "20180101000000"),
    )  # fmt: skip
    return Report(
        files=("2015.md", "2018.md"),
        results=(drifted, kept, refused, dead),
        dates={"2015.md": ("2015-03-10", "front matter"), "2018.md": ("2018-06-01", "dateline")},
    )


def _written(name: str, report: Report | None = None) -> str:
    out = StringIO()
    WRITERS[name](report or _report(), out, color=False)
    return out.getvalue()


def test_json_carries_the_specs_fields_and_reads_back() -> None:
    document = json.loads(_written("json"))
    rows = {row["url"]: row for row in document["links"]}
    assert rows["https://news.example/flood"]["drift"] == {
        "similarity": 0.05,
        "archived_url": SNAPSHOT.replace("s3cr3t", "***"),
        "title_then": "Storm floods harbour",
        "title_now": HOSTILE,
    }
    assert "drift" not in rows["https://news.example/notes"]
    assert rows["https://news.example/notes"]["preserved"] == {
        "url": "https://web.archive.org/web/20261207120000/https://news.example/notes",
        "timestamp": "20261207120000",
    }
    assert rows["https://news.example/tracker"]["preserved"] == {
        "error": "error:blocked-url: Blocked.",
        "permanent": True,
    }
    assert document["summary"]["citations_by_year"] == {
        "2015": {"dead": 0, "drifted": 1, "rescued": 0, "preserved": 1},
        "2018": {"dead": 1, "drifted": 0, "rescued": 1, "preserved": 0},
    }
    again = json.loads(_written("json", report_from_dict(document)))
    assert again["links"] == document["links"]
    assert again["summary"]["citations_by_year"] == document["summary"]["citations_by_year"]


def test_the_drift_summary_reads_back_and_two_shards_merge_into_its_sum(tmp_path) -> None:
    whole = _report()
    first = replace(
        whole,
        results=whole.results[:2],
        drift=DriftSummary(3, 1, (("a home page", 1), ("no snapshot before the date", 2))),
    )
    second = replace(
        whole, results=whole.results[2:], drift=DriftSummary(4, 0, (("a home page", 5),))
    )
    names = []
    for index, part in enumerate((first, second)):
        path = tmp_path / f"part-{index}.json"
        path.write_text(_written("json", part), encoding="utf-8")
        names.append(str(path))
        assert report_from_dict(json.loads(path.read_text())).drift == part.drift
    merged = json.loads(_written("json", merge_files(names)))
    assert merged["summary"]["drift"] == {
        "compared": 7,
        "drifted": 1,
        "not_judged": {"a home page": 6, "no snapshot before the date": 2},
    }


@pytest.mark.parametrize("name", ["text", "markdown", "github", "sarif", "junit", "html", "csv"])
def test_every_format_says_a_citation_drifted(name: str) -> None:
    written = _written(name)
    assert ("drift_similarity" if name == "csv" else "drifted") in written
    assert "web.archive.org/web/20150301000000" in written
    assert "s3cr3t" not in written
    if name != "csv":  # a data format: values as they are, like the link text column
        assert "\x1b" not in written
    if name == "html":  # markup only where markup is read; text elsewhere
        assert "<script>alert" not in written and "&lt;script&gt;alert" in written


def test_the_ci_formats_make_a_drifted_citation_a_warning() -> None:
    sarif = json.loads(_written("sarif"))
    levels = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["level"]
              for r in sarif["runs"][0]["results"]}  # fmt: skip
    assert levels[3] == "warning"
    assert re.search(r"^::warning file=2015\.md,line=3,.*drifted", _written("github"), re.M)
    junit = ET.fromstring(_written("junit"))
    assert any("drifted" in (node.text or "") for node in junit.iter("system-out"))
    assert _report().failures == tuple(r for r in _report().results if r.status is Status.BROKEN)


def test_the_html_report_draws_the_rot_by_year() -> None:
    page = _written("html")
    chart = page[page.index('aria-label="Citations by year') :]
    chart = chart[: chart.index("</svg>")]
    assert "2015: 0 dead, 1 drifted, 0 rescued, 1 preserved" in chart
    assert chart.count('class="r-dead"') == 2 and chart.count('class="r-preserved"') == 2
    assert "style=" not in chart  # the page's CSP allows no inline style
    assert "captured 2026-12-07" in page and "not captured (for good)" in page
    no_dates = replace(_report(), dates={})
    assert "Citations by year" not in _written("html", no_dates)


def test_the_rot_chart_in_a_browser(tmp_path) -> None:
    from browser import chromium, png_colours

    page = tmp_path / "report.html"
    page.write_text(_written("html"))
    with chromium() as driver:
        driver.get(page.as_uri())
        widths = driver.execute_script(
            "return [...document.querySelectorAll('.rot svg rect')].map(r => r.getBBox().width)"
        )
        assert len(widths) == 8 and max(widths) > 100 and min(widths) > 0
        figure = driver.find_element("css selector", "figure.rot")
        assert figure.size["width"] > 600  # the whole row: years and bars readable
        assert png_colours(figure.screenshot_as_png) > 6  # four measures' colours, text
        legend = driver.find_element("css selector", "figure.rot .legend").text
        assert legend.split() == ["dead", "drifted", "rescued", "preserved"]


def test_sarif_gives_every_warning_a_rule_even_on_a_working_link() -> None:
    from linkcheck._models import Cause, Outcome

    unverified = make_result(
        "https://a.example/#x",
        Outcome(Status.OK, "fragment not verified", cause=Cause.FRAGMENT_UNVERIFIED),
    )
    report = replace(_report(), results=(*_report().results, unverified))
    run = json.loads(_written("sarif", report))["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert [(r["ruleId"], rules[r["ruleIndex"]]) for r in run["results"]] == [
        ("drifted", "drifted"),
        ("broken", "broken"),
        ("ok", "ok"),
    ]


def test_csv_carries_drift_and_preservation_in_columns_of_their_own() -> None:
    import csv as csv_module

    rows = {row["url"]: row for row in csv_module.DictReader(StringIO(_written("csv")))}
    flood = rows["https://news.example/flood"]
    assert (flood["drift_similarity"], flood["drift_title_then"]) == (
        "0.05",
        "Storm floods harbour",
    )
    assert flood["drift_archived_url"] == SNAPSHOT.replace("s3cr3t", "***")
    assert rows["https://news.example/notes"]["preserved_timestamp"] == "20261207120000"
    refused = rows["https://news.example/tracker"]
    assert (refused["preserved_error"], refused["preserved_permanent"]) == (
        "error:blocked-url: Blocked.",
        "true",
    )
    assert rows["https://news.example/gone"]["drift_similarity"] == ""
