"""Host redirect files beside a site (issue 21): a link to a URL the site has no page
for works where Netlify's `netlify.toml`/`_redirects` or Vercel's `vercel.json` sends
the reader on; a rule that depends on the request makes it `unverified`, naming the
rule; a file linkcheck cannot read is one warning and the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import linkcheck
from linkcheck import Options

Row = tuple[str, str, str | None]

SITE = {
    "mkdocs.yml": "site_name: x\n",
    "docs/guide/setup.md": "# Setup\n\n## Install\n",
}


def rows(status: str | None = None) -> list[Row]:
    report = linkcheck.check(["."], Options(offline=True))
    return sorted(
        (r.link.url, r.status.value, r.outcome.reason)
        for r in report.results
        if (status is None and r.status.value != "skipped") or r.status.value == status
    )


def statuses() -> dict[str, str]:
    report = linkcheck.check(["."], Options(offline=True))
    return {r.link.url: r.status.value for r in report.results}


def test_netlify_toml_redirects_splats_destinations_fragments_and_conditions(tree) -> None:
    tree(
        {
            **SITE,
            "netlify.toml": (
                '[build]\npublish = "site"\n\n'
                '[[redirects]]\nfrom = "/chat"\nstatus = 301\nto = "https://discord.gg/x"\n\n'
                '[[redirects]]\nfrom = "/old/*"\nto = "/guide/:splat"\n\n'
                '[[redirects]]\nfrom = "/v/:version/setup"\nto = "/guide/setup/"\n\n'
                '[[redirects]]\nfrom = "/admin"\nto = "/guide/setup/"\n'
                'conditions = {Role = ["admin"]}\n'
            ),
            "docs/index.md": (
                "[chat](/chat) [old](/old/setup/#install) [nope](/old/setup/#nope)\n"
                "[v](/v/2.0/setup/) [gone](/gone/) [admin](/admin) [slash](/chat/)\n"
                "[seg](/v/2.0/x/setup)\n"
            ),
        }
    )
    found = statuses()
    assert found == {
        "/chat": "ok",
        "/chat/": "ok",  # a trailing slash is ignored
        "/old/setup/#install": "ok",  # checked on the page the splat sends the reader to
        "/old/setup/#nope": "broken",
        "/v/2.0/setup/": "ok",  # `:version` is one segment…
        "/v/2.0/x/setup": "broken",  # …not two
        "/gone/": "broken",
        "/admin": "unverified",
    }
    ok = [r for r in rows("ok") if r[0] == "/chat"]
    assert ok == [
        (
            "/chat",
            "ok",
            "redirected to https://discord.gg/x by Netlify's rule /chat (netlify.toml line 5)",
        )
    ]
    why = (
        "decided by the Netlify redirect rule '/admin /guide/setup/ (Role=admin)' "
        "(netlify.toml line 18)"
    )
    assert ("/admin", "unverified", why) in rows()


def test_redirects_file_statuses_query_rewrites_and_the_first_rule_wins(tree) -> None:
    """`_redirects` is in the folder the build copies (MkDocs' docs_dir here), and its
    rules come before the toml's."""
    tree(
        {
            **SITE,
            "netlify.toml": '[[redirects]]\nfrom = "/first"\nto = "/nowhere/"\n',
            "docs/_redirects": (
                "# moved pages\n"
                "/first            /guide/setup/\n"
                "/docs/:lang/usage.html  /guide/setup/  301\n"
                "/moved            /guide/setup/#install  301!\n"
                "/moved-bad        /guide/setup/#nope\n"
                "/fr/*             /fr/404.html   404\n"
                "/store  id=:id    /guide/setup/  301\n"
                "/geo              /guide/setup/  302  Country=us,ca\n"
                "/app/*            /index.html    200\n"
                "/proxy/*          https://api.example/:splat  200\n"
                "/faq/old*         /guide/setup:splat\n"
            ),
            "docs/index.md": (
                "[a](/first) [b](/docs/en/usage.html) [c](/moved) [d](/moved-bad)\n"
                "[e](/fr/x/) [f](/store) [g](/geo) [h](/app/x) [i](/proxy/v1/x)\n"
                "[j](/faq/old/) [k](/faq/oldx/)\n"
            ),
        }
    )
    assert statuses() == {
        "/first": "ok",
        "/docs/en/usage.html": "ok",
        "/moved": "ok",  # the destination's own fragment is checked there
        "/moved-bad": "broken",
        "/fr/x/": "broken",  # a custom not-found page is no page
        "/store": "unverified",  # a query parameter: the request decides
        "/geo": "unverified",
        "/app/x": "unverified",  # one page for every URL: its scripts decide
        "/proxy/v1/x": "ok",
        "/faq/old/": "ok",  # `/faq/old*` → `/guide/setup:splat` with an empty splat
        "/faq/oldx/": "broken",  # → `/guide/setupx`: no such page
    }
    why = dict((r[0], r[2]) for r in rows())
    assert why["/app/x"] == (
        "decided by the Netlify rewrite rule '/app/* /index.html 200' (docs/_redirects line 9)"
    )
    assert why["/store"] == (
        "decided by the Netlify redirect rule '/store /guide/setup/ (id=:id)' "
        "(docs/_redirects line 7)"
    )


def test_vercel_json_redirects_rewrites_and_conditions(tree) -> None:
    tree(
        {
            **SITE,
            "vercel.json": json.dumps(
                {
                    "cleanUrls": True,
                    "redirects": [
                        {"source": "/docs/0.86/:path*", "destination": "/guide/:path*"},
                        {"source": "/help", "destination": "/guide/setup/#install"},
                        {
                            "source": "/uk/:path((?!x/).*)",
                            "has": [{"type": "header", "key": "x-vercel-ip-country"}],
                            "destination": "/guide/:path*",
                            "permanent": False,
                        },
                    ],
                    "rewrites": [{"source": "/api/(.*)", "destination": "https://api.example/"}],
                },
                indent=2,
            ),
            "docs/index.md": (
                "[a](/docs/0.86/setup) [b](/Docs/0.86/setup/) [c](/docs/0.86/nope)\n"
                "[d](/help) [e](/uk/setup) [f](/api/v1/users)\n"
            ),
        }
    )
    assert statuses() == {
        "/docs/0.86/setup": "ok",
        "/Docs/0.86/setup/": "ok",  # path-to-regexp matches without case
        "/docs/0.86/nope": "broken",
        "/help": "ok",
        "/uk/setup": "unverified",
        "/api/v1/users": "ok",
    }
    why = dict((r[0], r[2]) for r in rows())
    assert why["/uk/setup"].startswith("decided by the Vercel redirect rule '/uk/:path((?!x/).*)")
    assert why["/uk/setup"].endswith("(vercel.json line 13)")


def test_a_site_in_a_subfolder_finds_the_toml_above_it_and_the_base_folder_redirects(
    tree,
) -> None:
    tree(
        {
            "netlify.toml": '[build]\nbase = "website"\npublish = "website/build"\n',
            "website/_redirects": "/api  /guide/setup/\n",
            **{f"website/{k}": v for k, v in SITE.items()},
            "website/docs/index.md": "[a](/api) [b](/nope/)\n",
        }
    )
    assert statuses() == {"/api": "ok", "/nope/": "broken"}


def test_malformed_host_files_are_one_warning_each_and_the_run_goes_on(tree) -> None:
    tree(
        {
            **SITE,
            "netlify.toml": "[[redirects]\nfrom = \n",
            "vercel.json": '{"redirects": [',
            "docs/index.md": "[a](/guide/setup/) [b](/gone/) [c](/loop)\n",
        }
    )
    # A `_redirects` that is no text, and rules that loop or name no destination.
    Path("docs/_redirects").write_bytes(b"/x \xff\xfe /y\n")
    Path("_redirects").write_text("/loop /loop2 301\n/loop2 /loop\n/lonely\n\n# end\n")
    report = linkcheck.check(["."], Options(offline=True))
    assert {r.link.url: r.status.value for r in report.results} == {
        "/guide/setup/": "ok",
        "/gone/": "broken",
        "/loop": "broken",  # a redirect loop leads nowhere
    }
    issues = sorted((i.file, i.message.split(":")[0], i.fatal) for i in report.file_issues)
    assert issues == [
        ("docs/_redirects", "cannot read _redirects", False),
        ("netlify.toml", "netlify.toml is not valid", False),
        ("vercel.json", "vercel.json is not valid", False),
    ]
    assert all("\n" not in i.message for i in report.file_issues)
    assert all(i.message.endswith("its redirect rules are not used") for i in report.file_issues)


def test_a_hugo_build_that_writes_the_redirects_file_decides_what_the_site_lacks(tree) -> None:
    """jaeger's `outputs: home: [HTML, REDIRECTS]` with `baseName: _redirects`: the build
    writes the host's rules from a template linkcheck cannot run."""
    config = (
        "baseURL: https://x.org/\n"
        "outputFormats:\n  REDIRECTS:\n    mediaType: text/netlify\n    baseName: _redirects\n"
        "outputs:\n  home: [HTML, REDIRECTS]\n"
    )
    tree(
        {
            "hugo.yaml": config,
            "layouts/index.redirects": "/docs/latest/* /docs/{{ site.Params.latest }}/:splat\n",
            "content/about.md": "# About\n\n[a](/docs/latest/architecture/) [b](/about/)\n",
        }
    )
    why = (
        "decided by the Hugo output format that writes the host's redirect rules "
        "'REDIRECTS' (hugo.yaml line 5)"
    )
    assert rows() == [
        ("/about/", "ok", None),
        ("/docs/latest/architecture/", "unverified", why),
    ]
    Path("hugo.yaml").write_text(config.replace("[HTML, REDIRECTS]", "[HTML]"))
    assert statuses()["/docs/latest/architecture/"] == "broken"


def test_an_escaped_parenthesis_inside_a_vercel_group_is_a_character_not_its_end(tree) -> None:
    """path-to-regexp's `\\)` inside `(regex)` is a literal parenthesis: the group goes on
    to the unescaped `)` (counting the escaped one closed `/v/(a\\)|b)` after `a\\`, a
    pattern that does not compile, and the file's rules were lost)."""
    tree(
        {
            **SITE,
            "vercel.json": json.dumps(
                {
                    "redirects": [
                        {"source": "/v/(a\\)|b)", "destination": "/guide/setup/"},
                        {"source": "/w/(\\(x)", "destination": "/guide/setup/"},
                    ]
                }
            ),
            "docs/index.md": "[a](/v/b) [b](</v/a)>) [c](/v/c) [d](</w/(x>) [e](/w/x)\n",
        }
    )
    report = linkcheck.check(["."], Options(offline=True))
    assert report.file_issues == ()
    assert {r.link.url: r.status.value for r in report.results} == {
        "/v/b": "ok",
        "/v/a)": "ok",
        "/v/c": "broken",
        "/w/(x": "ok",
        "/w/x": "broken",
    }
