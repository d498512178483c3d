"""A `javascript:` link that runs code is a control on a site whose renderer writes it
into the page (MkDocs, Jekyll, mdBook, Starlight; Hugo with `unsafe`), not a stand-in:
mkdocs-material's demo buttons (`[Hi](javascript:alert$.next("Hi"))`) work on its site.
Where the renderer drops it (GitHub, VitePress, Hugo by default), or where the code does
nothing (`javascript:void(0)`), it is a placeholder, as the SPEC says."""

from __future__ import annotations

import pytest
from tests.test_fragment_case import SITES

import linkcheck
from linkcheck import Options

PAGE = '# A\n\n[Hi](javascript:alert$.next("Hi")) [menu](javascript:void(0)) [x](JavaScript:;)\n'


def statuses(path: str = ".") -> list[tuple[str, str]]:
    report = linkcheck.check([path], Options(offline=True))
    return sorted(
        (r.link.text, r.status.value)
        for r in report.results
        if r.link.url.lower().startswith("javascript:")
    )


@pytest.mark.parametrize("generator", ["mkdocs", "jekyll", "mdbook", "starlight"])
def test_a_script_that_runs_is_a_control_where_the_renderer_keeps_it(tree, generator) -> None:
    config, folder = SITES[generator]
    tree({**config, f"{folder}a.md": PAGE})
    assert statuses() == [("Hi", "skipped"), ("menu", "placeholder"), ("x", "placeholder")]


@pytest.mark.parametrize("generator", ["vitepress", "hugo", "docusaurus"])
def test_where_the_renderer_drops_it_every_script_link_is_a_placeholder(tree, generator) -> None:
    config, folder = SITES[generator]
    tree({**config, f"{folder}a.md": PAGE})
    assert statuses() == [("Hi", "placeholder"), ("menu", "placeholder"), ("x", "placeholder")]


def test_on_github_every_script_link_is_a_placeholder(tree) -> None:
    tree({"a.md": PAGE})
    assert statuses() == [("Hi", "placeholder"), ("menu", "placeholder"), ("x", "placeholder")]


def test_hugo_keeps_it_when_its_html_is_trusted(tree) -> None:
    config = 'baseURL = "https://x.org/"\n[markup.goldmark.renderer]\nunsafe = true\n'
    tree({"hugo.toml": config, "content/a.md": PAGE})
    assert statuses() == [("Hi", "skipped"), ("menu", "placeholder"), ("x", "placeholder")]


def test_the_reason_names_the_generator(tree) -> None:
    config, folder = SITES["mkdocs"]
    tree({**config, f"{folder}a.md": "[Hi](javascript:alert(1))\n"})
    (result,) = linkcheck.check(["."], Options(offline=True)).results
    assert result.outcome.reason == "runs a script on the page mkdocs builds, not a destination"
