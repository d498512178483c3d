"""The HTML report at scale: file size, generation time, and load time in a browser.

    python bench/html_report.py [--problems 10000]

Writes 1,000 articles to bench/out/html/ with 10 failing links each (placeholders and
missing local files, among ordinary prose and working links), checks them offline with
`linkcheck.check`, and times `write_html` (median of 3, source lines read from disk).
Then opens the page in headless Chromium (Debian's, network blocked, as the browser
tests do) and reports the time to the load event, to the filters being ready, and for
one status filter and one search. Also prints the markdown summary's size.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import linkcheck  # noqa: E402
from browser import chromium  # noqa: E402 - the browser tests' launcher, network blocked
from linkcheck._report.html import write_html  # noqa: E402
from linkcheck._report.markdown import write_markdown  # noqa: E402

OUT = HERE / "out" / "html"
PROSE = "The harbour authority said the schedules would be compared before the storm season. "


def write_corpus(problems: int) -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    per_article = 10
    for number in range(problems // per_article):
        lines = [f"# Article {number}", ""]
        for i in range(per_article):
            dead = (
                f"[READ MORE: story {i}](#)" if i % 2 else f"[the report](missing/{number}-{i}.md)"
            )
            lines += [PROSE * 2, f"As reported, {dead} and [the index](../index.md).", ""]
        folder = OUT / f"section-{number % 20:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{number:04d}.md").write_text("\n".join(lines))
    (OUT / "index.md").write_text("# Index\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=10_000)
    problems = parser.parse_args().problems
    write_corpus(problems)
    os.chdir(OUT)
    report = linkcheck.check(["."], linkcheck.Options(offline=True))
    failing = len(report.failures)
    timings = []
    for _ in range(3):
        page = io.StringIO()
        started = time.perf_counter()
        write_html(report, page)
        timings.append(time.perf_counter() - started)
    html = page.getvalue()
    (OUT / "report.html").write_text(html, encoding="utf-8")
    summary = io.StringIO()
    write_markdown(report, summary)
    print(f"{failing} failing links in {len(report.files)} files")
    print(f"HTML: {len(html.encode()) / 1e6:.1f} MB, written in {statistics.median(timings):.2f} s")
    print(f"markdown summary: {len(summary.getvalue().encode())} bytes")
    with chromium() as driver:
        started = time.perf_counter()
        driver.get((OUT / "report.html").as_uri())
        loaded = time.perf_counter() - started
        load_event = driver.execute_script(
            "const t = performance.getEntriesByType('navigation')[0];"
            "return [t.domContentLoadedEventEnd, t.loadEventEnd];"
        )
        ready = driver.execute_script("return !document.getElementById('filters').hidden")
        filter_ms = driver.execute_script(
            "const box = document.querySelector('input[name=status][value=placeholder]');"
            "const t0 = performance.now(); box.click(); return performance.now() - t0;"
        )
        search_ms = driver.execute_script(
            "document.getElementById('show-all').click();"
            "const q = document.querySelector('input[name=q]'); q.value = 'story 3';"
            "const t0 = performance.now(); q.dispatchEvent(new Event('input', {bubbles: true}));"
            "return performance.now() - t0;"
        )
        shown = driver.execute_script(
            "return [...document.querySelectorAll('li.p')].filter(r => !r.hidden).length"
        )
    print(
        f"Chromium: get() returned in {loaded:.2f} s; DOMContentLoaded {load_event[0] / 1000:.2f} s, "
        f"load {load_event[1] / 1000:.2f} s; filters ready: {ready}"
    )
    print(f"status filter {filter_ms:.0f} ms; first search {search_ms:.0f} ms ({shown} rows match)")


if __name__ == "__main__":
    main()
