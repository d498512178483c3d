"""A fragment finds its element as the reader's browser finds it (issue 21, h28case):
exactly on a generator's site and on an HTML page (the HTML standard; no generator's client
script folds case), ignoring case only on the markdown GitHub renders (its page script
does) and on Sphinx (MyST resolves `#target` by reference names)."""

from __future__ import annotations

import pytest

import linkcheck
from linkcheck import Options

Row = tuple[str, str, str | None]

#: Each generator's smallest site with a page whose heading `## Foo Bar` has the id
#: `foo-bar`, and the folder holding the page (links written as `page.md#…`).
SITES = {
    "vitepress": ({".vitepress/config.ts": "export default {}\n"}, ""),
    "docusaurus": ({"docusaurus.config.js": "module.exports = {}\n"}, "docs/"),
    "mkdocs": ({"mkdocs.yml": "site_name: x\n"}, "docs/"),
    "hugo": ({"hugo.toml": 'baseURL = "https://x.org/"\n'}, "content/"),
    "jekyll": ({"_config.yml": "title: x\n"}, ""),
    "mdbook": (
        {"book.toml": "[book]\ntitle = 'x'\n", "src/SUMMARY.md": "- [A](a.md)\n- [P](page.md)\n"},
        "src/",
    ),
    "starlight": (
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\n"
                "export default { integrations: [starlight({ title: 'x' })] }\n"
            )
        },
        "src/content/docs/",
    ),
}


def verdicts(paths: tuple[str, ...] = (".",)) -> list[Row]:
    report = linkcheck.check(list(paths), Options(offline=True))
    return sorted(
        (r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
        if r.link.url.partition("#")[2]
    )


@pytest.mark.parametrize("generator", sorted(SITES))
def test_a_fragment_in_another_case_than_the_id_is_broken_on_a_generators_site(
    tree, generator: str
) -> None:
    config, folder = SITES[generator]
    tree(
        {
            **config,
            f"{folder}page.md": "# Page\n\n## Foo Bar\n",
            f"{folder}a.md": (
                "# A\n\n## Here\n\n[1](page.md#foo-bar) [2](page.md#Foo-Bar) [3](#here)"
                " [4](#Here) [5](#TOP)\n"
            ),
        }
    )
    rows = verdicts()
    hint = "the page has #{}; ids match case-sensitively"
    assert [row[:2] for row in rows] == [
        ("#Here", "broken"),
        ("#TOP", "ok"),  # the HTML standard: `top` in any case is the top of the page
        ("#here", "ok"),
        ("page.md#Foo-Bar", "broken"),
        ("page.md#foo-bar", "ok"),
    ]
    assert rows[0][2] is not None and rows[0][2].endswith(": " + hint.format("here"))
    assert rows[3][2] is not None and rows[3][2].endswith(": " + hint.format("foo-bar"))


def test_github_matches_a_fragment_ignoring_case_as_its_page_script_does(tree) -> None:
    tree(
        {
            "README.md": "# Read me\n\n## Foo Bar\n\n[1](#Foo-Bar) [2](docs/page.md#FOO-BAR)\n",
            "docs/page.md": "# Page\n\n## Foo Bar\n",
        }
    )
    assert [row[:2] for row in verdicts()] == [
        ("#Foo-Bar", "ok"),
        ("docs/page.md#FOO-BAR", "ok"),
    ]


def test_an_html_page_is_matched_exactly_even_in_a_repository_github_renders(tree) -> None:
    # GitHub's script folds case only on the markdown it renders; an HTML page is opened
    # in a browser as it is.
    tree(
        {
            "README.md": "# Read me\n\n[1](site/page.html#Intro) [2](site/page.html#intro)\n",
            "site/page.html": '<h2 id="intro">Intro</h2>\n',
        }
    )
    assert [row[:2] for row in verdicts()] == [
        ("site/page.html#Intro", "broken"),
        ("site/page.html#intro", "ok"),
    ]


def test_explicit_ids_keep_their_case_on_a_site(tree) -> None:
    tree(
        {
            "docusaurus.config.js": "module.exports = {}\n",
            "docs/a.md": "# A\n\n## Setup {#Custom-Id}\n\n[1](#Custom-Id) [2](#custom-id)\n",
        }
    )
    rows = verdicts()
    assert [row[:2] for row in rows] == [("#Custom-Id", "ok"), ("#custom-id", "broken")]
    assert rows[1][2] == (
        "no heading or anchor #custom-id in docs/a.md: "
        "the page has #Custom-Id; ids match case-sensitively"
    )


def test_docusaurus_maintain_case_keeps_the_headings_case_in_their_ids(tree) -> None:
    tree(
        {
            "docusaurus.config.js": (
                "module.exports = {\n  markdown: { anchors: { maintainCase: true } },\n}\n"
            ),
            "docs/a.md": "# A\n\n## Option Stores\n\n[1](#Option-Stores)\n",
        }
    )
    assert [row[:2] for row in verdicts()] == [("#Option-Stores", "ok")]


def test_a_slug_function_linkcheck_cannot_run_makes_a_case_only_miss_unverified(tree) -> None:
    tree(
        {
            ".vitepress/config.ts": (
                "const slugify = (s) => s.replace(/ /g, '-')\n"
                "export default {\n  markdown: {\n    anchor: {\n      slugify,\n    },\n  },\n}\n"
            ),
            "index.md": "# Home\n\n## Option Stores\n\n[a](#option-stores) [b](#nothing-like-it)\n",
        }
    )
    why = (
        "decided by the heading slug function 'markdown.anchor.slugify' "
        "(.vitepress/config.ts line 5)"
    )
    rows = verdicts()
    assert rows == [
        ("#nothing-like-it", "broken", "no heading or anchor #nothing-like-it in index.md"),
        ("#option-stores", "unverified", why),
    ]


def test_an_unknown_toc_slugify_of_mkdocs_makes_a_case_only_miss_unverified(tree) -> None:
    tree(
        {
            "mkdocs.yml": (
                "site_name: x\nmarkdown_extensions:\n  - toc:\n"
                "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: none}}\n"
            ),
            "docs/index.md": "# Home\n\n## Option Stores\n\n[a](#Option-Stores) [b](#elsewhere)\n",
        }
    )
    rows = verdicts()
    assert rows == [
        ("#Option-Stores", "unverified", "decided by the toc slug function 'toc.slugify' (mkdocs.yml line 4)"),
        ("#elsewhere", "broken", "no heading or anchor #elsewhere in docs/index.md"),
    ]  # fmt: skip


def test_sphinx_resolves_a_fragment_by_its_name_ignoring_case(tree) -> None:
    tree(
        {
            "conf.py": "extensions = ['myst_parser']\n",
            "index.md": "# Home\n\n## Foo Bar\n\n[a](#Foo-Bar) [b](#nope)\n",
        }
    )
    assert [row[:2] for row in verdicts()] == [("#Foo-Bar", "ok"), ("#nope", "broken")]
