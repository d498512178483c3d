"""The text report, rendered as a person sees it."""

from __future__ import annotations

import re
from dataclasses import replace
from io import StringIO
from typing import Any

from conftest import make_result
from linkcheck import Cause, FileIssue, LinkResult, Outcome, Redirect, Report, Status
from linkcheck._flaky import apply_flaky_policy
from linkcheck._report.text import inert, summary, write_text


def result(
    line: int, column: int, url: str, status: Status | Outcome, reason: str | None = None, **kw: Any
) -> LinkResult:
    kw.setdefault("file", "news/a.md")
    return make_result(url, status, reason, line=line, column=column, **kw)


def render(report: Report, **kw: bool) -> str:
    out = StringIO()
    write_text(report, out, color=False, **kw)
    return out.getvalue()


REPORT = Report(
    files=("news/a.md", "news/b.md", "news/c.md"),
    results=(
        result(3, 1, "https://ok.example/", Status.OK, http_status=200),
        result(
            7, 12, "#", Status.PLACEHOLDER, "link target is only '#'", text="READ MORE", target=None
        ),
        result(
            9,
            5,
            "bit.ly/x",
            Status.REDIRECTED,
            "redirected 1 time",
            kind="bare",
            target="http://bit.ly/x",
            shortlink=True,
            http_status=200,
            final_url="https://news.example/story",
            redirects=(Redirect(301, "https://news.example/story"),),
        ),
        result(12, 40, "https://gone.example/", Status.BROKEN, "404 Not Found", http_status=404),
        result(14, 2, "", Status.BROKEN, "reference [nope] has no definition", text="x"),
        result(
            2,
            1,
            "https://slow.example/",
            Status.RATE_LIMITED,
            "429 Too Many Requests after 3 tries",
            file="news/b.md",
        ),
        result(1, 1, "https://blocked.example/", Status.BLOCKED, "403 Forbidden", file="news/b.md"),
        result(5, 3, "https://fine.example/", Status.OK, file="news/b.md"),
    ),
    file_issues=(FileIssue("news/c.md", "binary file (NUL bytes), not read"),),
)


def test_problems_first_grouped_by_file_aligned_then_a_summary() -> None:
    assert render(REPORT) == (
        "news/a.md:7:12   placeholder   #  “READ MORE” — link target is only '#'\n"
        "news/a.md:12:40  broken        https://gone.example/ — 404 Not Found\n"
        "news/a.md:14:2   broken        “x” — reference [nope] has no definition\n"
        "news/a.md:9:5    redirected    bit.ly/x → https://news.example/story  (shortlink) — redirected 1 time\n"
        "\n"
        "news/b.md:1:1    blocked       https://blocked.example/ — 403 Forbidden\n"
        "news/b.md:2:1    rate_limited  https://slow.example/ — 429 Too Many Requests after 3 tries\n"
        "\n"
        "Files with problems\n"
        "  news/c.md: error: binary file (NUL bytes), not read\n"
        "\n"
        "8 links in 3 files (1 not read): 2 broken, 1 placeholder, 1 rate_limited, 1 blocked, "
        "1 redirected, 2 ok — failed\n"
    )


def test_fail_on_decides_what_comes_first() -> None:
    only_blocked = replace(REPORT, fail_on=frozenset({Status.BLOCKED}), file_issues=())
    assert render(only_blocked) == (
        # Nothing in a.md fails now: only the shortlink is shown, for where it leads.
        "news/a.md:9:5  redirected    bit.ly/x → https://news.example/story  (shortlink) — redirected 1 time\n"
        "\n"
        "news/b.md:1:1  blocked       https://blocked.example/ — 403 Forbidden\n"
        "news/b.md:2:1  rate_limited  https://slow.example/ — 429 Too Many Requests after 3 tries\n"
        "\n"
        "8 links in 3 files: 2 broken, 1 placeholder, 1 rate_limited, 1 blocked, 1 redirected, "
        "2 ok — failed\n"
    )


def test_verbose_lists_every_link_after_the_problems() -> None:
    assert render(REPORT, verbose=True).split("\n\nFiles with problems")[0] == (
        "news/a.md:7:12   placeholder   #  “READ MORE” — link target is only '#'\n"
        "news/a.md:12:40  broken        https://gone.example/ — 404 Not Found\n"
        "news/a.md:14:2   broken        “x” — reference [nope] has no definition\n"
        "news/a.md:3:1    ok            https://ok.example/\n"
        "news/a.md:9:5    redirected    bit.ly/x → https://news.example/story  (shortlink) — redirected 1 time\n"
        "\n"
        "news/b.md:1:1    blocked       https://blocked.example/ — 403 Forbidden\n"
        "news/b.md:2:1    rate_limited  https://slow.example/ — 429 Too Many Requests after 3 tries\n"
        "news/b.md:5:3    ok            https://fine.example/"
    )


def test_a_clean_run_says_so_in_one_line() -> None:
    clean = Report(files=("a.md",), results=(result(1, 1, "b.md", Status.OK, file="a.md"),))
    assert render(clean) == "1 link in 1 file: 1 ok — passed\n"
    assert summary(Report(files=(), results=())) == "0 links in 0 files: nothing to check — passed"


def test_long_link_text_is_one_short_line() -> None:
    paragraph = "The ministry said on Tuesday that\nthe figures " + "were revised " * 10
    report = Report(
        files=("a.md",),
        results=(result(2, 1, "#", Status.PLACEHOLDER, "link target is only '#'", file="a.md",
                        text=paragraph),),
    )  # fmt: skip
    assert render(report).splitlines()[0] == (
        "a.md:2:1  placeholder  #  “The ministry said on Tuesday that the figures were revised …”"
        " — link target is only '#'"
    )


def test_flaky_failures_are_warnings() -> None:
    # The reason as the flaky policy writes it; the report says "flaky" once.
    slow = Outcome(Status.TIMEOUT, "no response", cause=Cause.TIMEOUT)
    judged = apply_flaky_policy(slow, [Status.OK], threshold=3)
    flaky = result(1, 1, "https://x.example/", judged)
    report = Report(files=("news/a.md",), results=(flaky,))
    assert render(report) == (
        "news/a.md:1:1  timeout  https://x.example/ — no response"
        " (flaky: failed 1 check in a row after working; fails the run at 3)\n"
        "\n"
        "1 link in 1 file: 1 timeout — passed\n"
    )


HOSTILE_TEXT = "\x1b[31mred [bold]x[/bold] [link=file:///etc/passwd]y\u202e\x9b\x7f"


def hostile_report() -> Report:
    return Report(
        files=("ev\x1b]0;title\x07il.md",),
        results=(
            result(
                1,
                1,
                "https://x.example/\x1b[2J[bold]",
                Status.BROKEN,
                "404 Not Found\x1b]8;;https://evil.example\x1b\\",
                file="ev\x1b]0;title\x07il.md",
                text=HOSTILE_TEXT,
            ),
        ),
        file_issues=(FileIssue("\u2066bad.md", "oops\x1b[5m"),),
    )


def test_untrusted_text_is_shown_inert_in_plain_text() -> None:
    assert render(hostile_report()) == (
        "ev\\x1b]0;title\\x07il.md:1:1  broken  https://x.example/\\x1b[2J[bold]"
        "  “\\x1b[31mred [bold]x[/bold] [link=file:///etc/passwd]y\\u202e\\x9b\\x7f”"
        " — 404 Not Found\\x1b]8;;https://evil.example\\x1b\\\n"
        "\n"
        "Files with problems\n"
        "  \\u2066bad.md: error: oops\\x1b[5m\n"
        "\n"
        "1 link in 1 file: 1 broken — failed\n"
    )


def test_untrusted_text_cannot_style_or_move_a_colour_terminal() -> None:
    out = StringIO()
    write_text(hostile_report(), out, color=True)
    shown = out.getvalue()
    # Only rich's own SGR sequences remain: ESC [ digits/semicolons m.
    assert re.sub(r"\x1b\[[0-9;]*m", "", shown) == render(hostile_report())
    for dangerous in ("\x1b[2J", "\x1b]", "\x07", "\u202e", "\u2066", "\x9b", "\x7f"):
        assert dangerous not in shown
    assert "\x1b]8;" not in shown  # no hyperlink from [link=…]


def test_inert_escapes_every_control_and_bidi_character() -> None:
    assert inert("a\x00b\tc\nd\x1be\x7ff\x85g\u200fh\u202ai\u2069j") == (
        "a\\x00b\\x09c\\x0ad\\x1be\\x7ff\\x85g\\u200fh\\u202ai\\u2069j"
    )
    assert inert("naïve café → ok [b]") == "naïve café → ok [b]"


def test_colour_only_when_asked() -> None:
    out = StringIO()
    write_text(REPORT, out, color=True)
    assert "\x1b[1;31mbroken" in out.getvalue()
    assert "\x1b" not in render(REPORT)


def test_a_long_url_is_never_wrapped() -> None:
    long = result(1, 1, "https://x.example/" + "a" * 300, Status.BROKEN, "404 Not Found")
    lines = render(Report(files=("news/a.md",), results=(long,))).splitlines()
    assert lines[0].endswith("a" * 300 + " — 404 Not Found")
