"""What a run reads: every article format by default, `--extensions`, quoted globs,
`--files-from`, and no generator template taken for an article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck import Options
from linkcheck._cli import command
from linkcheck._discover import PathError, discover
from linkcheck._templates import full_of_template_syntax


def write(path: Path, text: str = "# x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def found(paths: list[str], **options: object) -> list[str]:
    return [s.display for s in discover(paths, Options(**options))]  # type: ignore[arg-type]


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in (
        "archive/2015/pentagon.txt",
        "archive/2016/later.txt",
        "archive/index.html",
        "archive/notes.md",
        "archive/guide.rst",
        "archive/book.adoc",
        "archive/lab.ipynb",
        "archive/picture.png",
        "archive/data.csv",
    ):
        write(tmp_path / name)
    return tmp_path


def test_a_walk_takes_every_article_format_by_default(archive: Path) -> None:
    assert found(["archive"]) == [
        "archive/2015/pentagon.txt",
        "archive/2016/later.txt",
        "archive/book.adoc",
        "archive/guide.rst",
        "archive/index.html",
        "archive/lab.ipynb",
        "archive/notes.md",
    ]


def test_extensions_replace_the_default_set(archive: Path) -> None:
    assert found(["archive"], extensions=("txt",)) == [
        "archive/2015/pentagon.txt",
        "archive/2016/later.txt",
    ]
    assert found(["archive"], extensions=("csv", "md")) == ["archive/data.csv", "archive/notes.md"]


def test_extensions_flag_and_its_errors(archive: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        command, ["--offline", "--no-cache", "--format", "json", "--extensions", "txt", "archive"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["files"] == 2
    bad = runner.invoke(command, ["--offline", "--no-cache", "--extensions", "md/x", "archive"])
    assert bad.exit_code == 2
    assert "--extensions must be a comma list of extensions" in bad.stderr


def test_quoted_globs_expand_as_the_shell_would(archive: Path) -> None:
    assert found(["archive/*/*.txt"]) == ["archive/2015/pentagon.txt", "archive/2016/later.txt"]
    assert found(["archive/**/*.txt"]) == ["archive/2015/pentagon.txt", "archive/2016/later.txt"]
    # A pattern spelling out an extension takes it; one that does not takes articles.
    assert found(["archive/*.csv"]) == ["archive/data.csv"]
    assert found(["archive/*"]) == [
        "archive/2015/pentagon.txt",
        "archive/2016/later.txt",
        "archive/book.adoc",
        "archive/guide.rst",
        "archive/index.html",
        "archive/lab.ipynb",
        "archive/notes.md",
    ]
    with pytest.raises(PathError, match=r"^path does not exist: archive/\*\.doc$"):
        discover(["archive/*.doc"], Options())


def test_files_from_a_file_and_from_stdin(archive: Path) -> None:
    write(archive / "list.txt", "archive/notes.md\n\n  archive/2015/pentagon.txt  \n")
    runner = CliRunner()
    args = ["--offline", "--no-cache", "--format", "json"]
    result = runner.invoke(command, [*args, "--files-from", "list.txt"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["files"] == 2
    piped = runner.invoke(command, [*args, "--files-from", "-"], input="archive/notes.md\n")
    assert piped.exit_code == 0, piped.output
    assert json.loads(piped.stdout)["summary"]["files"] == 1
    missing = runner.invoke(command, [*args, "--files-from", "nope.txt"])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("linkcheck: error: cannot read --files-from nope.txt")
    both = runner.invoke(command, [*args, "--files-from", "-", "-"], input="x")
    assert both.exit_code == 2


def test_a_plain_text_article_like_the_seed_is_checked(archive: Path) -> None:
    write(
        archive / "archive/2015/pentagon.txt",
        "The Pentagon said [in a statement](#) that <http://> and\non.rt.com/6rq5\n",
    )
    result = CliRunner().invoke(
        command, ["--offline", "--no-cache", "--format", "json", "archive/2015"]
    )
    report = json.loads(result.stdout)
    assert [(x["line"], x["column"], x["kind"], x["status"]) for x in report["links"]] == [
        (1, 19, "inline", "placeholder"),
        (1, 44, "autolink", "placeholder"),
        (2, 1, "bare", "skipped"),
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("config", "templates", "kept"),
    [
        ("_config.yml", ["_layouts/default.html", "_includes/head.html"], ["index.html"]),
        (
            "hugo.toml",
            ["layouts/_default/single.html", "themes/t/layouts/index.html", "archetypes/a.md"],
            ["content/a.md", "static/page.html"],
        ),
        ("mkdocs.yml", ["overrides/main.html"], ["docs/index.md"]),
        ("docusaurus.config.js", ["src/theme/Footer/index.mdx"], ["docs/intro.md"]),
        ("book.toml", ["theme/index.html"], ["src/SUMMARY.md"]),
        ("conf.py", ["_templates/layout.html"], ["index.rst"]),
    ],
)
def test_a_generators_templates_are_not_walked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    templates: list[str],
    kept: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "site" / config, "")
    for name in templates + kept:
        write(tmp_path / "site" / name, "<p>plain</p>\n")
    assert found(["site"]) == [f"site/{name}" for name in sorted(kept)]
    # Without the generator's config the same folders are ordinary content.
    (tmp_path / "site" / config).unlink()
    assert len(found(["site"])) == len(templates) + len(kept)


def test_a_hugo_config_toml_counts_only_beside_hugos_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "config.toml", "")
    write(tmp_path / "layouts/notes.md")
    assert found(["."]) == ["layouts/notes.md"]
    write(tmp_path / "content/a.md")
    assert found(["."]) == ["content/a.md"]


def test_mkdocs_custom_dir_is_a_template_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mkdocs.yml", "theme:\n  name: material\n  custom_dir: 'theme_over' # x\n")
    write(tmp_path / "theme_over/partials/footer.html", "<a href='x'>x</a>")
    write(tmp_path / "docs/index.md")
    assert found(["."]) == ["docs/index.md"]


def test_html_full_of_template_syntax_is_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    liquid = write(
        tmp_path / "t/post.html",
        '{% if page.x %}<a href="{{ page.url | relative_url }}">{{ page.title }}</a>{% endif %}',
    )
    page = write(
        tmp_path / "t/built.html",
        "<p>Write <code>{{ page.title }}</code> to show the title:</p>"
        "<pre>{% for p in site.pages %}\n{{ p.url }}\n{% endfor %}</pre>",
    )
    erb = write(tmp_path / "t/x.htm", '<a href="<%= url %>">a</a> <%= link_to "b" %>')
    assert full_of_template_syntax(str(liquid)) and full_of_template_syntax(str(erb))
    # Create React App's public/index.html, as in reduxjs/redux's examples.
    cra = write(
        tmp_path / "t/public/index.html",
        '<link rel="icon" href="%PUBLIC_URL%/favicon.ico" />'
        '<link rel="manifest" href="%PUBLIC_URL%/manifest.json" />',
    )
    encoded = write(tmp_path / "u/bytes.html", '<a href="a%FF%FEb">x</a> <a href="c%AB%CDd">y</a>')
    assert full_of_template_syntax(str(cra)) and not full_of_template_syntax(str(encoded))
    # vitest's browser tester page: one placeholder its dev server fills in is enough.
    vitest = write(tmp_path / "t/tester.html", '<link rel="icon" href="{__VITEST_FAVICON__}">')
    assert full_of_template_syntax(str(vitest))
    assert not full_of_template_syntax(str(page))
    assert found(["t"]) == ["t/built.html"]
    # Named on the command line, a file is read whatever it holds.
    assert found(["t/post.html"]) == ["t/post.html"]


def test_a_folder_git_ignores_as_a_whole_is_walked_when_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    write(tmp_path / ".gitignore", "site/\n*.log.md\n")
    write(tmp_path / "site/index.html", "<p>built</p>")
    write(tmp_path / "site/a/index.html", "<p>built</p>")
    write(tmp_path / "docs/a.md")
    write(tmp_path / "docs/b.log.md")
    assert found(["site"]) == ["site/a/index.html", "site/index.html"]
    assert found(["."]) == ["docs/a.md"]  # walked from above, it stays ignored
    assert found(["docs"]) == ["docs/a.md"]


def test_a_built_site_git_ignores_is_its_own_root_for_root_relative_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    import linkcheck
    from linkcheck import Status

    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    write(tmp_path / ".gitignore", "public/\n")
    write(tmp_path / "public/css/site.css", "x")
    write(
        tmp_path / "public/guide/index.html",
        '<link rel="stylesheet" href="/css/site.css"><a href="/css/gone.css">x</a>',
    )
    report = linkcheck.check(["public"], Options(offline=True))
    assert [(r.link.url, r.status) for r in report.results] == [
        ("/css/site.css", Status.OK),
        ("/css/gone.css", Status.BROKEN),
    ]


def test_root_relative_links_of_html_pages_in_a_repository_are_unverified_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    import linkcheck
    from linkcheck import Status

    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    write(tmp_path / "css/site.css", "x")
    write(
        tmp_path / "docs/static/page.html",
        '<a href="/blog/">b</a><a href="/css/site.css">c</a><a href="gone.html">g</a>',
    )
    write(tmp_path / "README.md", "[blog](/blog/)\n")
    report = linkcheck.check(["."], Options(offline=True))
    assert [(r.link.url, r.status) for r in report.results] == [
        ("/blog/", Status.BROKEN),  # markdown: GitHub serves it from the repository root
        ("/blog/", Status.UNVERIFIED),  # a page: its server's root could be any folder
        ("/css/site.css", Status.OK),
        ("gone.html", Status.BROKEN),  # relative: certain
    ]
    rooted = linkcheck.check(["."], Options(offline=True, root_dir="."))
    assert [r.status for r in rooted.results][1] is Status.BROKEN


def test_outside_git_a_folder_named_is_a_server_root_when_it_has_an_index_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linkcheck
    from linkcheck import Status

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "site/css/a.css", "x")
    write(tmp_path / "site/docs/page.html", '<link href="/css/a.css"><img src="/gone.png">')
    statuses = lambda: [r.status for r in linkcheck.check(["site"], Options(offline=True)).results]  # noqa: E731
    assert statuses() == [Status.OK, Status.UNVERIFIED]  # a checkout: its root is unknown
    write(tmp_path / "site/index.html", "<p>home</p>")
    assert statuses() == [Status.OK, Status.BROKEN]  # a site: served from its own root


def test_html_in_a_test_suites_folders_is_golden_output_not_a_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "repo/tests/testsuite/basic/expected/page.html", '<img src="example.jpg">')
    write(tmp_path / "repo/tests/fixture-site/goldens/nav.html", '<a href="/blog/">b</a>')
    write(tmp_path / "repo/tests/notes.md")
    write(tmp_path / "repo/site/index.html", "<p>x</p>")
    assert found(["repo"]) == ["repo/site/index.html", "repo/tests/notes.md"]
    # Named, the folder is what the user wants read.
    goldens = "repo/tests/fixture-site/goldens"
    assert found([goldens]) == [f"{goldens}/nav.html"]
