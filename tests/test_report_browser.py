"""The HTML report in a real browser: headless Chromium, all network blocked.

The page is made by the CLI from articles with hostile link texts and file names, and
checked against the JSON report of the same run, after the page's script has run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, png_colours
from linkcheck._cli import run

PWN = "window.pwned=1"
EVIL_NAME = f"<img src=x onerror={PWN}>.md"
ARTICLES = {
    "news/harbour.md": (
        "# Harbour talks\n\n"
        "Ministers met <http://> on Monday.\r\n"
        "\t[READ MORE: the minister's statement](#)\r\n"
        "See [the 2014 agreement](agreements/2014.md) and [the map][map].\n"
        "[dead button](javascript:alert(document.domain)) and [stand-in](TODO).\n"
    ),
    EVIL_NAME: (
        f"Hostile: [<script>{PWN}</script>](#) and [<img src=x onerror={PWN}>](javascript:{PWN})\n"
        f'<a href="javascript:{PWN}">raw html <b onmouseover="{PWN}">link</b></a>\n'
        "![missing](img/none.png) and [fine](news/harbour.md)\n"
    ),
    "guide/index.md": "All [good](../news/harbour.md#harbour-talks).\n[broken anchor](#nowhere)\n",
}
FAILING = {"broken", "placeholder", "invalid", "timeout", "unreachable"}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("site")
    for name, text in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        code = run(
            ["--offline", "--no-cache", "-q", "--format", "json", "-o", "report.json",
             "--report", "html:report.html", "."]
        )  # fmt: skip
    assert code == 1
    return folder / "report.html", json.loads((folder / "report.json").read_text())


@pytest.fixture(scope="module")
def page(made: tuple[Path, dict[str, Any]]) -> Any:
    with chromium() as driver:
        driver.get(made[0].as_uri())
        yield driver


ROWS = "return [...document.querySelectorAll('li.p')].filter(r => r.offsetParent !== null).length"


def test_every_failing_occurrence_is_shown_with_its_line_url_and_status(
    page: Any, made: tuple[Path, dict[str, Any]]
) -> None:
    failing = [link for link in made[1]["links"] if link["status"] in FAILING]
    assert len(failing) >= 10
    rows = page.execute_script(
        "return [...document.querySelectorAll('li.p')].map(r => ({"
        "where: r.querySelector('.loc').textContent, status: r.dataset.s,"
        "url: (r.querySelector('.url') || {}).textContent, text: r.textContent,"
        "mark: (r.querySelector('pre.ctx mark') || {}).textContent,"
        "line: (r.querySelector('pre.ctx') || {}).textContent}))"
    )
    by_where = {row["where"]: row for row in rows}
    for link in failing:
        row = by_where[f"{link['file']}:{link['line']}:{link['column']}"]
        assert row["status"] == link["status"]
        assert row["url"] == (link["url"] or f"[{link['text']}]") or not link["url"]
        assert row["mark"], f"no marked link on {row['where']}"
        assert row["line"].startswith(f"line {link['line']}")  # its number, then the line
    assert by_where["news/harbour.md:4:2"]["mark"] == "[READ MORE: the minister's statement](#)"
    assert (
        by_where["news/harbour.md:4:2"]["line"]
        == "line 4\t[READ MORE: the minister's statement](#)"
    )


def test_nothing_from_an_article_runs_or_becomes_markup(page: Any) -> None:
    assert page.execute_script("return window.pwned") is None
    injected = page.execute_script(
        "return [...document.querySelectorAll('*')].filter(e =>"
        " e.tagName === 'IMG' || e.tagName === 'B' || [...e.attributes].some(a => a.name.startsWith('on')))"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert injected == []
    assert page.execute_script("return document.scripts.length") == 1
    text = page.execute_script("return document.body.textContent")
    assert f"<script>{PWN}</script>" in text and EVIL_NAME in text


def test_no_live_link_leaves_http_or_the_page(page: Any) -> None:
    hrefs = page.execute_script(
        "return [...document.querySelectorAll('[href], [src], [action], [formaction]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))"
    )
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs), hrefs
    assert not any(h.lower().startswith("http") for h in hrefs)  # every remote URL here is local


def test_charts_are_drawn(page: Any) -> None:
    bars = page.execute_script(
        "return [...document.querySelectorAll('.chart svg rect')].map(r => r.getBBox().width)"
    )
    assert len(bars) >= 4 and all(width > 0 for width in bars)
    charts = page.find_element("css selector", ".charts")
    assert png_colours(charts.screenshot_as_png) > 8  # bars in several colours, text, panels


def test_filters_narrow_and_show_all_brings_every_row_back(
    page: Any, made: tuple[Path, dict[str, Any]]
) -> None:
    listed = page.execute_script("return document.querySelectorAll('li.p').length")
    assert page.execute_script(ROWS) == listed  # every problem visible when the page opens
    placeholders = sum(1 for link in made[1]["links"] if link["status"] == "placeholder")
    page.find_element("css selector", "input[name=status][value=placeholder]").click()
    assert page.execute_script(ROWS) == placeholders
    assert page.find_element("id", "shown").text == f"Showing {placeholders} of {listed} problems"
    page.find_element("css selector", "input[name=status][value=broken]").click()
    broken = sum(1 for link in made[1]["links"] if link["status"] == "broken")
    assert page.execute_script(ROWS) == placeholders + broken
    page.find_element("id", "show-all").click()
    assert page.execute_script(ROWS) == listed

    search = page.find_element("css selector", "input[name=q]")
    search.send_keys("MINISTER'S")
    assert page.execute_script(ROWS) == 1
    # Sections with nothing left to show are hidden with their rows.
    assert (
        page.execute_script(
            "return [...document.querySelectorAll('section.art')].filter(s => s.offsetParent !== null).length"
        )
        == 1
    )
    page.find_element("id", "show-all").click()

    from selenium.webdriver.support.ui import Select

    Select(page.find_element("css selector", "select[name=article]")).select_by_visible_text(
        EVIL_NAME
    )
    in_file = sum(
        1 for link in made[1]["links"] if link["file"] == EVIL_NAME and link["status"] in FAILING
    )
    assert page.execute_script(ROWS) == in_file
    page.find_element("id", "show-all").click()
    assert page.execute_script(ROWS) == listed


def test_host_filter_and_the_keyboard(page: Any, made: tuple[Path, dict[str, Any]]) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    failing = [link for link in made[1]["links"] if link["status"] in FAILING]
    local = [f for f in failing if f["target"] and not f["target"].startswith("http")]
    Select(page.find_element("css selector", "select[name=host]")).select_by_visible_text(
        "(local files)"
    )
    assert 0 < page.execute_script(ROWS) == len(local)
    page.find_element("id", "show-all").click()
    # A status filter is a checkbox: space toggles it, and the rows follow.
    box = page.find_element("css selector", "input[name=status][value=broken]")
    box.send_keys(Keys.SPACE)
    assert page.execute_script("return document.activeElement.value") == "broken"
    assert page.execute_script(ROWS) == sum(1 for f in failing if f["status"] == "broken")
    box.send_keys(Keys.SPACE)
    assert page.execute_script(ROWS) == len(failing)


def test_dark_mode_and_print(page: Any) -> None:
    def emulate(**media: Any) -> None:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", media)

    background = "return getComputedStyle(document.documentElement).backgroundColor"
    filters = "return getComputedStyle(document.getElementById('filters')).display"
    try:
        emulate(features=[{"name": "prefers-color-scheme", "value": "light"}])
        assert page.execute_script(background) == "rgb(246, 247, 249)"
        emulate(features=[{"name": "prefers-color-scheme", "value": "dark"}])
        assert page.execute_script(background) == "rgb(20, 23, 28)"
        emulate(media="print")
        assert page.execute_script(background) == "rgb(255, 255, 255)"
        assert page.execute_script(filters) == "none"  # no controls on paper
    finally:
        emulate(media="", features=[])


def test_the_page_is_whole_without_javascript(made: tuple[Path, dict[str, Any]]) -> None:
    html = made[0].read_text()
    without = html.split("<script>")[0]
    assert '<form class="filters" id="filters" hidden' in without  # no dead controls
    assert without.count('<li class="p ') == sum(
        1 for link in made[1]["links"] if link["status"] in FAILING
    )


def test_a_screenshot_of_the_whole_page_is_not_blank(page: Any, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    page.set_window_size(1280, 1100)
    page.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert len(data) > 20_000
    header = page.find_element("css selector", "header.top")
    assert png_colours(header.screenshot_as_png) > 4
