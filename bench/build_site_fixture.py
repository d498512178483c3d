"""Build tests/sites/mkdocs-built/ with the real MkDocs, for the `--site` tests.

    .venv/bin/pip install mkdocs && .venv/bin/python bench/build_site_fixture.py

Writes a tiny MkDocs project (sources, a hook that rewrites links as plugins and hooks
do) and keeps the HTML pages its build produced under `site/`, without the theme's
assets (CSS, JavaScript, fonts, search index), so the suite checks `--site` against a
real build without needing MkDocs. Run it again after changing the sources below.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "tests" / "sites" / "mkdocs-built"

FILES = {
    "mkdocs.yml": """site_name: Built fixture
use_directory_urls: true
markdown_extensions:
  - attr_list
  - toc:
      permalink: false
hooks:
  - hooks.py
nav:
  - index.md
  - guide.md
  - Reference: ref/api.md
""",
    # A hook like the ones real sites carry: a link to a renamed page is rewritten at
    # build time. Source rules cannot know; the build can.
    "hooks.py": """import re


def on_page_markdown(markdown, **kwargs):
    return re.sub(r"\\(old-name\\.md", "(guide.md", markdown)
""",
    "README.md": "# The repository\n\nNot part of the site.\n",
    "docs/index.md": """# Home

- [Guide](guide.md) and its [install section](guide.md#install).
- [A custom id](guide.md#custom-id) set with attr_list.
- [Renamed page](old-name.md#install), rewritten by the hook.
- [Missing page](missing.md) and [a missing anchor](guide.md#nope).
- [The API](ref/api.md#functions), [the logo](img/logo.png).
- [Outside the docs](../README.md): on disk, but never published.
""",
    "docs/guide.md": """# Guide

## Install

Text.

## Configure {#custom-id}

See [home](index.md) and [the API](ref/api.md) and [back up](#install).
""",
    "docs/ref/api.md": """# API

## Functions

[Guide](../guide.md#install) and [nowhere](../nowhere.md).
""",
    "docs/img/logo.png": "not really a png\n",
}

KEPT = {".html", ".png"}


def main() -> None:
    if HERE.exists():
        shutil.rmtree(HERE)
    for name, text in FILES.items():
        path = HERE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run([str(mkdocs), "build", "--quiet"], cwd=HERE, check=True)
    built = HERE / "site"
    for path in sorted(built.rglob("*"), reverse=True):
        if path.is_file() and (path.suffix not in KEPT or path.name == "404.html"):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for path in sorted(built.rglob("*.html")):
        print(path.relative_to(HERE), path.stat().st_size)


if __name__ == "__main__":
    main()
