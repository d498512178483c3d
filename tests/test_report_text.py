"""The text report, rendered as a person sees it."""

from __future__ import annotations

from io import StringIO

from linkcheck import FileIssue, Kind, Link, LinkResult, Outcome, Redirect, Report, Status
from linkcheck._report.text import write_text


def result(
    line: int, column: int, url: str, status: Status, reason: str | None = None, **kw: object
) -> LinkResult:
    file = str(kw.pop("file", "news/a.md"))
    text = str(kw.pop("text", "text"))
    target = kw.pop("target", url)
    shortlink = bool(kw.pop("shortlink", False))
    link = Link(file, line, column, Kind.INLINE, text, url)
    return LinkResult(link, target, shortlink, Outcome(status, reason, **kw))  # type: ignore[arg-type]


def render(report: Report, **kw: bool) -> str:
    out = StringIO()
    write_text(report, out, color=False, **kw)
    return out.getvalue()


REPORT = Report(
    files=("news/a.md", "news/b.md"),
    results=(
        result(3, 1, "https://ok.example/", Status.OK, http_status=200),
        result(7, 12, "#", Status.PLACEHOLDER, "link target is only '#'", target=None),
        result(
            9,
            5,
            "bit.ly/x",
            Status.REDIRECTED,
            "redirected 1 time",
            target="http://bit.ly/x",
            shortlink=True,
            http_status=200,
            final_url="https://news.example/story",
            redirects=(Redirect(301, "https://news.example/story"),),
        ),
        result(12, 40, "https://gone.example/", Status.BROKEN, "404 Not Found", http_status=404),
        result(
            2,
            1,
            "https://slow.example/",
            Status.RATE_LIMITED,
            "429 Too Many Requests after 3 tries",
            file="news/b.md",
        ),
    ),
    file_issues=(FileIssue("news/c.md", "binary file (NUL bytes), not read"),),
)


def test_problems_first_grouped_by_file_then_a_summary() -> None:
    assert render(REPORT) == (
        "news/a.md\n"
        "  7:12   placeholder   # — link target is only '#'\n"
        "  12:40  broken        https://gone.example/ — 404 Not Found\n"
        "  9:5    redirected    bit.ly/x → https://news.example/story  (shortlink) — redirected 1 time\n"
        "\n"
        "news/b.md\n"
        "  2:1  rate_limited  https://slow.example/ — 429 Too Many Requests after 3 tries\n"
        "\n"
        "Files with problems\n"
        "  news/c.md: error: binary file (NUL bytes), not read\n"
        "\n"
        "5 links in 2 files: 1 broken, 1 placeholder, 1 rate_limited, 1 redirected, 1 ok — failed\n"
    )


def test_verbose_lists_every_link() -> None:
    assert "  3:1    ok            https://ok.example/\n" in render(REPORT, verbose=True)


def test_a_clean_run_says_so_in_one_line() -> None:
    clean = Report(files=("a.md",), results=(result(1, 1, "b.md", Status.OK, file="a.md"),))
    assert render(clean) == "1 link in 1 file: 1 ok — passed\n"


def test_untrusted_text_cannot_style_or_move_the_terminal() -> None:
    hostile = (
        "https://x.example/\x1b[2J\x1b[31m[bold]red[/bold][link=file:///etc/passwd]x\u202e\x07"
    )
    report = Report(
        files=("a.md",),
        results=(result(1, 1, hostile, Status.BROKEN, "404 Not Found\x1b]8;;", file="a.md"),),
    )
    out = StringIO()
    write_text(report, out, color=True)
    text = out.getvalue()
    assert (
        "\x1b[2J" not in text
        and "\x1b]8" not in text
        and "\u202e" not in text
        and "\x07" not in text
    )
    assert "\\x1b[2J\\x1b[31m[bold]red[/bold][link=file:///etc/passwd]x\\u202e\\x07" in text
