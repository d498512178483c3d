"""What real Jekyll builds showed linkcheck's Jekyll rules lacked (session 29, Jekyll
4.3 with the GitHub Pages plugins as the oracle, `bench/oracle_build.py`): each family
in a fixture of its own, independent of the checkouts."""

from __future__ import annotations

import linkcheck
from linkcheck import Options


def statuses() -> dict[str, str]:
    report = linkcheck.check(["."], Options(offline=True))
    return {r.link.url: r.status.value for r in report.results}


def test_files_jekyll_does_not_copy_are_not_on_the_site(tree) -> None:
    """free-programming-books' `../.github/workflows/fpb-lint.yml`: Jekyll's EntryFilter
    copies no file or folder whose name starts with `.`, `_`, `#` or `~` (nor what
    `exclude` names) unless `include` names it; a link to one is dead on the site."""
    tree(
        {
            "_config.yml": (
                "include: [.well-known]\nexclude: [scripts]\n"
                "collections:\n  docs:\n    output: true\n"
            ),
            "_docs/page.md": "---\n---\n[h](diagram.png)\n",
            "_docs/diagram.png": "x",
            ".github/workflows/lint.yml": "on: push\n",
            ".well-known/security.txt": "x\n",
            ".htaccess": "x\n",
            "_data/nav.yml": "x: 1\n",
            "scripts/run.sh": "x\n",
            "assets/logo.png": "x",
            "notes~": "x\n",
            "docs/index.md": (
                "[a](../.github/workflows/lint.yml) [b](/.well-known/security.txt)\n"
                "[c](/.htaccess) [d](/_data/nav.yml) [e](../scripts/run.sh)\n"
                "[f](/assets/logo.png) [g](/notes~)\n"
            ),
        }
    )
    assert statuses() == {
        "../.github/workflows/lint.yml": "broken",
        "/.well-known/security.txt": "ok",  # named by `include`
        "/.htaccess": "ok",  # included by default
        "/_data/nav.yml": "broken",
        "../scripts/run.sh": "broken",  # `exclude`d
        "/assets/logo.png": "ok",
        "/notes~": "broken",  # a backup file
        "diagram.png": "ok",  # an output collection's file is written beside its pages
    }


def test_a_posts_front_matter_date_in_the_sites_timezone_makes_its_url(tree) -> None:
    """jekyll/jekyll's `2013-05-06-…` post with `date: "2013-05-06 02:12:52 +0200"` and
    `timezone: America/Los_Angeles` is served at `/news/2013/05/05/…/`: Jekyll takes the
    front matter's date over the file name's, converted to the site's zone."""
    tree(
        {
            "_config.yml": (
                "timezone: America/Los_Angeles\n"
                "collections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n"
            ),
            "_posts/2013-05-06-one.md": '---\ndate: "2013-05-06 02:12:52 +0200"\n---\n# One\n',
            "_posts/2018-02-25-two.md": "---\ndate: 2018-02-27 20:02:08 +0530\n---\n# Two\n",
            "_posts/2019-08-19-three.md": "---\ndate: 2019-08-19T08:00:00Z\n---\n# Three\n",
            "_posts/2020-01-01-four.md": "---\ndate: 2020-01-02\n---\n# Four\n",
            "_posts/2021-01-01-five.md": "---\ntitle: no date\n---\n# Five\n",
            "index.md": (
                "[a](/news/2013/05/05/one/) [b](/news/2013/05/06/one/)\n"
                "[c](/news/2018/02/27/two/) [d](/news/2019/08/19/three/)\n"
                "[e](/news/2020/01/02/four/) [f](/news/2021/01/01/five/)\n"
                "[g]({% post_url 2013-05-06-one %})\n"
            ),
        }
    )
    found = statuses()
    assert found == {
        "/news/2013/05/05/one/": "ok",
        "/news/2013/05/06/one/": "broken",
        "/news/2018/02/27/two/": "ok",  # the front matter's day over the file name's
        "/news/2019/08/19/three/": "ok",  # 01:00 on the 19th in Los Angeles
        "/news/2020/01/02/four/": "ok",
        "/news/2021/01/01/five/": "ok",
        "{% post_url 2013-05-06-one %}": "ok",
    }


def test_headings_in_a_markdown_1_block_get_kramdowns_own_ids(tree) -> None:
    """free-programming-books' Hebrew and Persian lists, inside `<div dir="rtl"
    markdown="1">`: kramdown-parser-gfm gives GitHub-style ids only outside HTML
    elements; inside, kramdown's own (ASCII only: `ללא תלות בשפה` is `#section`)."""
    tree(
        {
            "_config.yml": "title: x\n",
            "index.md": (
                '<div dir="rtl" markdown="1">\n\n'
                "### Index\n\n"
                "* [a](#ללא-תלות-בשפה) [b](#section) [c](#section-1) [d](#index)\n"
                "* [e](#2-c-api) [f](#c-api) [g](#own)\n\n"
                "### ללא תלות בשפה\n\n### רשתות\n\n### 2. C API\n\n### Mine {#own}\n\n"
                "</div>\n\n"
                "## Outside ñ\n\n[h](#outside-ñ) [i](#outside-)\n"
            ),
        }
    )
    assert statuses() == {
        "#ללא-תלות-בשפה": "broken",
        "#section": "ok",
        "#section-1": "ok",
        "#index": "ok",
        "#2-c-api": "broken",
        "#c-api": "ok",  # leading characters up to the first letter dropped
        "#own": "ok",
        "#outside-ñ": "ok",  # outside the block: the GFM parser's ids
        "#outside-": "broken",
    }
