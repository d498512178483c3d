"""Hugo's output formats and Goldmark's passthrough extension (issue 21, google/docsy):
a link to the file an output format writes for a page kind is a real target (docsy's
theme defines `LLMS` with `baseName: llms`, its site turns it on for the home page:
`/llms.txt`); a format defined where linkcheck cannot read makes a missing target
`unverified`; text between passthrough delimiters is no markdown, so nothing in it is
a link (docsy's `\\[ … <=>[+ 2OH-][+ 2H+] … \\]`)."""

from __future__ import annotations

import linkcheck
from linkcheck import Options


def results() -> dict[str, tuple[str, str | None]]:
    report = linkcheck.check(["."], Options(offline=True))
    return {
        f"{r.link.line}:{r.link.url}": (r.status.value, r.outcome.reason) for r in report.results
    }


def statuses() -> dict[str, str]:
    return {k: v[0] for k, v in results().items()}


SITE = {
    "content/_index.md": "# Home\n",
    "content/docs/_index.md": "# Docs\n",
    "content/docs/page.md": "# Page\n",
}


def test_output_formats_of_the_site_and_its_theme_write_files_per_page_kind(tree) -> None:
    tree(
        {
            **SITE,
            "hugo.yaml": (
                "theme: [docsy/theme]\n"
                "outputs:\n  home: [HTML, LLMS]\n  section: [HTML, print, RSS]\n"
                "  page: [HTML, markdown]\n"
                "outputFormats:\n  print:\n    baseName: index\n    mediaType: text/html\n"
                "    path: _print\n"
            ),
            # the theme's own repository, checked out under another name (docsy.dev's
            # `--themesDir ../..`): its config defines LLMS
            "../theme/hugo.yaml": (
                "outputFormats:\n  LLMS:\n    baseName: llms\n    mediaType: text/plain\n"
            ),
            "content/docs/links.md": (
                "[a](/llms.txt) [b](/docs/_print/) [c](/docs/index.xml) [d](/index.xml)\n"
                "[e](/docs/page/index.md) [f](/docs/llms.txt) [g](/docs/page/index.xml)\n"
            ),
        }
    )
    assert statuses() == {
        "1:/llms.txt": "ok",  # the theme's format, on for the home page
        "1:/docs/_print/": "ok",  # the site's own format with a path, for sections
        "1:/docs/index.xml": "ok",  # RSS, listed for sections
        "1:/index.xml": "broken",  # the home page's outputs do not list RSS
        "2:/docs/page/index.md": "ok",  # Hugo's built-in markdown format, for pages
        "2:/docs/llms.txt": "broken",  # LLMS is the home page's only
        "2:/docs/page/index.xml": "broken",  # no RSS for pages
    }


def test_rss_is_on_by_default_for_the_home_page_and_sections(tree) -> None:
    tree(
        {
            **SITE,
            "hugo.toml": "title = 'x'\n",
            "content/docs/links.md": "[a](/index.xml) [b](/docs/index.xml) [c](/docs/page/index.xml)\n",
        }
    )
    assert statuses() == {
        "1:/index.xml": "ok",
        "1:/docs/index.xml": "ok",
        "1:/docs/page/index.xml": "broken",
    }


def test_a_format_defined_where_linkcheck_cannot_read_is_unverified_naming_it(tree) -> None:
    tree(
        {
            **SITE,
            "hugo.yaml": "theme: gone\noutputs:\n  home:\n    - HTML\n    - LLMS\n",
            "content/docs/links.md": (
                "[a](/llms.txt) [b](missing.md) [c](/docs/llms.txt) [d](/gone/)\n"
            ),
        }
    )
    found = results()
    # Only a file at the home page's folder may be the home page's format's.
    assert found["1:/docs/llms.txt"][0] == "broken"
    assert found["1:/gone/"][0] == "broken"
    assert found["1:/llms.txt"] == (
        "unverified",
        "decided by the Hugo output format defined where linkcheck cannot read it 'llms' "
        "(hugo.yaml line 5)",
    )
    assert found["1:missing.md"][0] == "broken"  # a source file that exists nowhere


def test_text_between_passthrough_delimiters_is_no_link(tree) -> None:
    tree(
        {
            "hugo.yaml": (
                "markup:\n  goldmark:\n    extensions:\n      passthrough:\n        enable: true\n"
                "        delimiters:\n          block: [['\\[', '\\]'], ['$$', '$$']]\n"
                "          inline: [['\\(', '\\)']]\n"
            ),
            "content/_index.md": (
                "# Home\n\n"
                "\\[\n\\ce{Zn <=>[+ 2OH-][+ 2H+] x} [a](gone-1.md)\n\\]\n\n"
                "Inline \\( [b](gone-2.md) [c][d] \\) and [e](gone-3.md).\n\n"
                "$$ [f](gone-4.md) $$\n\n"
                "`\\(` [g](gone-5.md) `\\)`\n\n"
                "```\n\\[\n```\n[h](gone-6.md)\n\n"
                "\\( unclosed\n\n[i](gone-7.md) \\)\n"
            ),
        }
    )
    found = statuses()
    assert {k: v for k, v in found.items() if v != "skipped"} == {
        "7:gone-3.md": "broken",
        "11:gone-5.md": "broken",  # the delimiters are code there
        "16:gone-6.md": "broken",  # after a fence that held an opening delimiter
        "20:gone-7.md": "broken",  # an inline pair does not span a blank line
    }
    assert {k for k, v in found.items() if v == "skipped"} == {
        "4:",  # `[+ 2OH-][+ 2H+]`: a reference, in markdown
        "4:gone-1.md",
        "7:gone-2.md",
        "7:",  # `[c][d]`
        "9:gone-4.md",
    }


def test_disabled_rss_writes_no_feed(tree) -> None:
    tree(
        {
            **SITE,
            "hugo.toml": "disableKinds = ['rss']\n",
            "content/docs/links.md": "[a](/index.xml) [b](/docs/index.xml)\n",
        }
    )
    assert statuses() == {"1:/index.xml": "broken", "1:/docs/index.xml": "broken"}
