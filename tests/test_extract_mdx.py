"""MDX: markdown's links plus JSX attributes written as string literals and local imports."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

import linkcheck
from linkcheck import Options
from linkcheck._extract._mdx import extract_mdx

ARTICLE = dedent(
    """\
    import Tabs from '@theme/Tabs';
    import Intro, {meta} from './intro.mdx';
    import "../styles.css"

    # Page

    See <Link to="/docs/x">docs</Link> and <img src="./a.png" alt="a" /> and
    <Card
      title="t"
      href='https://card.example/?a=1&amp;b=2'
      to={dynamic}
    />

    ```jsx
    <Link to="/in/code">x</Link>
    import Nope from './nope.mdx'
    ```

    Inline `<Link to="/in/span">` and [md](./md.mdx).
    """
)


def test_jsx_attributes_imports_and_markdown_at_exact_positions() -> None:
    found = extract_mdx(ARTICLE, "a.mdx").links
    lines = ARTICLE.split("\n")
    assert [(x.line, x.column, x.kind.value, x.url) for x in found] == [
        (2, 1, "import", "./intro.mdx"),
        (3, 1, "import", "../styles.css"),
        (7, 5, "html", "/docs/x"),
        (7, 40, "html", "./a.png"),
        (8, 1, "html", "https://card.example/?a=1&b=2"),
        (19, 35, "inline", "./md.mdx"),
    ]
    for link in found:
        if link.dest is not None:
            line = lines[link.dest.line - 1]
            assert line[link.dest.start : link.dest.end] == link.url
    assert found[4].dest is None  # `&amp;` written: not rewritten in place


def test_expressions_and_package_imports_are_no_links() -> None:
    text = "import x from 'react'\n\n<Link to={`/a/${b}`} href={url} />\n"
    assert extract_mdx(text, "a.mdx").links == ()


def test_end_to_end_a_missing_import_is_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "intro.mdx").write_text("# Intro\n")
    (tmp_path / "a.mdx").write_text(
        "import Intro from './intro.mdx'\nimport Gone from './gone.mdx'\n\n"
        '<Image src="./missing.png" />\n'
    )
    report = linkcheck.check(["a.mdx"], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("./intro.mdx", "ok"),
        ("./gone.mdx", "broken"),
        ("./missing.png", "broken"),
    ]


def test_code_in_list_items_and_fences_with_an_info_string_inside_are_code() -> None:
    """MDX has no indented code: a fence in a list item, and its closing fence indented
    more than three spaces (Astro docs' `  ```sh` … `    ```` in a list), are a fence
    and what they hold is code; a line opening a fence with an info string (```js)
    inside a fence does not close it (biome's translation with a stray `m`)."""
    text = dedent(
        """\
        1. Install:

          ```sh
          npm i
            ```

        ```astro
        ---
        import { Content } from '../content.mdx';
        ---
        ```

        ```js
        import a from "./a.js";m
        ```js
        import parent from "../parent.js";
        ```

        import Real from './real.mdx'
        """
    )
    assert [(x.line, x.url) for x in extract_mdx(text, "a.mdx").links] == [(19, "./real.mdx")]


def test_an_import_from_the_root_is_read_from_the_astro_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """expressive-code's docs: `import code from '/plugins/x.js?raw'` is read by Vite from
    the folder of astro.config, not served from public/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "astro.config.mjs").write_text(
        "import starlight from '@astrojs/starlight'\n"
        "export default { integrations: [starlight({ title: 'x' })] }\n"
    )
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins/red.js").write_text("export default 1\n")
    docs = tmp_path / "src/content/docs"
    docs.mkdir(parents=True)
    (docs / "index.mdx").write_text(
        "import red from '/plugins/red.js?raw'\nimport gone from '/plugins/gone.js?raw'\n\n# Hi\n"
    )
    report = linkcheck.check(["."], Options(offline=True))
    assert [(r.link.url, r.status.value) for r in report.results] == [
        ("/plugins/red.js?raw", "ok"),
        ("/plugins/gone.js?raw", "broken"),
    ]
