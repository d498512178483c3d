"""Generators in the forms real sites use them (issue 21), each family reproduced as a
small site: what a site extension may decide is `unverified` with the extension and the
config line that declares it, what is broken whatever it does stays `broken`; VitePress
and Starlight; Hugo in a subfolder with a config folder and languages; Docusaurus docs
plugin instances; MkDocs' indented blocks, snippets' auto_append, footnotes and ids."""

from __future__ import annotations

from pathlib import Path

import linkcheck
from linkcheck import Options

Row = tuple[str, int, str, str, str | None]


def not_ok(options: Options | None = None) -> list[Row]:
    report = linkcheck.check(["."], options or Options(offline=True))
    return sorted(
        (r.link.file, r.link.line, r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
        if r.status.value not in ("ok", "skipped")
    )


BOOK = {
    "src/SUMMARY.md": "- [Intro](intro.md)\n- [Items](items.md)\n",
    "src/items.md": "# Items\n",
    "src/intro.md": (
        "# Intro\n\n[rule][items.static] and [vec][std::vec] and [anchor](items.md#r-items)\n"
        "\n[gone](nowhere.md)\n\n[items.static]: items.static\n"
    ),
}


def test_mdbook_preprocessor_makes_what_it_may_decide_unverified(tree) -> None:
    tree({**BOOK, "book.toml": '[book]\ntitle = "x"\n\n[preprocessor.spec]\ncommand = "x"\n'})
    why = "decided by the mdBook preprocessor 'mdbook-spec' (book.toml line 4)"
    assert sorted(not_ok(), key=str) == [
        ("src/intro.md", 3, "", "unverified", why),  # [std::vec]: no definition
        ("src/intro.md", 3, "items.md#r-items", "unverified", why),
        ("src/intro.md", 3, "items.static", "unverified", why),
        # A file that exists nowhere in the repository: broken whatever it does.
        (
            "src/intro.md",
            5,
            "nowhere.md",
            "broken",
            "not found: served from /intro.html → /nowhere.md is no page or file of the "
            "mdbook site (book.toml)",
        ),
    ]
    assert linkcheck.check(["."], Options(offline=True)).unverified == ((why, 3),)


def test_mdbook_built_in_preprocessors_decide_nothing(tree) -> None:
    tree({**BOOK, "book.toml": '[book]\ntitle = "x"\n[preprocessor.links]\n[preprocessor.index]\n'})
    assert {row[3] for row in not_ok()} == {"broken"}


def test_a_preprocessor_known_to_write_some_ids_decides_only_those(tree) -> None:
    tree(
        {
            **BOOK,
            "book.toml": '[book]\ntitle = "x"\n[preprocessor.trpl-listing]\n',
            "src/intro.md": "# Intro\n\n[a](items.md#listing-1-2) [b](items.md#renamed)\n",
        }
    )
    why = "decided by the mdBook preprocessor 'mdbook-trpl-listing' (book.toml line 3)"
    assert [row[2:] for row in not_ok()] == [
        ("items.md#listing-1-2", "unverified", why),
        ("items.md#renamed", "broken", "no heading or anchor #renamed in items.md"),
    ]


def test_mdbook_draft_chapters_and_the_chapters_the_build_creates(tree) -> None:
    # mdBook's SUMMARY.md: `- [Title]()` is a draft chapter (no page, a disabled entry
    # in the table of contents); a listed file that does not exist is created by the
    # build (`[build] create-missing`, true by default), so links to it work.
    summary = "- [Intro](intro.md)\n- [Later]()\n- [New](new.md)\n"
    intro = "# Intro\n\n[new](new.md) [as html](new.html) [stand-in]() [gone](gone.md)\n"
    tree({"book.toml": '[book]\ntitle = "x"\n', "src/SUMMARY.md": summary, "src/intro.md": intro})
    report = linkcheck.check(["."], Options(offline=True))
    statuses = {(r.link.file, r.link.url): r.status.value for r in report.results}
    assert statuses == {
        ("src/SUMMARY.md", "intro.md"): "ok",
        ("src/SUMMARY.md", ""): "skipped",  # the draft chapter
        ("src/SUMMARY.md", "new.md"): "ok",
        ("src/intro.md", "new.md"): "ok",
        ("src/intro.md", "new.html"): "ok",
        ("src/intro.md", ""): "placeholder",  # outside SUMMARY.md: a stand-in
        ("src/intro.md", "gone.md"): "broken",  # listed nowhere: nothing creates it
    }
    # With `create-missing = false` the build stops instead: the missing chapter is broken.
    tree({"book.toml": '[book]\ntitle = "x"\n[build]\ncreate-missing = false\n'})
    report = linkcheck.check(["."], Options(offline=True))
    broken = sorted((r.link.file, r.link.url) for r in report.results if r.status.value == "broken")
    assert broken == [
        ("src/SUMMARY.md", "new.md"),
        ("src/intro.md", "gone.md"),
        ("src/intro.md", "new.html"),
        ("src/intro.md", "new.md"),
    ]


def test_mdbook_rewrites_every_destination_holding_md_as_its_html_renderer_does(tree) -> None:
    # mdBook's HTML renderer (`fix_link` in mdbook-html, found on the rust-lang/reference
    # build: `[enum]: ../items/enumerations.mdr` is `../items/enumerations.html` there)
    # matches `(?P<link>.*)\.md(?P<anchor>#.*)?` unanchored: everything up to the last
    # `.md` becomes `.html`, a fragment right after it is kept, and whatever else follows
    # (`r`, `?query`, `.txt`) is dropped. Links, images and raw `<a href>` alike.
    intro = (
        "# Intro\n\n[typo](items.mdr) [query](items.md?v=1) [query, fragment](items.md?v=1#x)"
        " [fragment](items.md#items) [bad](items.md#nope) [other](gone.mdr)"
        ' <a href="items.mdx">raw</a> [site](https://example.invalid/a.mdr)\n'
    )
    summary = "- [Intro](intro.md)\n- [Items](items.md)\n"
    tree(
        {
            "book.toml": '[book]\ntitle = "x"\n',
            "src/SUMMARY.md": summary,
            "src/intro.md": intro,
            "src/items.md": "# Items\n",
        }
    )
    assert [(row[2], row[3]) for row in not_ok()] == [
        ("gone.mdr", "broken"),  # `gone.html`: no chapter gone.md
        ("items.md#nope", "broken"),
    ]


def test_mkdocs_a_repeated_reference_definition_replaces_the_earlier_one(tree) -> None:
    # Python-Markdown stores each definition over an earlier one of the same label (its
    # ReferenceProcessor: `md.references[id] = (link, title)`), CommonMark keeps the
    # first: squidfunk/mkdocs-material's blog tutorial defines `[Tags plugin]` twice, and
    # its build links the second. The replaced one is used by no link.
    page = "# A\n\n[one][x] and [two][X]\n\n[x]: gone.md\n\n[y]: there.md\n[X]: there.md\n"
    files = {"docs/a.md": page, "docs/there.md": "# There\n"}
    tree({"mkdocs.yml": "site_name: x\n", **files})
    report = linkcheck.check(["."], Options(offline=True))
    rows = sorted((r.link.line, r.link.url, r.status.value, r.link.unused) for r in report.results)
    assert rows == [
        (3, "there.md", "ok", False),
        (3, "there.md", "ok", False),
        (5, "gone.md", "broken", True),  # reported where it stands, failing no run
        (7, "there.md", "ok", True),
    ]
    (Path("mkdocs.yml")).unlink()  # GitHub: the first definition wins
    report = linkcheck.check(["."], Options(offline=True))
    rows = sorted((r.link.line, r.link.url, r.status.value, r.link.unused) for r in report.results)
    assert rows == [
        (3, "gone.md", "broken", False),
        (3, "gone.md", "broken", False),
        (7, "there.md", "ok", True),
    ]


def test_mkdocs_mkdocstrings_ids_are_the_documented_objects_paths(tree) -> None:
    # mkdocstrings gives each object a `::: identifier` block documents an id, its path,
    # and its members theirs (pydantic's `api/config.md#pydantic.config.ConfigDict`, on
    # its real build): which members is the code's business, so a fragment under a
    # documented identifier is unverified; any other is still not found.
    index = (
        "# Home\n\n[a](api.md#pkg.mod.Obj) [b](api.md#pkg.mod.Obj.attr) [c](api.md#nope)"
        " [d](api.md#other.Thing)\n"
    )
    files = {"docs/index.md": index, "docs/api.md": "# API\n\n::: pkg.mod.Obj\n    options:\n"}
    tree({"mkdocs.yml": "site_name: x\nplugins:\n  - search\n  - mkdocstrings\n", **files})
    why = "decided by the MkDocs plugin 'mkdocstrings' (mkdocs.yml line 4)"
    assert [row[2:] for row in not_ok()] == [
        ("api.md#nope", "broken", "no heading or anchor #nope in api.md"),
        ("api.md#other.Thing", "broken", "no heading or anchor #other.Thing in api.md"),
        ("api.md#pkg.mod.Obj", "unverified", why),
        ("api.md#pkg.mod.Obj.attr", "unverified", why),
    ]


def test_mkdocs_mkautodoc_decides_anchors_only_on_pages_with_its_block(tree) -> None:
    # mkautodoc renders `::: pkg.Obj` where it is written (its docstrings' headings get
    # ids there), nothing elsewhere: httpx's real build (MkDocs' own warnings) shows
    # `clients.md#client-instances` dead on a page with no `:::` block.
    index = "# Home\n\n[a](api.md#a-docstring-heading) [b](guide.md#gone)\n"
    files = {
        "docs/index.md": index,
        "docs/api.md": "# API\n\n::: pkg.Client\n    :docstring:\n",
        "docs/guide.md": "# Guide\n",
    }
    tree({"mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - mkautodoc\n", **files})
    why = "decided by the Markdown extension 'mkautodoc' (mkdocs.yml line 3)"
    assert [row[2:] for row in not_ok()] == [
        ("api.md#a-docstring-heading", "unverified", why),
        ("guide.md#gone", "broken", "no heading or anchor #gone in guide.md"),
    ]


def test_mkdocs_hooks_snippets_indented_blocks_and_ids(tree) -> None:
    tree(
        {
            "mkdocs.yml": (
                "site_name: x\nhooks:\n  - hooks/comments.py\nmarkdown_extensions:\n"
                "  - admonition\n  - footnotes\n  - attr_list\n  - pymdownx.tabbed\n"
                "  - pymdownx.snippets:\n      auto_append:\n        - includes/links.md\n"
            ),
            "includes/links.md": "[mkdocs.site_dir]: https://www.mkdocs.org/#site_dir\n",
            "docs/other.md": (
                '# Other\n\n## Options { id="opts" }\n\nSee[^7].\n\n[^7]: a note.\n\n'
                '=== "First tab"\n\n    one\n'
            ),
            "docs/index.md": (
                "# Home\n\n[site dir][mkdocs.site_dir] [](){#anchor} [to](#anchor)\n\n!!! note\n\n"
                "    [inside](other.md#opts) and [foot](other.md#fn:7)\n\n"
                '=== "Tab"\n\n    [tab](other.md#first-tab) [missing](other.md#nope)\n'
                "    [gone](nowhere.md)\n"
            ),
        }
    )
    why = "decided by the MkDocs hook 'hooks/comments.py' (mkdocs.yml line 3)"
    assert not_ok() == [
        ("docs/index.md", 11, "other.md#nope", "unverified", why),
        (
            "docs/index.md",
            12,
            "nowhere.md",
            "broken",
            "not found: served from / → /nowhere.md is no page or file of the mkdocs site "
            "(mkdocs.yml)",
        ),
    ]


def test_mkdocs_without_extensions_keeps_failures_broken(tree) -> None:
    tree(
        {
            "mkdocs.yml": "site_name: x\nmarkdown_extensions:\n  - admonition\n",
            "docs/index.md": "# Home\n\n!!! note\n    [x](index.md#nope) [y][undefined]\n",
        }
    )
    assert [row[3] for row in not_ok()] == ["broken", "broken"]


VITEPRESS = {
    "docs/.vitepress/config.mts": (
        "import { defineConfig } from 'vitepress'\nexport default defineConfig({\n"
        "  srcDir: 'src',\n  cleanUrls: true,\n  rewrites: { 'en/:rest*': ':rest*' },\n"
        "  markdown: { config(md) { md.use(groupIconMdPlugin) } },\n})\n"
    ),
    "docs/src/en/guide/setup.md": "# Setup\n\n## Foo.bar() options\n",
    "docs/src/en/index.md": (
        "# Home\n\n[a](/guide/setup) [b](./guide/setup.md#foo-bar-options)"
        " [c](/guide/setup.html) [d](/logo.svg) [e](/guide/nope)\n"
    ),
    "docs/src/public/logo.svg": "<svg/>",
}


def test_vitepress_routes_src_dir_rewrites_public_and_slugs(tree) -> None:
    tree(VITEPRESS)
    (row,) = not_ok()
    assert row[:4] == ("docs/src/en/index.md", 3, "/guide/nope", "broken")
    assert "of the vitepress site" in (row[4] or "")


def test_vitepress_index_written_without_suffix_is_the_folders_page(tree) -> None:
    # VitePress makes `./index` `./index.html` (or keeps it with cleanUrls): the page of
    # `guide/index.md`, which is also `/guide/` (vitest's `[Guide](./index)`).
    tree({
        "docs/.vitepress/config.ts": "export default {}\n",
        "docs/guide/index.md": "# Getting started\n",
        "docs/guide/why.md": "[a](./index) [b](/guide/index) [c](./index.html#getting-started)"
        " [no](./other/index)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok()] == ["./other/index"]


def test_vitepress_markdown_it_plugin_decides(tree) -> None:
    files = dict(VITEPRESS)
    config = files["docs/.vitepress/config.mts"].replace("groupIconMdPlugin", "myLinks")
    tree({**files, "docs/.vitepress/config.mts": config})
    why = "decided by the markdown-it plugin 'myLinks' (docs/.vitepress/config.mts line 6)"
    assert not_ok() == [("docs/src/en/index.md", 3, "/guide/nope", "unverified", why)]


def test_starlight_routes_locales_fallback_and_remark_plugins(tree) -> None:
    tree(
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\nexport default {\n"
                "  integrations: [starlight({ title: 'x', defaultLocale: 'root',\n"
                "    locales: {\n      root: { label: 'English' },\n      fr: { label: 'FR' },\n"
                "    } })],\n}\n"
            ),
            "src/content/docs/guides/Getting Started.md": "# Start\n\n## Install it\n",
            "src/content/docs/index.mdx": (
                "# Home\n\n[a](/guides/getting-started/#install-it) [b](/fr/guides/getting-started/)"
                " [c](/guides/nope/) [d](/favicon.svg)\n"
            ),
            "public/favicon.svg": "<svg/>",
        }
    )
    (row,) = not_ok()
    assert row[:4] == ("src/content/docs/index.mdx", 3, "/guides/nope/", "broken")
    config = Path("astro.config.mjs").read_text()
    Path("astro.config.mjs").write_text(
        config.replace(
            "integrations:", "markdown: { remarkPlugins: [remarkLinks] },\n  integrations:"
        )
    )
    why = "decided by the remark plugin 'remarkLinks' (astro.config.mjs line 3)"
    assert not_ok() == [("src/content/docs/index.mdx", 3, "/guides/nope/", "unverified", why)]


def test_an_astro_site_without_starlight_is_not_one(tree) -> None:
    tree({"astro.config.mjs": "export default {}\n", "src/content/docs/a.md": "[x](/b/)\n"})
    assert not_ok()[0][4] == "file not found: b"


def test_hugo_in_a_subfolder_with_a_config_folder_languages_and_shortcodes(tree) -> None:
    tree(
        {
            "site/config/_default/hugo.yaml": "baseURL: https://x.org/\n",
            "site/config/_default/languages.toml": (
                '[en]\ncontentDir = "content/en"\n[fr]\ncontentDir = "content/fr"\n'
            ),
            "site/layouts/_shortcodes/def.html": '<dfn id="def-{{ .Get "id" }}"></dfn>',
            "site/content/en/docs/setup.md": "# Setup\n",
            "site/content/en/docs/glossary.md": (
                '{{% def id="LE" %}}x{{% /def %}}\n\n[le](#def-LE) [a](../setup/)'
                " [b](/fr/docs/setup/) [c](setup) [d](/docs/nope/)\n"
            ),
            "site/content/fr/docs/setup.md": "# Installer\n",
        }
    )
    why = "decided by the Hugo shortcode 'def' (site/layouts/_shortcodes/def.html)"
    rows = not_ok()
    assert rows[0] == ("site/content/en/docs/glossary.md", 3, "#def-LE", "unverified", why)
    assert [row[2:4] for row in rows[1:]] == [("/docs/nope/", "broken")]


def test_hugo_finds_pages_as_its_page_lookup_does(tree) -> None:
    # docsy: `{{< ref "feedback#x" >}}` names a page beside the current one without its
    # extension; `{{< ref "content" >}}` a section by its folder's name, found anywhere;
    # through the embedded link render hook, a leaf bundle's `../language/` and
    # `lookandfeel/` start from the folder holding the bundle, as Hugo's GetPage does.
    tree(
        {
            "hugo.yaml": "markup:\n  goldmark:\n    renderHooks:\n"
            "      link:\n        enableDefault: true\n",
            "content/docs/_index.md": "# Docs\n",
            "content/docs/language.md": "# Language\n\n## Bundles\n",
            "content/docs/content/_index.md": "# Content\n\n## Landing pages\n",
            "content/docs/content/feedback.md": "# Feedback\n\n## Meta tags\n",
            "content/docs/content/lookandfeel.md": "# Look\n\n## Style files\n",
            "content/docs/content/adding.md": (
                '[a]({{< ref "feedback#meta-tags" >}}) [b]({{< ref "content#landing-pages" >}})'
                ' [c]({{< ref "nothing" >}})\n'
            ),
            "content/docs/content/shortcodes/index.md": (
                "[d](../language/#bundles) [e](lookandfeel/#style-files) [f](../nope/)\n"
            ),
        }
    )
    assert [row[2:4] for row in not_ok()] == [
        ('{{< ref "nothing" >}}', "broken"),
        ("../nope/", "broken"),
    ]


def test_hugo_writes_term_pages_the_sitemap_and_mounted_files(tree) -> None:
    # docsy: `/tags/upgrade/` is the page of a term posts use (`tags: [Upgrade]`),
    # `/sitemap.xml` is written for every site, and a module mount puts the
    # repository's README.md into the content folder, where the embedded link render
    # hook finds `README.md` from the section beside it.
    tree(
        {
            "site/hugo.yaml": (
                "enableRobotsTXT: true\nmodule:\n  mounts:\n    - source: content\n"
                "      target: content\n    - source: ../README.md\n"
                "      target: content/project/repo/README.md\n"
                "markup:\n  goldmark:\n    renderHooks:\n      link:\n        enableDefault: true\n"
            ),
            "README.md": "# Read me\n\n## Install\n",
            "site/content/blog/post.md": "---\ntags: [Upgrade]\n---\n# Post\n",
            "site/content/project/repo/_index.md": "[r](README.md#install) [gone](NOTES.md)\n",
            "site/content/docs/update.md": (
                "[t](/tags/upgrade/) [all](/tags/) [s](/sitemap.xml) [r](/robots.txt)"
                " [c](/categories/news/)\n"
            ),
        }
    )
    assert [row[2:4] for row in not_ok()] == [
        ("/categories/news/", "broken"),  # no page uses that term
        ("NOTES.md", "broken"),
    ]


def test_docusaurus_instances_and_file_links_from_the_docs_folder(tree) -> None:
    tree(
        {
            "docusaurus.config.js": (
                "module.exports = {\n  presets: [['classic', { docs: { path: 'docs' } }]],\n"
                "  plugins: [\n    ['@docusaurus/plugin-content-docs', {\n"
                "      id: 'community', path: 'community', routeBasePath: 'community',\n"
                "      editUrl: ({docPath}) => { return docPath },\n    }],\n"
                "    ['content-docs', { id: 'arch', path: 'arch', routeBasePath: '/architecture' }],\n"
                "  ],\n};\n"
            ),
            "community/support.md": "# Support\n",
            "arch/overview.md": "# Overview\n\n[s](/community/support) [a](/architecture/overview)\n",
            "docs/guides/deep/page.md": (
                "# Page\n\n[a](/community/support) [b](guides/other.md) [c](/community/nope)\n"
            ),
            "docs/guides/other.md": "# Other\n",
        }
    )
    (row,) = not_ok()
    assert row[2:4] == ("/community/nope", "broken")


def test_under_an_unreadable_config_failures_are_unverified_unless_broken_anyway(tree) -> None:
    tree(
        {
            "mkdocs.yml": "site_name: [unclosed\n",
            "docs/index.md": "[a](user/setup/) [b](nowhere.md) [c](index.md#nope)\n",
        }
    )
    why = "decided by the mkdocs config mkdocs.yml, which linkcheck could not read"
    assert not_ok() == [
        ("docs/index.md", 1, "index.md#nope", "unverified", why),
        ("docs/index.md", 1, "nowhere.md", "broken", "file not found: docs/nowhere.md"),
        ("docs/index.md", 1, "user/setup/", "unverified", why),
    ]


def test_mkdocs_a_nav_page_no_file_is_written_before_the_build(tree) -> None:
    tree(
        {
            "mkdocs.yml": "site_name: x\nnav:\n  - Home: index.md\n  - CLI: reference/cli.md\n",
            "docs/guide/a.md": "[cli](../reference/cli.md#uv) [gone](../reference/gone.md)\n",
            "docs/index.md": "# Home\n",
        }
    )
    why = (
        "decided by the build step that writes the nav page 'reference/cli.md' (mkdocs.yml line 4)"
    )
    assert [row[2:4] for row in not_ok()] == [
        ("../reference/cli.md#uv", "unverified"),
        ("../reference/gone.md", "broken"),
    ]
    assert not_ok()[0][4] == why


def test_mkdocs_inherit_merges_the_parent_config_and_plugins_may_be_a_mapping(tree) -> None:
    tree(
        {
            "en/mkdocs.yml": "site_name: x\nplugins:\n  macros:\n    include_yaml: [a.yml]\n",
            "hi/mkdocs.yml": "INHERIT: ../en/mkdocs.yml\n",
            "hi/docs/index.md": "[x](/img/logo.png)\n",
            "en/docs/img/logo.png": "png",
        }
    )
    # hi/ mirrors en/'s docs folder: a translation, the English image staged under it.
    why = "decided by the build step that stages into each translation the pages of 'en/docs'"
    assert [row[2:] for row in not_ok()] == [
        ("/img/logo.png", "unverified", f"{why} (en/mkdocs.yml)")
    ]


#: FastAPI's layout: one config in docs/en/, 13 translations beside it with none of their
#: own; scripts/docs.py copies docs/en/docs under each before it builds it.
TRANSLATED = {
    "docs/en/mkdocs.yml": (
        "site_name: x\nextra:\n  alternate:\n  - link: /\n    name: en\n"
        "  - link: /fr/\n    name: fr\n"
    ),
    "docs/en/docs/index.md": "# Home\n",
    "docs/en/docs/release-notes.md": "# Release notes\n",
    "docs/en/docs/img/logo.png": "png",
    "docs/fr/docs/index.md": "# Accueil\n",
    "docs/fr/docs/deployment/versions.md": (
        "[notes](../release-notes.md) [logo](/img/logo.png) [home](../index.md)\n"
        "[gone](../gone.md) [nope](/img/nope.png)\n"
    ),
}


def test_mkdocs_a_translation_folder_without_config_gets_the_source_language_pages(
    tree,
) -> None:
    """`docs/fr/` beside `docs/en/mkdocs.yml`, mirroring its `docs/` folder: built as the
    site's translation by a script that stages the English pages under it first. What
    only the English tree has is `unverified`, naming the config's language selector;
    what neither has stays broken."""
    tree(TRANSLATED)
    why = (
        "decided by the build step that stages into each translation the pages of "
        "'docs/en/docs' (docs/en/mkdocs.yml line 3)"
    )
    rows = [row[2:4] for row in not_ok()]
    assert rows == [
        ("../release-notes.md", "unverified"),
        ("/img/logo.png", "unverified"),
        ("../gone.md", "broken"),
        ("/img/nope.png", "broken"),
    ]
    assert {row[4] for row in not_ok() if row[3] == "unverified"} == {why}


def test_a_language_named_folder_is_no_translation_without_the_mirrored_docs_folder(
    tree,
) -> None:
    files = {k.replace("docs/fr/docs/", "docs/fr/"): v for k, v in TRANSLATED.items()}
    tree(files)  # docs/fr/ has no docs/ of its own: not a translation, GitHub's rules
    assert [row[3] for row in not_ok()] == ["broken"] * 4


def test_docusaurus_remark_plugins_named_by_their_module(tree) -> None:
    config = (
        "import links from './src/remark/links.js';\nmodule.exports = {\n"
        "  presets: [['classic', { docs: {\n    remarkPlugins: [\n"
        "      [require('@docusaurus/remark-plugin-npm2yarn'), {sync: true}],\n"
        "      require('docusaurus-remark-plugin-tab-blocks').default,\n"
        "      LINKS\n    ],\n  } }]],\n};\n"
    )
    files = {"docs/a.md": "# A\n\n[x](#nope)\n"}
    tree({**files, "docusaurus.config.js": config.replace("LINKS", "")})
    assert [row[3] for row in not_ok()] == ["broken"]  # both plugins write no anchor
    tree({**files, "docusaurus.config.js": config.replace("LINKS", "links,")})
    why = "decided by the remark plugin './src/remark/links.js' (docusaurus.config.js line 7)"
    assert [row[3:] for row in not_ok()] == [("unverified", why)]


def test_vitepress_config_folder_and_attrs_delimiters(tree) -> None:
    tree(
        {
            ".vitepress/config/index.ts": "import { shared } from './shared'\nexport default {}\n",
            ".vitepress/config/shared.ts": (
                "export const shared = { markdown: { attrs: {\n"
                "  leftDelimiter: '%{', rightDelimiter: '}%' } } }\n"
            ),
            "api.md": "# API\n\n### StateTree %{#statetree}%\n",
            "index.md": "[a](./api.md#statetree) [b](./api#nope)\n",
        }
    )
    assert [row[2:4] for row in not_ok()] == [("./api#nope", "broken")]


def test_mdx_on_a_site_is_read_as_mdx(tree) -> None:
    tree(
        {
            "docusaurus.config.js": "module.exports = {};\n",
            "docs/a.mdx": (
                '# A\n\n<Tabs>\n  <TabItem label="x">\n  \t```js\n    x\n\n    ```\n'
                "  </TabItem>\n</Tabs>\n\n### `locals`\n\n[l](#locals) [e]({url}) [n](#nope)\n"
            ),
        }
    )
    rows = not_ok()
    assert [row[2:4] for row in rows] == [("#nope", "broken")]


def test_starlight_top_anchor_and_plugins_that_add_pages(tree) -> None:
    tree(
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\n"
                "import starlightBlog from 'starlight-blog'\n"
                "import starlightLinksValidator from 'starlight-links-validator'\n"
                "export default { integrations: [starlight({ title: 'x',\n"
                "  plugins: [starlightLinksValidator(), starlightBlog({ title: 'B' })],\n"
                "})] }\n"
            ),
            "src/content/docs/index.md": "# Home\n\n[top](#_top) [blog](/blog/)\n",
        }
    )
    why = "decided by the Starlight plugin 'starlight-blog' (astro.config.mjs line 5)"
    assert [row[2:] for row in not_ok()] == [("/blog/", "unverified", why)]


def test_starlight_plugins_decide_only_at_the_routes_they_serve(tree) -> None:
    """A known plugin decides only links under the routes it injects (the blog's
    `prefix`, under each locale too; each changelog's `base` from the content config;
    Lunaria's `route`); one that injects none and rewrites no link decides nothing, and
    Expressive Code's `plugins` are not Starlight's."""
    tree(
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\n"
                "import starlightBlog from 'starlight-blog'\n"
                "import starlightChangelogs from 'starlight-changelogs'\n"
                "import lunaria from '@lunariajs/starlight'\n"
                "import zoom from 'starlight-image-zoom'\n"
                "export default { integrations: [starlight({ title: 'x',\n"
                "  expressiveCode: { plugins: [collapsible()] },\n"
                "  locales: {\n    root: { label: 'English', lang: 'en' },\n    fr: { label: 'Fr' } },\n"
                "  plugins: [starlightBlog({ prefix: '/news/' }), // it doesn't [check] `next`\n"
                "    starlightChangelogs(),\n"
                "    lunaria({ route: 'i18n-dashboard' }), zoom()],\n"
                "})] }\n"
            ),
            "src/content.config.ts": (
                "import { changelogsLoader } from 'starlight-changelogs/loader'\n"
                "export const collections = { changelogs: defineCollection({\n"
                "  loader: changelogsLoader([{ provider: 'changeset', base: 'internals/changes',\n"
                "    changelog: '../CHANGELOG.md' }]) }) }\n"
            ),
            "src/content/docs/index.md": (
                "# Home\n\n[n](/news/2024/) [f](/fr/news/) [c](/internals/changes/v1/)\n"
                "[d](/i18n-dashboard/) [gone](/linter/rules/no-new-symbol) [a](#nope)\n"
                "[blog](/blog/)\n"
            ),
        }
    )
    line = "(astro.config.mjs line 11)"
    later = "(astro.config.mjs line 12)"
    blog = f"decided by the Starlight plugin 'starlight-blog' {line}"
    changes = f"decided by the Starlight plugin 'starlight-changelogs' {later}"
    dashboard = "decided by the Starlight plugin '@lunariajs/starlight' (astro.config.mjs line 13)"
    rows = {row[2]: (row[3], row[4]) for row in not_ok()}
    assert rows == {
        "/news/2024/": ("unverified", blog),
        "/fr/news/": ("unverified", blog),
        "/internals/changes/v1/": ("unverified", changes),
        "/i18n-dashboard/": ("unverified", dashboard),
        "/linter/rules/no-new-symbol": ("broken", rows["/linter/rules/no-new-symbol"][1]),
        "#nope": ("broken", "no heading or anchor #nope in src/content/docs/index.md"),
        "/blog/": ("broken", rows["/blog/"][1]),  # the prefix is `news` here
    }
    # A prefix the config computes is not read: the plugin may serve any route.
    config = Path("astro.config.mjs").read_text()
    Path("astro.config.mjs").write_text(config.replace("'/news/'", "PREFIX"))
    rows = {row[2]: row[3] for row in not_ok()}
    assert rows["/blog/"] == rows["/linter/rules/no-new-symbol"] == "unverified"


def test_starlight_redirects_base_of_the_config_and_a_plugins_array_beside_the_call(
    tree,
) -> None:
    """Astro's `redirects` keys are pages of the built site (a codegen-written module
    spread into them too: biome's `redirects.js`); `base` is read from the config object
    itself, not from a sidebar item; `plugins` may name an array built beside the call."""
    tree(
        {
            "redirects.js": (
                "// This file is generated by the codegen. Do not edit it manually.\n"
                "export default {\n  '/linter/rules/no-debugger': '/linter/rules/x/js',\n}\n"
            ),
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\n"
                "import redirects from './redirects.js'\n"
                "export default defineConfig({ integrations: [starlight({ title: 'x',\n"
                "  sidebar: [{ label: 'Changes', base: 'internals/changelog' }],\n"
                "  PLUGINS })],\n"
                "  redirects: { ...redirects, '/old': '/', '/blog/[...slug]': '/' },\n})\n"
            ),
            "src/content/docs/index.md": (
                "# Home\n\n[rule](/linter/rules/no-debugger) [old](/old/) [gone](/gone/)\n"
                "\n[moved](/old/#home) [nope](/old/#nope)\n"
            ),
            "src/content/docs/linter/rules/x/js.md": "# x\n",
        }
    )
    # A fragment is checked on the page the redirect sends the reader to.
    assert [row[2:4] for row in not_ok()] == [("/gone/", "broken"), ("/old/#nope", "broken")]
    config = Path("astro.config.mjs").read_text()
    Path("astro.config.mjs").write_text(
        "import utils from '@lorenzo_lewis/starlight-utils'\nconst plugins = [utils()]\n"
        + config.replace("PLUGINS", "plugins")
    )
    # A plugin linkcheck has not read may decide any link.
    why = (
        "decided by the Starlight plugin '@lorenzo_lewis/starlight-utils' (astro.config.mjs line 2)"
    )
    assert [row[2:] for row in not_ok()] == [
        ("/gone/", "unverified", why),
        ("/old/#nope", "unverified", why),
    ]


def test_starlight_dynamic_routes_and_dynamic_redirects_decide_what_they_match(tree) -> None:
    """`src/pages/custom/[...param].astro` serves the paths its `getStaticPaths()`
    returns (a literal list: exactly those, starlight-links-validator's invalid-links
    fixture), a route whose list is computed and a redirect from `/old/[...param]` those
    only the build knows. A URL no route matches stays broken."""
    tree(
        {
            "astro.config.mjs": (
                "import starlight from '@astrojs/starlight'\n"
                "export default defineConfig({ integrations: [starlight({ title: 'x' })],\n"
                "  redirects: {\n    '/old/[...param]': '/custom/[...param]',\n  },\n})\n"
            ),
            "src/pages/custom/[...param].astro": (
                "---\nexport function getStaticPaths() {\n"
                "  return [\n    {params: { param: 'foo' }},\n    {params: { param: 'foo.bar' }},\n"
                "  ];\n}\n---\n<p>x</p>\n"
            ),
            "src/pages/item/[id].astro": "---\nexport const getStaticPaths = () => []\n---\n",
            "src/content/docs/index.md": (
                "# Home\n\n[a](/custom/foo/) [b](/old/foo/) [c](/item/1/) [d](/item/1/2/)\n"
                "[e](/custom/foo.bar/) [f](/custom/bar/)\n"
            ),
        }
    )
    route = "decided by the Astro dynamic route 'getStaticPaths' (src/pages/{} line 2)"
    redirect = "decided by the Astro redirect '/old/[...param]' (astro.config.mjs line 4)"
    rows = not_ok()
    assert [row[2:] for row in rows] == [
        ("/item/1/", "unverified", route.format("item/[id].astro")),
        ("/item/1/2/", "broken", rows[1][4]),
        ("/old/foo/", "unverified", redirect),
        ("/custom/bar/", "broken", rows[3][4]),
    ]
