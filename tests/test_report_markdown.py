"""The markdown summary: exact text, inert in GitHub's renderer, within a comment's limit."""

from __future__ import annotations

from io import StringIO

from markdown_it import MarkdownIt

from conftest import make_result
from linkcheck import FileIssue, Report, Status
from linkcheck._models import Archived, FixNote
from linkcheck._report.markdown import LIMIT, write_markdown

HOSTILE_TEXT = "<img src=x onerror=alert(1)> @octocat www.evil.example [x](javascript:alert(1))"
WAYBACK = "https://web.archive.org/web/20150301000000"
HOSTILE_URL = "https://x.example/a|b`c\n::error::pwned <script>\x1b[31m\u202e"


REPORT = Report(
    files=("docs/a b.md", "docs/c.md", "docs/bad.md"),
    results=(
        make_result(
            HOSTILE_URL,
            Status.BROKEN,
            "404 Not Found",
            file="docs/a b.md",
            line=3,
            column=7,
            text=HOSTILE_TEXT,
            archive=Archived(),  # looked up, no copy
        ),
        make_result(
            "#",
            Status.PLACEHOLDER,
            "link target is only '#'",
            file="docs/a b.md",
            line=5,
            column=1,
            text="READ MORE",
        ),
        make_result(
            "http://bit.ly/x",
            Status.OK,
            file="docs/a b.md",
            line=8,
            column=2,
            text="the text",
            shortlink=True,
            final_url="https://real.example/page",
        ),
        make_result(
            "https://gone.example/old",
            Status.BROKEN,
            "410 Gone",
            file="docs/a b.md",
            line=9,
            column=1,
            text="the text",
            fix=FixNote(f"{WAYBACK}/https://gone.example/old", "archived copy", applied=False),
            archive=Archived(f"{WAYBACK}/https://gone.example/old", "20150301000000"),
        ),
        make_result(
            "https://busy.example/",
            Status.RATE_LIMITED,
            "429 Too Many Requests after 3 tries",
            file="docs/c.md",
            line=1,
            column=1,
            text="the text",
        ),
        make_result(
            "mailto:x@y.example",
            Status.SKIPPED,
            "mailto: links are not checked",
            file="docs/c.md",
            line=2,
            column=1,
            text="the text",
        ),
        make_result(
            "https://flaky.example/",
            Status.TIMEOUT,
            "no response within 10 s (3 tries)",
            file="docs/c.md",
            line=4,
            column=9,
            text="the text",
            flaky=True,
        ),
    ),
    file_issues=(
        FileIssue("docs/bad.md", "binary file (NUL bytes), not read"),
        FileIssue(
            "docs/c.md", "not valid UTF-8 (byte 0xe9 at offset 4); decoded as cp1252", fatal=False
        ),
    ),
)


def render(report: Report = REPORT, **kw: int) -> str:
    out = StringIO()
    write_markdown(report, out, **kw)
    return out.getvalue()


def test_grouped_per_article_worst_first_with_text_and_rescue() -> None:
    assert render() == (
        "## linkcheck: ❌ failed\n\n"
        "7 links in 3 files.\n\n"
        "| status | links |\n|---|---:|\n"
        "| broken | 2 |\n| placeholder | 1 |\n| timeout | 1 |\n| rate_limited | 1 |\n| ok | 1 |\n| skipped | 1 |\n"
        "\n### ❌ Failing (3)\n"
        "\n**`docs/a b.md`**\n\n"
        "| line | status | link | text | reason | fix |\n|---:|---|---|---|---|---|\n"
        "| 3:7 | broken | ``https://x.example/a\\|b`c ::error::pwned <script>\\x1b[31m\\u202e`` "
        "| `<img src=x onerror=alert(1)> @octocat www.evil.example [x](javascript:alert(1))` "
        "| 404 Not Found | no archived copy |\n"
        "| 5:1 | placeholder | `#` | `READ MORE` | link target is only '\\#' |  |\n"
        "| 9:1 | broken | `https://gone.example/old` | `the text` | 410 Gone "
        "| fix: `https://web.archive.org/web/20150301000000/https://gone.example/old`; "
        "archived 2015-03-01: `https://web.archive.org/web/20150301000000/https://gone.example/old` |\n"
        "\n### Files not read (1)\n\n"
        "- `docs/bad.md`: binary file \\(NUL bytes\\), not read\n"
        "\n### ⚠️ Warnings (2)\n"
        "\n**`docs/c.md`**\n\n"
        "| line | status | link | text | reason | fix |\n|---:|---|---|---|---|---|\n"
        "| 1:1 | rate_limited | `https://busy.example/` | `the text` | 429 Too Many Requests after 3 tries |  |\n"
        "| 4:9 | timeout (flaky) | `https://flaky.example/` | `the text` | no response within 10 s \\(3 tries\\) |  |\n"
        "\n### Files read with a warning (1)\n\n"
        "- `docs/c.md`: not valid UTF-8 \\(byte 0xe9 at offset 4\\); decoded as cp1252\n"
        "\n### 💡 Suggestions (1)\n"
        "\n**`docs/a b.md`**\n\n"
        "| line | status | link | text | reason | fix |\n|---:|---|---|---|---|---|\n"
        "| 8:2 | ok | `http://bit.ly/x` | `the text` | shortlink to `https://real.example/page` |  |\n"
    )


def test_a_passing_run_is_three_lines_and_a_table() -> None:
    report = Report(
        files=("a.md",),
        results=(
            make_result(
                "https://ok.example/", Status.OK, file="a.md", line=1, column=1, text="the text"
            ),
        ),
    )
    assert render(report) == (
        "## linkcheck: ✅ passed\n\n1 links in 1 file.\n\n| status | links |\n|---|---:|\n| ok | 1 |\n"
    )


def test_hostile_text_renders_inert_in_a_gfm_renderer() -> None:
    # GFM-like: tables, raw HTML allowed, bare URLs and www. turned into links.
    html = MarkdownIt("gfm-like", {"html": True, "linkify": True}).render(render())
    assert "<a " not in html  # no link from a link text, a URL or a reason
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; @octocat www.evil.example" in html
    # Every stranger's string is inside <code>, where GitHub neither links nor mentions.
    assert "<code>&lt;img src=x onerror=alert(1)&gt; @octocat" in html
    # The table keeps its six columns in every row (a `|` in a URL does not add one).
    rows = [line for line in html.splitlines() if line.startswith("<tr>")]
    assert rows and all(row.count("<td") in (0, 6) for row in rows)


def _many(failing: int, warnings: int) -> Report:
    results = [
        make_result(
            f"https://dead.example/{i}",
            Status.BROKEN,
            "404 Not Found",
            file=f"docs/article-{i // 10:04d}.md",
            line=i % 10 + 1,
            column=3,
            text="the text",
        )
        for i in range(failing)
    ] + [
        make_result(
            f"https://busy.example/{i}",
            Status.RATE_LIMITED,
            "429",
            file="docs/zz.md",
            line=i + 1,
            column=1,
            text="the text",
        )
        for i in range(warnings)
    ]
    return Report(files=tuple(sorted({r.link.file for r in results})), results=tuple(results))


def test_thousands_of_failures_fit_a_pr_comment_worst_first() -> None:
    text = render(_many(3600, 50))
    assert len(text.encode()) <= LIMIT
    shown = text.count("| broken |") - 1  # one is the status table's
    assert 300 < shown < 3600
    assert "| rate_limited |" not in text.split("| status | links |")[1].split("\n\n", 1)[1]
    assert text.endswith(f"\n… and {3600 - shown + 50} more (see the artifact)\n")


def test_the_cut_is_exact_and_never_splits_a_row() -> None:
    text = render(_many(3, 1), limit=600)
    assert len(text.encode()) <= 600
    assert text == (
        "## linkcheck: ❌ failed\n\n4 links in 2 files.\n\n"
        "| status | links |\n|---|---:|\n| broken | 3 |\n| rate_limited | 1 |\n"
        "\n### ❌ Failing (3)\n"
        "\n**`docs/article-0000.md`**\n\n"
        "| line | status | link | text | reason |\n|---:|---|---|---|---|\n"
        "| 1:3 | broken | `https://dead.example/0` | `the text` | 404 Not Found |\n"
        "| 2:3 | broken | `https://dead.example/1` | `the text` | 404 Not Found |\n"
        "| 3:3 | broken | `https://dead.example/2` | `the text` | 404 Not Found |\n"
        "\n… and 1 more (see the artifact)\n"
    )
