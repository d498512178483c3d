"""Site generators: each fixture site under tests/sites/ is checked as its built site
serves it — links right only after the build are `ok`, truly broken ones say what was
tried — and a bad config falls back to GitHub's rules with a one-line warning."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest

import linkcheck
from linkcheck import Options
from linkcheck._report.json import write_json

SITES = Path(__file__).resolve().parent / "sites"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Path:
    """A copy of one fixture site, outside any git work tree, as the current directory."""
    copy = tmp_path / request.param
    shutil.copytree(SITES / request.param, copy)
    monkeypatch.chdir(copy)
    return copy


def verdicts(options: Options | None = None) -> list[tuple[str, int, str, str, str | None]]:
    report = linkcheck.check(["."], options or Options(offline=True))
    return [
        (r.link.file, r.link.line, r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
    ]


def not_ok(rows: list[tuple[str, int, str, str, str | None]]) -> list[tuple]:
    return [row for row in rows if row[3] != "ok"]


@pytest.mark.parametrize("site", ["mdbook"], indirect=True)
def test_mdbook_pages_redirects_nested_books_and_sibling_books(site: Path) -> None:
    assert not_ok(verdicts()) == [
        # Beside book.toml, outside src/: read on GitHub, where the built page is no file.
        ("README.md", 3, "src/chapter.html", "broken", "file not found: src/chapter.html"),
        (
            "src/chapter.md", 5, "../std/index.html", "skipped",
            "leaves the mdbook site for a sibling site on the same server: ../std/index.html",
        ),
        (
            "src/chapter.md", 6, "draft.html", "broken",
            "not found: served from /chapter.html → /draft.html is no page or file of the "
            "mdbook site (book.toml)",
        ),
        (
            "src/chapter.md", 6, "missing.html#x", "broken",
            "not found: served from /chapter.html → /missing.html is no page or file of the "
            "mdbook site (book.toml)",
        ),
        ("src/chapter.md", 6, "intro.html#nope", "broken", "no heading or anchor #nope in src/intro.md"),
    ]  # fmt: skip


@pytest.mark.parametrize("site", ["mdbook"], indirect=True)
def test_the_summary_names_every_book_and_its_config(site: Path) -> None:
    report = linkcheck.check(["."], Options(offline=True))
    assert report.generators == (("mdbook", "book.toml"), ("mdbook", "old/book.toml"))
    stream = StringIO()
    write_json(report, stream)
    assert json.loads(stream.getvalue())["summary"]["generator"] == {
        "name": "mdbook",
        "from": "book.toml",
        "sites": [
            {"name": "mdbook", "from": "book.toml"},
            {"name": "mdbook", "from": "old/book.toml"},
        ],
    }


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_jekyll_permalinks_collections_baseurl_and_liquid(site: Path) -> None:
    assert [row for row in not_ok(verdicts()) if row[0] != "liquid.md"] == [
        # Excluded from the site (`exclude:`): read on GitHub, where it is no file.
        ("README.md", 3, "/guides/legal/", "broken", "file not found: guides/legal"),
        (
            "_articles/ar/start.md", 6, "../../legl/", "broken",
            "not found: served from /guides/ar/start/ → /guides/legl/ is no page or file of "
            "the jekyll site (_config.yml)",
        ),
        (
            "index.md", 8, "/guides/ar/finish/", "broken",
            "not found: served from /guides/ → /guides/ar/finish/ is no page or file of the "
            "jekyll site (_config.yml)",
        ),
        (
            "index.md", 8, "{{ page.next.url }}", "skipped",
            "jekyll template in the link target: only a build can evaluate it",
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_jekyll_excluded_files_keep_githubs_rules(site: Path) -> None:
    rows = [row for row in verdicts() if row[0] == "README.md"]
    assert [row[2:4] for row in rows] == [
        ("_articles/ar/start.md", "ok"),
        ("/guides/legal/", "broken"),  # no such file in the repository
    ]


def positions(options: Options | None = None) -> list[tuple]:
    report = linkcheck.check(["."], options or Options(offline=True))
    return [
        (r.link.file, r.link.line, r.link.column, r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
    ]


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_jekyll_liquid_link_tags_in_destinations_are_links_resolved_by_the_site(
    site: Path,
) -> None:
    """Jekyll runs Liquid before markdown: `[x]({% link a.md %})` is a link on the site,
    though CommonMark ends a destination at its first space."""
    rows = [row for row in positions() if row[0] == "liquid.md" and row[1] < 14]
    assert rows == [
        ("liquid.md", 6, 1, "{% post_url 2020-01-02-hello %}", "ok", None),
        ("liquid.md", 6, 42, "{% link about.md %}#about-us", "ok", None),
        ("liquid.md", 7, 1, "{{ site.baseurl }}{% link _articles/legal.md %}#legal-notes", "ok", None),
        ("liquid.md", 8, 1, '{{ "/ar/start/" | relative_url }}', "ok", None),
        (
            "liquid.md", 8, 46, "{% link abot.md %}", "broken",
            "not found: served from /guides/liquid/ → /abot.md is no page or file of the "
            "jekyll site (_config.yml)",
        ),
        (
            "liquid.md", 9, 1, "{% post_url 2020-01-03-nope %}", "broken",
            "not found: served from /guides/liquid/ → /_posts/2020-01-03-nope is no page or "
            "file of the jekyll site (_config.yml)",
        ),
        ("liquid.md", 9, 41, "{% link about.md %}#nope", "broken", "no heading or anchor #nope in about.md"),
        # A definition's destination too; the code span stays code.
        ("liquid.md", 12, 1, "{% link index.md %}", "ok", None),
    ]  # fmt: skip


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_kramdown_markdown_blocks_hold_links_on_the_site_and_text_on_github(site: Path) -> None:
    rows = positions()
    assert [row for row in rows if row[0] == "liquid.md" and row[1] >= 14] == [
        ("liquid.md", 15, 3, "assets/logo.svg", "ok", None),
        ("liquid.md", 16, 8, "../legal/#legal-notes", "ok", None),
        (
            "liquid.md", 16, 51, "../lost/", "broken",
            "not found: served from /guides/liquid/ → /guides/lost/ is no page or file of "
            "the jekyll site (_config.yml)",
        ),
        # The blanked tag's id is still an anchor; `[raw text]` in a plain <div> is HTML.
        ("liquid.md", 17, 21, "#aside-note", "ok", None),
    ]  # fmt: skip
    # README.md is excluded from the site: GitHub shows the <div markdown="1"> as HTML.
    assert [row[3] for row in rows if row[0] == "README.md"] == [
        "_articles/ar/start.md",
        "/guides/legal/",
    ]


def test_jekyll_redirect_from_posts_collection_permalink_and_liquid_written_definitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-redirect-from]\n"
        "collections:\n  posts:\n    permalink: /news/:year/:month/:day/:title/\n"
    )
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2020-01-02-hi.md").write_text("---\n---\nHi.\n")
    (tmp_path / "home.md").write_text("---\nredirect_from: [/old-home/]\n---\n# Home\n")
    (tmp_path / "index.md").write_text(
        "[post](/news/2020/01/02/hi/), [moved](/old-home/), [gone](/older-home/),\n"
        "[#1][] and [#2][], [nowhere][].\n\n"
        "{% for n in (1..2) %}\n[#{{ n }}]: https://example.org/issues/{{ n }}\n{% endfor %}\n"
    )
    assert not_ok(verdicts()) == [
        (
            "index.md", 1, "/older-home/", "broken",
            "not found: served from / → /older-home/ is no page or file of the jekyll site "
            "(_config.yml)",
        ),
        ("index.md", 2, "", "skipped", "[#1] may be defined by a Liquid-written definition: only a build knows"),
        ("index.md", 2, "", "skipped", "[#2] may be defined by a Liquid-written definition: only a build knows"),
        (
            "index.md", 2, "", "skipped",
            "[nowhere] may be defined by a Liquid-written definition: only a build knows",
        ),
        # The loop's line: an address Liquid completes, which only the build knows.
        ("index.md", 5, "https://example.org/issues/{{ n }}", "skipped", "template in the link target: only a build can evaluate it"),
    ]  # fmt: skip


def test_jekyll_defaults_give_permalinks_by_path_and_type_most_specific_first(tree) -> None:
    tree({
        "_config.yml": "collections:\n  recipes:\n    output: true\n"
        "defaults:\n"
        "  - scope: {path: ''}\n    values: {permalink: /:basename/}\n"
        "  - scope: {path: guides, type: pages}\n    values: {permalink: /learn/:basename/}\n"
        "  - scope: {path: guides/old}\n    values: {layout: plain}\n"
        "  - scope: {type: recipes}\n    values: {permalink: /cook/:path/}\n"
        "  - scope: {path: '_recipes/*.md', type: recipes}\n    values: {permalink: /dish/:title/}\n"
        "  - scope: {type: posts}\n    values: {permalink: none}\n",
        "about.md": "# About\n",
        "guides/start.md": "# Start\n",
        "guides/old/legacy.md": "# Legacy\n",
        "guides/own.md": "---\npermalink: /mine/\n---\n# Own\n",
        "_recipes/soup.md": "# Soup\n",
        "_posts/2021-03-04-news.md": "# News\n",
        "index.md": "[a](/about/) [s](/learn/start/) [l](/learn/legacy/) [o](/mine/)\n"
        "[r](/dish/soup/) [p](/news.html)\n"
        "[wrong](/guides/start.html) [moved](/start/) [not](/cook/soup/)\n",
    })  # fmt: skip
    # Each wrong one is a URL a less specific scope (or none) would have given.
    assert [row[2] for row in not_ok(verdicts())] == [
        "/guides/start.html",
        "/start/",
        "/cook/soup/",
    ]


def test_jekyll_included_underscore_folders_are_pages_and_posts_take_a_default_slug(
    tree,
) -> None:
    # Two set-ups theme docs recommend: `include: [_pages]` with a path default, and
    # every post under /blog/ by a type default.
    tree({
        "_config.yml": "permalink: pretty\ninclude:\n  - _pages\n"
        "defaults:\n"
        "  - scope: {path: _pages}\n    values: {permalink: '/:basename:output_ext'}\n"
        "  - scope: {path: '', type: posts}\n    values: {permalink: '/blog/:slug/'}\n",
        "_pages/about.md": "# About\n\n[home](/)\n",
        "_posts/2022-05-06-hello-world.md": "# Hello\n",
        "_drafts_notes/x.md": "# X\n",
        "index.md": "[about](/about.html) [post](/blog/hello-world/) [notes](/_drafts_notes/x/)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok(verdicts())] == ["/_drafts_notes/x/"]


def test_jekyll_collection_documents_in_any_format_and_kramdown_footnote_ids(tree) -> None:
    # choosealicense.com: `_licenses/mit.txt` has front matter, so Jekyll renders it at
    # the collection's permalink; a `.txt` without front matter is a static file.
    # just-the-docs: kramdown gives a footnote `#fn:LABEL`, its reference `#fnref:LABEL`.
    tree({
        "_config.yml": "collections:\n  licenses:\n    output: true\n"
        "    permalink: /licenses/:path/\n",
        "_licenses/mit.txt": "---\ntitle: MIT License\n---\n\nPermission is granted\n",
        "_licenses/raw.txt": "no front matter\n",
        "notes.md": "# Notes\n\nText.[^js]\n\n[^js]: A note.\n",
        "index.md": "[mit](/licenses/mit/) [raw](/licenses/raw/)\n"
        "[note](notes.md#fn:js) [back](notes.md#fnref:js) [none](notes.md#fn:nope)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok(verdicts())] == ["/licenses/raw/", "notes.md#fn:nope"]


def test_a_link_into_a_folder_gitignore_keeps_out_is_written_by_a_build_step(tree) -> None:
    # Homebrew/brew: docs/rubydoc/ is written by YARD (docs/Rakefile) and ignored, so
    # the checkout lacks what the built site serves; a folder nothing ignores stays broken.
    tree({
        ".gitignore": "# built\n/docs/rubydoc\n*.log\n",
        "docs/_config.yml": "title: x\n",
        "docs/index.md": "[api](/rubydoc/Homebrew.html) [gone](/nothing/x.html)\n",
    })  # fmt: skip
    why = (
        "decided by the build step that writes what .gitignore keeps out of the repository "
        "'docs/rubydoc' (.gitignore line 2)"
    )
    rows = not_ok(verdicts())
    assert [row[2:5] for row in rows] == [
        ("/rubydoc/Homebrew.html", "unverified", why),
        ("/nothing/x.html", "broken", rows[1][4]),
    ]


@pytest.mark.parametrize("site", ["hugo"], indirect=True)
def test_hugo_ref_and_relref_shortcodes_in_destinations(site: Path) -> None:
    assert [row for row in positions() if row[0] == "content/refs.md"] == [
        ("content/refs.md", 3, 1, '{{< ref "docs/guide/index.md" >}}', "ok", None),
        ("content/refs.md", 3, 45, '{{< relref "docs/guide/index.md#setting-up" >}}', "ok", None),
        ("content/refs.md", 4, 1, '{{% ref "first.md" %}}', "ok", None),
        (
            "content/refs.md", 4, 36, '{{< ref "/posts/first" >}}#nope', "broken",
            "no heading or anchor #nope in content/posts/first.md",
        ),
        (
            "content/refs.md", 5, 1, '{{< ref "nope.md" >}}', "broken",
            "not found: served from /refs/ → /nope.md is no page or file of the hugo site "
            "(hugo.toml)",
        ),
        ("content/refs.md", 5, 35, '{{< ref path="first.md" lang="en" >}}', "ok", None),
    ]  # fmt: skip


@pytest.mark.parametrize("cache", [False, True])
@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_generator_github_reads_liquid_and_markdown_blocks_as_github_does(
    site: Path, cache: bool
) -> None:
    """Also from an extraction cache filled by a run that read them as Jekyll does."""
    path = str(site / "cache.db") if cache else None
    assert len(positions(Options(offline=True, cache_path=path))) > 12
    rows = positions(Options(offline=True, generator="github", cache_path=path))
    assert [row[1:5] for row in rows if row[0] == "liquid.md"] == [
        (12, 1, "", "broken"),  # `[def]: {% link index.md %}` is no definition there
        (15, 3, "assets/logo.svg", "ok"),
    ]


@pytest.mark.parametrize("site", ["hugo"], indirect=True)
def test_hugo_pretty_urls_bundles_slugs_static_and_explicit_ids(site: Path) -> None:
    assert [row for row in not_ok(verdicts()) if row[0] != "content/refs.md"] == [
        (
            "content/_index.md", 4, "/posts/none/", "broken",
            "not found: served from / → /posts/none/ is no page or file of the hugo site "
            "(hugo.toml)",
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("site", ["mkdocs"], indirect=True)
def test_mkdocs_docs_dir_directory_urls_and_attr_list_ids(site: Path) -> None:
    assert not_ok(verdicts()) == [
        (
            "pages/index.md", 4, "user/teardown.md", "broken",
            "not found: served from /manual/ → /manual/user/teardown.md is no page or file "
            "of the mkdocs site (mkdocs.yml)",
        ),
        (
            "pages/index.md", 4, "/manual/user/gone/", "broken",
            "not found: served from /manual/ → /manual/user/gone/ is no page or file of the "
            "mkdocs site (mkdocs.yml)",
        ),
        # Served at /manual/user/setup/, so `../` is /manual/user/: no page there.
        (
            "pages/user/setup.md", 7, "../", "broken",
            "not found: served from /manual/user/setup/ → /manual/user/ is no page or file "
            "of the mkdocs site (mkdocs.yml)",
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("toc", "broken"),
    [
        # Python-Markdown's default slugify: ASCII only, separators collapsed, `_1`.
        ("  - tables\n", ["#a-b_2", "#cafe"]),
        ("  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n",
         ["#uber-uns", "#a-b_2", "#cafe-creme", "#cafe"]),
    ],
)  # fmt: skip
def test_mkdocs_headings_answer_to_the_ids_its_toc_gives_them(
    tree, toc: str, broken: list[str]
) -> None:
    tree({
        "mkdocs.yml": f"site_name: x\nmarkdown_extensions:\n{toc}",
        "docs/index.md": "# Über uns\n\n## A & B\n\n## A & B\n\n## Café crème\n\n"
        "[u](#uber-uns) [u](#über-uns) [1](#a-b) [2](#a-b_1) [3](#a-b_2)\n"
        "[c](#cafe-creme) [c](#café-crème) [c](#cafe)\n",
    })  # fmt: skip
    urls = [row[2] for row in not_ok(verdicts(Options(offline=True, check_fragments=True)))]
    assert urls == broken


@pytest.mark.parametrize("site", ["docusaurus"], indirect=True)
def test_docusaurus_routes_ids_number_prefixes_site_paths_and_blog(site: Path) -> None:
    assert not_ok(verdicts()) == [
        (
            "docs/intro.md", 7, "/docs/nope", "broken",
            "not found: served from /docs/start → /docs/nope is no page or file of the "
            "docusaurus site (docusaurus.config.js)",
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("config", "broken"),
    [
        # The latest release at /docs/, an older one at /docs/1.0/, the current at /docs/next/.
        ("", ["/docs/2.0/setup", "/docs/new-page"]),
        # lastVersion: 'current': the current docs at /docs/, every release at /docs/X/.
        ("lastVersion: 'current',", ["/docs/next/new-page"]),
    ],
)
def test_docusaurus_versioned_docs_are_served_under_their_versions(
    tree, config: str, broken: list[str]
) -> None:
    options = "{" + config + "}"
    tree({
        "docusaurus.config.js": f"module.exports = {{presets: [['classic', {{docs: {options}}}]]}};\n",
        "versions.json": '["2.0", "1.0"]\n',
        "docs/setup.md": "# Setup\n",
        "docs/new-page.md": "# New\n",
        "versioned_docs/version-2.0/setup.md": "# Setup\n",
        "versioned_docs/version-1.0/setup.md": "# Setup\n",
        "versioned_docs/version-1.0/old.md":
        "[latest](/docs/setup) [1.0](/docs/1.0/setup) [next](/docs/next/new-page)\n"
        "[2.0](/docs/2.0/setup) [current](/docs/new-page) [sibling](./setup.md)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok(verdicts())] == broken


def test_docusaurus_docs_options_are_read_around_functions_among_them(tree) -> None:
    # As jest's config: an editUrl function before `path`, with a `path` of its own.
    tree({
        "website/docusaurus.config.js": "module.exports = {presets: [['classic', {docs: {\n"
        "  editUrl: ({path: p}) => { return `https://x.test/${p}`; },\n"
        "  path: '../guides', routeBasePath: 'manual',\n}}]]};\n",
        "guides/setup.md": "# Setup\n\n[me](/manual/setup) [no](/docs/setup)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok(verdicts())] == ["/docs/setup"]


def test_docusaurus_docs_path_is_the_options_own_not_a_nested_objects(tree) -> None:
    # A plugin's options object holds a quoted `path` of its own, and a string with an
    # escaped quote and brackets in it comes first: neither is the docs folder's.
    tree({
        "website/docusaurus.config.js": "module.exports = {presets: [['classic', {docs: {\n"
        "  editUrl: 'https://x.test/it\\'s/{[(',\n"
        "  remarkPlugins: [[require('p'), {path: 'not-this'}]],\n"
        "  path: '../guides', routeBasePath: 'manual',\n}}]]};\n",
        "guides/setup.md": "# Setup\n\n[me](/manual/setup) [no](/docs/setup)\n",
    })  # fmt: skip
    assert [row[2] for row in not_ok(verdicts())] == ["/docs/setup"]


@pytest.mark.parametrize("site", ["mdbook"], indirect=True)
def test_generator_github_turns_detection_off(site: Path) -> None:
    rows = verdicts(Options(offline=True, generator="github"))
    assert (
        "src/intro.md",
        3,
        "chapter.html#details",
        "broken",
        "file not found: src/chapter.html",
    ) in rows


@pytest.mark.parametrize("site", ["mdbook"], indirect=True)
def test_a_generator_named_but_not_found_is_one_warning(site: Path) -> None:
    # Chosen: a warning, not exit 2. An article outside every book keeps GitHub's rules by
    # design; only when no article checked had the config is the choice surely unused.
    found = linkcheck.check(["."], Options(offline=True, generator="mdbook"))
    assert found.file_issues == ()
    (site / "book.toml").unlink()
    (site / "old" / "book.toml").unlink()
    report = linkcheck.check(["."], Options(offline=True, generator="mdbook"))
    assert [(i.file, i.fatal) for i in report.file_issues] == [("book.toml", False)]
    assert report.file_issues[0].message == (
        "not found at or above any article checked: --generator mdbook changed nothing; "
        "GitHub's rules used instead"
    )
    assert report.generators == ()


@pytest.mark.parametrize("site", ["jekyll"], indirect=True)
def test_a_bad_config_is_one_warning_and_githubs_rules(site: Path) -> None:
    (site / "_config.yml").write_text("title: [unclosed\n")
    report = linkcheck.check(["."], Options(offline=True))
    assert [(i.file, i.fatal) for i in report.file_issues] == [("_config.yml", False)]
    message = report.file_issues[0].message
    assert message.startswith("_config.yml is not valid: ") and "\n" not in message
    assert message.endswith("; GitHub's rules used instead")
    assert report.generators == ()
    by_url = {r.link.url: (r.status.value, r.outcome.reason) for r in report.results}
    # The site's build decides where its links lead: GitHub's rules are only a guess.
    why = "decided by the jekyll config _config.yml, which linkcheck could not read"
    assert by_url["/guides/ar/start/"] == ("unverified", why)


def test_several_sites_in_one_repository_each_get_their_own(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(SITES / "mkdocs", tmp_path / "manual")
    shutil.copytree(SITES / "hugo", tmp_path / "blog")
    (tmp_path / "README.md").write_text("[manual](manual/pages/index.md)\n")
    monkeypatch.chdir(tmp_path)
    report = linkcheck.check(["."], Options(offline=True))
    assert report.generators == (("hugo", "blog/hugo.toml"), ("mkdocs", "manual/mkdocs.yml"))
    assert {r.link.url: r.status.value for r in report.results if r.link.file == "README.md"} == {
        "manual/pages/index.md": "ok"
    }
