"""Routes generators give pages beyond their file paths (issue 21), each reproduced as
a small site: Hugo's `permalinks:` patterns and `aliases`, Docusaurus' i18n folders and
the versions of a second docs plugin instance; and `--site` on the output layouts of
Docusaurus, VitePress and Starlight builds."""

from __future__ import annotations

import subprocess

import linkcheck
from linkcheck import Options

Row = tuple[str, int, str, str]


def not_ok(options: Options | None = None, paths: tuple[str, ...] = (".",)) -> list[Row]:
    report = linkcheck.check(list(paths), options or Options(offline=True))
    return sorted(
        (r.link.file, r.link.line, r.link.url, r.status.value)
        for r in report.results
        if r.status.value not in ("ok", "skipped")
    )


def test_hugo_permalinks_give_posts_dated_urls_and_sections_their_own(tree) -> None:
    tree(
        {
            "hugo.toml": (
                'baseURL = "https://x.org/"\n[permalinks]\npost = "/:year/:month/:day/:slug/"\n'
                "[permalinks.page]\ndocs = '/:sections[1:]/:filename/'\n"
                "[permalinks.section]\ndocs = '/manual/'\n"
            ),
            "content/post/2014-11-18-hello.md": (
                "---\ndate: 2014-11-18T00:00:00Z\nslug: announcing\ntitle: Hi\n---\n# Hi\n"
            ),
            "content/post/untitled.md": "---\ndate: 2015-01-02\ntitle: Big News Today\n---\n",
            "content/post/bundle/index.md": "---\ndate: 2016-03-04\ntitle: A Bundle\n---\n",
            "content/docs/_index.md": "# Docs\n",
            "content/docs/guide/setup.md": "# Setup\n",
            "content/about.md": (
                "[a](/2014/11/18/announcing/) [b](/2015/01/02/big-news-today/)"
                " [c](/2016/03/04/a-bundle/#top) [d](/guide/setup/) [e](/manual/)\n\n"
                "[f](/post/announcing/) [g](/docs/guide/setup/) [h](/2014/11/18/hello/)\n"
            ),
        }
    )
    # The file paths are not where Hugo serves these pages.
    assert [row[2:] for row in not_ok()] == [
        ("/2014/11/18/hello/", "broken"),
        ("/docs/guide/setup/", "broken"),
        ("/post/announcing/", "broken"),
    ]


def test_hugo_permalinks_array_form_first_matching_target_wins(tree) -> None:
    """`[[permalinks]]` (Hugo ≥ 0.161): each entry's `target` page matcher (a `path`
    glob, a `kind`, the languages of `sites.matrix`) selects pages, the first entry
    that matches gives the pattern; one without a target matches every page."""
    tree(
        {
            "hugo.toml": (
                "defaultContentLanguage = 'en'\n"
                "[languages.en]\ncontentDir = 'content/en'\n"
                "[languages.de]\ncontentDir = 'content/de'\n"
                "[[permalinks]]\npattern = '/artikel/'\n[permalinks.target]\n"
                "path = '{/articles}'\n[permalinks.target.sites.matrix]\nlanguages = ['de']\n"
                "[[permalinks]]\npattern = '/artikel/:year/:slug/'\n[permalinks.target]\n"
                "path = '{/articles/**}'\n[permalinks.target.sites.matrix]\nlanguages = ['de']\n"
                "[[permalinks]]\npattern = '/blog/:year/:slug/'\n[permalinks.target]\n"
                "path = '/articles/**'\nkind = 'page'\n"
                "[[permalinks]]\npattern = '/blog/'\n[permalinks.target]\npath = '/articles'\n"
            ),
            "content/en/articles/_index.md": "# Articles\n",
            "content/en/articles/First-Post.md": "---\ndate: 2024-05-06\nslug: first\n---\n",
            "content/de/articles/_index.md": "# Artikel\n",
            "content/de/articles/erster.md": "---\ndate: 2023-01-02\n---\n# Erster\n",
            "content/en/about.md": (
                "[a](/blog/2024/first/) [b](/blog/) [c](/de/artikel/2023/erster/#erster)\n"
                "[d](/de/artikel/) [e](/articles/first-post/) [f](/de/articles/erster/)\n"
            ),
        }
    )
    assert [row[2:] for row in not_ok()] == [
        ("/articles/first-post/", "broken"),
        ("/de/articles/erster/", "broken"),
    ]


def test_hugo_aliases_are_pages_from_the_root_or_the_pages_folder(tree) -> None:
    tree(
        {
            "hugo.toml": 'baseURL = "https://x.org/"\n',
            "content/blog/2023/new.md": "---\naliases: [docsy-0.7, /old/url]\n---\n# New\n",
            "content/about.md": (
                "[a](/blog/2023/docsy-0.7/) [b](/old/url/) [c](/blog/docsy-0.7/)\n"
            ),
        }
    )
    assert [row[2:] for row in not_ok()] == [("/blog/docsy-0.7/", "broken")]


DOCUSAURUS_I18N = (
    "module.exports = {\n  baseUrl: '/',\n"
    "  i18n: { defaultLocale: 'en', locales: ['en', 'fr'] },\n"
    "  presets: [['classic', { docs: { path: 'docs' } }]],\n"
    "  plugins: [['@docusaurus/plugin-content-docs', {id: 'api', path: 'api', routeBasePath: 'api'}]],\n"
    "};\n"
)


def test_docusaurus_i18n_folders_are_served_under_their_locale(tree) -> None:
    tree(
        {
            "docusaurus.config.js": DOCUSAURUS_I18N,
            "docs/intro.md": "# Intro\n",
            "docs/setup.md": "# Setup\n",
            "api/client.md": "# Client\n",
            "i18n/fr/docusaurus-plugin-content-docs/current/intro.md": (
                "# Introduction\n\n[a](setup.md) [b](/fr/docs/setup) [c](/fr/api/client)"
                " [d](./intro.md#introduction) [e](/fr/docs/nope) [f](nope.md)\n"
            ),
            "i18n/fr/docusaurus-plugin-content-docs-api/current/client.md": (
                "# Client\n\n[a](/fr/docs/intro) [b](/docs/intro#intro)\n"
            ),
        }
    )
    intro = "i18n/fr/docusaurus-plugin-content-docs/current/intro.md"
    assert not_ok() == [(intro, 3, "/fr/docs/nope", "broken"), (intro, 3, "nope.md", "broken")]


def test_docusaurus_translated_blog_posts_and_pages_are_served_under_their_locale(
    tree,
) -> None:
    """`i18n/LOCALE/docusaurus-plugin-content-blog/` and `…-pages/` hold the translated
    posts and pages, served at `/LOCALE/blog/…` and `/LOCALE/…`; a post not translated
    is served there from the default locale's."""
    tree(
        {
            "docusaurus.config.js": DOCUSAURUS_I18N,
            "docs/intro.md": "# Intro\n",
            "blog/2024-01-02-hello.md": "# Hello\n",
            "blog/2024-02-03-other.md": "# Other\n",
            "src/pages/about.md": "# About\n",
            "i18n/fr/docusaurus-plugin-content-blog/2024-01-02-hello.md": (
                "# Bonjour\n\n[a](/fr/blog/2024/01/02/hello#bonjour) [b](/fr/blog/2024/02/03/other)"
                " [c](/fr/about#a-propos) [d](/fr/blog/nope) [e](/fr/blog/2024/01/02/hello#hello)\n"
            ),
            "i18n/fr/docusaurus-plugin-content-pages/about.md": "# A propos\n",
        }
    )
    post = "i18n/fr/docusaurus-plugin-content-blog/2024-01-02-hello.md"
    assert not_ok() == [
        (post, 3, "/fr/blog/2024/01/02/hello#hello", "broken"),  # the translation's page
        (post, 3, "/fr/blog/nope", "broken"),
    ]


def test_mkdocs_redirects_plugin_maps_are_redirect_pages(tree) -> None:
    """mkdocs-redirects' `redirect_maps` write a redirect page at each old page's URL:
    a link to it works where the new page (and its fragment) does."""
    tree(
        {
            "mkdocs.yml": (
                "site_name: x\nplugins:\n  - search\n  - redirects:\n      redirect_maps:\n"
                "        'guides/publish.md': 'guides/package.md'\n"
                "        'old.md': 'guides/package.md#build'\n"
                "        'gone.md': 'guides/nowhere.md'\n"
                "        'away.md': 'https://example.org/x'\n"
            ),
            "docs/guides/package.md": "# Package\n\n## Build\n",
            "docs/index.md": (
                "[a](guides/publish/) [b](/guides/publish/#build) [c](old/) [d](gone/)"
                " [e](away/) [f](/guides/publish/#nope) [g](guides/publish.md)\n"
            ),
        }
    )
    assert [row[2:] for row in not_ok()] == [
        ("/guides/publish/#nope", "broken"),
        ("gone/", "broken"),  # the redirect leads to no page
        ("guides/publish.md", "broken"),  # MkDocs rewrites a .md link only to a file
    ]


def test_docusaurus_a_second_docs_instance_has_its_own_versions(tree) -> None:
    tree(
        {
            "docusaurus.config.js": DOCUSAURUS_I18N.replace("'fr'", "'en'"),
            "docs/intro.md": (
                "[a](/api/client) [b](/api/1.0/client) [c](/api/next/client)"
                " [d](/api/2.0/client) [e](/api/1.0/old)\n"
            ),
            "api/client.md": "# Client\n",
            "api_versions.json": '["2.0", "1.0"]\n',
            "api_versioned_docs/version-2.0/client.md": "# Client 2\n",
            "api_versioned_docs/version-1.0/client.md": "# Client 1\n",
            "api_versioned_docs/version-1.0/old.md": "# Old\n",
        }
    )
    # The latest release (2.0) is served at /api/, not /api/2.0/.
    assert not_ok() == [("docs/intro.md", 1, "/api/2.0/client", "broken")]


def test_hugo_footnotes_are_anchors_by_their_number(tree) -> None:
    tree(
        {
            "hugo.toml": 'baseURL = "https://x.org/"\n',
            "content/post.md": (
                'Text[^a] and more[^b].<sup><a href="#fn:2">2</a></sup>'
                ' <a href="#fnref:1">back</a> <a href="#fn:3">3</a> <a href="#fn:a">a</a>\n\n'
                "[^a]: One.\n[^b]: Two.\n"
            ),
        }
    )
    # Goldmark numbers footnotes: `#fn:a` is no id, `#fn:3` is none of its two.
    assert [row[2:] for row in not_ok()] == [("#fn:3", "broken"), ("#fn:a", "broken")]


def test_vitepress_own_slugify_makes_missing_anchors_unverified(tree) -> None:
    tree(
        {
            ".vitepress/config.ts": (
                "const slugify = (s) => s.replace(/ /g, '-')\n"
                "export default {\n  markdown: {\n    anchor: {\n      slugify,\n    },\n  },\n}\n"
            ),
            "index.md": (
                "# Home\n\n## Unit (Vue 2)\n\n[a](#Unit-Vue-2-) [b](setup.md#Step-1-)"
                " [c](nope.md) [d](setup.md#_getterstree)\n"
            ),
            "setup.md": "# Setup\n\n## Step (1)\n",
        }
    )
    why = "decided by the heading slug function 'markdown.anchor.slugify' (.vitepress/config.ts line 5)"
    report = linkcheck.check(["."], Options(offline=True))
    rows = sorted(
        (r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
        if r.status.value != "ok"
    )
    assert rows == [
        ("#Unit-Vue-2-", "unverified", why),  # the site's slug of its heading, maybe
        ("nope.md", "broken", rows[1][2]),  # a page that exists nowhere stays broken
        ("setup.md#Step-1-", "unverified", why),
        # No heading of the page spells it, whatever the function does with case and
        # punctuation: broken.
        ("setup.md#_getterstree", "broken", "no heading or anchor #_getterstree in setup.md"),
    ]


STARLIGHT_BUILT = {
    "astro.config.mjs": (
        "import starlight from '@astrojs/starlight'\n"
        "export default { integrations: [starlight({ title: 'x' })] }\n"
    ),
    "src/content/docs/index.md": "# Home\n\n[Let's go](old.md) [Other](other.md)\n",
    "src/content/docs/guide.md": "# Guide\n\n[Gone](old.md) [Missing](guide.md#nope)\n",
    "src/content/docs/other.md": "# Other\n",
    # What the build wrote: a plugin renamed `old.md` to `/new/`, the typographer
    # curled the quote, and the guide was written as `guide.html` (`build.format: 'file'`).
    "dist/index.html": ('<main><a href="/new/">Let’s go</a> <a href="/other/">Other</a></main>'),
    "dist/guide.html": (
        '<main><h1 id="guide">Guide</h1><a href="/new/">Gone</a>'
        ' <a href="/guide/#nope">Missing</a></main>'
    ),
    "dist/new/index.html": "<main>New</main>",
    "dist/other/index.html": "<main>Other</main>",
}


def test_site_traces_starlight_pages_written_as_files_and_curly_quotes(tree) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tree(STARLIGHT_BUILT), check=True)
    source = not_ok(paths=("src",))
    assert [row[2:] for row in source] == [
        ("guide.md#nope", "broken"),
        ("old.md", "broken"),
        ("old.md", "broken"),
    ]
    built = not_ok(Options(offline=True, site="dist"), ("src",))
    # The build renamed the page: only the build knows; the missing anchor stays.
    assert built == [("src/content/docs/guide.md", 3, "guide.md#nope", "broken")]


def test_site_built_links_with_different_hrefs_to_one_place_agree(tree) -> None:
    # Material for MkDocs repeats a page's links in its navigation, written otherwise
    # (`cli.md` beside the content's `./cli.md`, as on astral-sh/uv's build, where the
    # page is missing): two hrefs that lead to one URL from the page are one verdict.
    page = (
        '<html><body><nav><a href="cli.md">Commands</a><a href="../a/">About</a></nav>'
        '<main><a href="./cli.md">Commands</a> <a href="../a/index.html">About</a></main>'
        "</body></html>"
    )
    tree(
        {
            "mkdocs.yml": "site_name: x\nsite_url: https://x.org/\n",
            "docs/ref/index.md": "[Commands](./cli.md) [About](../a.md)\n",
            "docs/a.md": "# A\n",
            "site/ref/index.html": page,
            "site/a/index.html": "<main>A</main>",
        }
    )
    report = linkcheck.check(["."], Options(offline=True, site="site"))
    results = [r for r in report.results if r.link.file.startswith("docs/")]
    assert {r.link.url: (r.status.value, r.outcome.reason) for r in results} == {
        "./cli.md": (
            "broken",
            "not in the built site: site/ref/index.html links to cli.md, no file at /ref/cli.md",
        ),
        "../a.md": ("ok", None),
    }


def test_site_traces_links_whose_text_holds_an_icon_shortcode(tree) -> None:
    # pymdownx.emoji makes `:octicons-arrow-right-24:` an inline SVG: the built link's
    # text is the rest (squidfunk/mkdocs-material's grid cards, `[:octicons-…: Report a
    # bug][report a bug]`); the shortcode is no text to match on either side.
    page = (
        '<html><body><main><a href="../gone/"><svg></svg> Report a bug</a>'
        ' <a href="../b/">Other</a></main></body></html>'
    )
    tree(
        {
            "mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji\n",
            "docs/a.md": "[:octicons-arrow-right-24: Report a bug](b.md)\n",
            "docs/b.md": "# B\n",
            "site/a/index.html": page,
            "site/b/index.html": "<main>B</main>",
        }
    )
    report = linkcheck.check(["."], Options(offline=True, site="site"))
    results = [r for r in report.results if r.link.file.startswith("docs/")]
    assert [(r.link.url, r.status.value) for r in results] == [("b.md", "broken")]
