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
            "_config.yml": "include: [.well-known]\nexclude: [scripts]\n",
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
    }
