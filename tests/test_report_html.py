"""The HTML report as text: escaped, no live javascript: link, the link marked exactly."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest

from conftest import make_result
from linkcheck import Kind, Report, Status
from linkcheck._models import Archived, FixNote, Redirect
from linkcheck._options import Options
from linkcheck._report._source import SourceLines, link_end
from linkcheck._report.html import write_html

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
EVIL_TEXT = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'
EVIL_FILE = 'docs/<img src=x onerror="window.pwned=1">.md'


def render(report: Report, tmp: Path | None = None, **kw: object) -> str:
    out = StringIO()
    sources = SourceLines(report.files) if tmp is None else None
    write_html(report, out, now=NOW, sources=sources, **kw)  # type: ignore[arg-type]
    return out.getvalue()


class _Page(HTMLParser):
    """Every tag with its attributes, and the text of every <mark> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)
        if tag == "mark":
            self.marks.append("")
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "mark" in self._in:
            self.marks[-1] += data
        if self._in and self._in[-1] == "script":
            self.scripts[-1] += data


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


HOSTILE = Report(
    files=(EVIL_FILE, "docs/b.md"),
    results=(
        make_result(
            "javascript:alert(1)",
            Status.PLACEHOLDER,
            "javascript: link",
            file=EVIL_FILE,
            line=1,
            column=1,
            text=EVIL_TEXT,
        ),
        make_result(
            " JaVaScRiPt:alert(2)",
            Status.INVALID,
            "bad",
            file=EVIL_FILE,
            line=2,
            column=1,
            text="x",
        ),
        make_result(
            "data:text/html,<script>alert(3)</script>",
            Status.PLACEHOLDER,
            "data",
            file=EVIL_FILE,
            line=3,
            column=1,
            text="the text",
        ),
        make_result(
            "vbscript:msgbox",
            Status.INVALID,
            "vb",
            file=EVIL_FILE,
            line=4,
            column=1,
            text="the text",
        ),
        make_result(
            'https://x.example/"><script>alert(4)</script>',
            Status.BROKEN,
            "404 <b>bold</b>",
            file=EVIL_FILE,
            line=5,
            column=1,
            text="the text",
        ),
        make_result(
            "https://moved.example/",
            Status.BROKEN,
            "404 after redirects",
            file="docs/b.md",
            line=1,
            column=1,
            text="the text",
            redirects=(Redirect(301, "javascript:alert(5)"), Redirect(302, "https://ok.example/x")),
            final_url="java\tscript:alert(6)",
            fix=FixNote("javascript:alert(7)", "redirect", applied=False),
        ),
        make_result(
            "https://fine.example/", Status.OK, file="docs/b.md", line=2, column=1, text="the text"
        ),
        make_result(
            "https://x.example/\u202egnp.exe", Status.BROKEN, "404", file="docs/b.md", line=3
        ),
    ),
)


def test_no_stranger_markup_and_no_live_script_href() -> None:
    page = render(HOSTILE)
    parsed = parse(page)
    assert "window.pwned" not in "".join(parsed.scripts)  # only the page's own script
    assert len(parsed.scripts) == 1
    assert [t for t, _ in parsed.tags].count("img") == 0
    assert "<b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "docs/&lt;img src=x onerror=&#34;window.pwned=1&#34;&gt;.md" in page
    hrefs = [a["href"] for t, a in parsed.tags if "href" in a]
    assert hrefs and all(h.startswith(("#", "https://")) for h in hrefs), hrefs
    assert "https://x.example/&#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in page
    # Shown as text all the same, so a person sees what the article holds.
    for shown in (
        "javascript:alert(1)",
        "data:text/html,",
        "vbscript:msgbox",
        "javascript:alert(7)",
    ):
        assert shown in page
    # A control character cannot reorder or hide what is shown, nor is its URL live:
    # the escaped text is not the address.
    assert "java\\x09script:alert(6)" in page
    assert '<code class="url">https://x.example/\\u202egnp.exe</code>' in page


def test_content_security_policy_allows_only_the_page_own_script_and_style() -> None:
    page = render(HOSTILE)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script and style

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert policy.group(1) == (
        f"default-src 'none'; script-src '{digest(script.group(1))}'; "
        f"style-src '{digest(style.group(1))}'; img-src 'none'; form-action 'none'; base-uri 'none'"
    )
    handlers = [name for _, attrs in parse(page).tags for name in attrs if name.startswith("on")]
    assert handlers == []  # no inline handler anywhere
    assert not re.search(r"(src|href)=\"(https?:)?//", page.split("<body>")[0])  # nothing loaded


ARTICLE = (
    "Intro line\r\n"
    '\tTabbed: see [the docs](https://docs.example/a "Title (x)") and <https://auto.example/> now\r'
    "Bare https://bare.example/x?y=1, an image ![alt [x]](img/a.png) and [ref][r].\n"
    'é [placeholder](#) <a href="https://html.example/">html <b>link</b></a> end\n'
    "[r]: https://ref.example/\n"
)


def _article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_bytes(data)


@pytest.mark.parametrize(
    ("line", "kind", "url", "marked"),
    [
        (
            2,
            Kind.INLINE,
            "https://docs.example/a",
            '[the docs](https://docs.example/a "Title (x)")',
        ),
        (2, Kind.AUTOLINK, "https://auto.example/", "<https://auto.example/>"),
        (3, Kind.BARE, "https://bare.example/x?y=1", "https://bare.example/x?y=1"),
        (3, Kind.IMAGE, "img/a.png", "![alt [x]](img/a.png)"),
        (3, Kind.REFERENCE, "https://ref.example/", "[ref][r]"),
        (4, Kind.INLINE, "#", "[placeholder](#)"),
        (
            4,
            Kind.HTML,
            "https://html.example/",
            '<a href="https://html.example/">html <b>link</b></a>',
        ),
        (5, Kind.REFERENCE, "https://ref.example/", "[r]: https://ref.example/"),
    ],
)
def test_the_mark_covers_exactly_the_link_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: int, kind: Kind, url: str, marked: str
) -> None:
    # CRLF and CR are one line break; a tab and an é are one column each; a BOM is none.
    column = re.split(r"\r\n|\r|\n", ARTICLE)[line - 1].index(marked) + 1
    _article(tmp_path, monkeypatch, b"\xef\xbb\xbf" + ARTICLE.encode())
    result = make_result(
        url,
        Status.BROKEN,
        "gone",
        file="a.md",
        line=line,
        column=column,
        text="the text",
        kind=kind,
    )
    parsed = parse(render(Report(files=("a.md",), results=(result,))))
    assert parsed.marks == [marked]


def test_bare_url_mark_stops_at_the_url_not_the_next_space() -> None:
    line = "Bare https://bare.example/x?y=1, and more"
    url = "https://bare.example/x?y=1"
    assert line[5 : link_end(line, 5, Kind.BARE, url)] == url


def test_the_whole_line_is_shown_with_tabs_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _article(tmp_path, monkeypatch, ARTICLE.encode())
    result = make_result(
        "https://docs.example/a",
        Status.BROKEN,
        "404",
        file="a.md",
        line=2,
        column=13,
        text="the text",
    )
    page = render(Report(files=("a.md",), results=(result,)))
    code = re.search(
        r'<pre class="ctx"><span class="ln"><span class="sr">line </span>2</span><code>(.*?)</code></pre>',
        page,
    )
    assert code is not None
    assert re.sub(r"<[^>]+>", "", code.group(1)) == (
        "\tTabbed: see [the docs](https://docs.example/a &#34;Title (x)&#34;) and &lt;https://auto.example/&gt; now"
    )


def test_a_link_wrapping_lines_is_marked_to_the_end_of_its_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _article(tmp_path, monkeypatch, b"x [a long\nparagraph](#) y\n")
    result = make_result(
        "#", Status.PLACEHOLDER, "only #", file="a.md", line=1, column=3, text="the text"
    )
    assert parse(render(Report(files=("a.md",), results=(result,)))).marks == ["[a long"]


@pytest.mark.parametrize(
    ("setup", "note"),
    [
        ("gone", "The file cannot be read now (gone, moved or not text): its lines are not shown."),
        ("changed", "the file has changed since the check: no link starts at this column now"),
        ("short", "the file has changed since the check: it has no line 3 now"),
        (
            "binary",
            "The file cannot be read now (gone, moved or not text): its lines are not shown.",
        ),
    ],
)
def test_a_file_gone_or_changed_gives_a_note_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str, note: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if setup == "changed":
        (tmp_path / "a.md").write_text("one\ntwo\nnothing here any more, the link moved away\n")
    elif setup == "short":
        (tmp_path / "a.md").write_text("one line\n")
    elif setup == "binary":
        (tmp_path / "a.md").write_bytes(b"\0\0\0")
    result = make_result(
        "https://x.example/", Status.BROKEN, "404", file="a.md", line=3, column=7, text="the text"
    )
    page = render(Report(files=("a.md",), results=(result,)))
    assert f'<p class="note">{note}</p>' in page
    assert "<mark>" not in page
    # A line that changed is still shown, unmarked; one that is gone is not.
    assert ('<pre class="ctx"' in page) is (setup == "changed")


def test_stdin_and_files_the_report_does_not_name_are_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text("[x](#)\n")
    (tmp_path / "secret.md").write_text("[x](#) password=hunter2\n")
    rows = (
        make_result("#", Status.PLACEHOLDER, "only #", file="-", line=1, column=1, text="the text"),
        make_result(
            "#", Status.PLACEHOLDER, "only #", file="secret.md", line=1, column=1, text="the text"
        ),
    )
    page = render(Report(files=("-",), results=rows))
    assert "Read from stdin: its lines cannot be shown." in page
    assert "hunter2" not in page


def test_run_settings_shown_and_secrets_never() -> None:
    options = Options(
        offline=False,
        check_fragments=True,
        headers=(("Authorization", "Bearer sekrit-token"),),
        user_agent="agent-sekrit",
        archive_url="https://user:sekrit@archive.example",
        exclude=("^https://internal\\.",),
    )
    page = render(Report(files=(), results=()), options=options)
    assert "sekrit" not in page
    run = re.search(r'<dl class="run".*?</dl>', page, re.S)
    assert run is not None
    pairs = re.findall(
        r"<dt>(.*?)</dt><dd>(.*?)</dd>", run.group(0).replace("\n", "").replace("  ", "")
    )
    assert pairs == [
        ("generated", "2026-12-01 09:30 UTC"),
        ("by", "linkcheck 0.1.0"),
        ("fails on", "broken, placeholder, invalid, timeout, unreachable"),
        ("mode", "check fragments"),
        ("requests", "timeout 20 s, 2 retries, 8 per host"),
        ("excluded", "^https://internal\\."),
        ("result cache", "off"),
    ]
    assert "No problems: every link — there were none to check." in page


def test_the_site_generator_is_shown_when_the_report_says() -> None:
    assert "<dt>site generator</dt>" not in render(Report(files=(), results=()))
    github = render(Report(files=(), results=(), generators=()))
    assert "<dt>site generator</dt><dd>none (links judged as GitHub renders them)</dd>" in github
    sites = Report(
        files=(),
        results=(),
        generators=(("<jekyll>", "_config.yml"), ("mkdocs", "docs/mkdocs.yml")),
    )
    assert (
        "<dt>site generator</dt><dd>&lt;jekyll&gt; (from _config.yml), mkdocs (from docs/mkdocs.yml)</dd>"
        in render(sites)
    )


def test_fix_archive_redirects_and_charts_are_drawn() -> None:
    report = Report(
        files=("a.md",),
        results=(
            make_result(
                "https://gone.example/old",
                Status.BROKEN,
                "404",
                file="a.md",
                line=1,
                column=1,
                text="the text",
                redirects=(Redirect(301, "https://gone.example/new"),),
                final_url="https://gone.example/new",
                archive=Archived(
                    "https://web.archive.org/web/2015/https://gone.example/old", "20150301000000"
                ),
            ),
            make_result(
                "http://bit.ly/x",
                Status.OK,
                line=2,
                shortlink=True,
                final_url="https://real.example/",
            ),
        ),
    )
    page = render(report)
    assert (
        '<a class="archive" href="https://web.archive.org/web/2015/https://gone.example/old"'
        in page
    )
    assert "(of 2015-03-01)" in page
    assert '<dt>shortlink expands to</dt><dd><a class="fix" href="https://real.example/"' in page
    assert '<li><span class="code">301</span> → <a href="https://gone.example/new"' in page
    assert page.count('<rect x="158"') == 3  # one bar per chart: status, article, host


def test_ten_thousand_problems_render_in_seconds() -> None:
    results = tuple(
        make_result(
            f"https://host-{i % 97}.example/page/{i}",
            Status.BROKEN if i % 3 else Status.TIMEOUT,
            "404 Not Found",
            file=f"docs/section-{i % 40}/article-{i // 10:04d}.md",
            line=i % 10 + 1,
            column=5,
            text="the text",
            http_status=404,
        )
        for i in range(10_000)
    )
    report = Report(files=tuple(sorted({r.link.file for r in results})), results=results)
    started = time.perf_counter()
    page = render(report)
    elapsed = time.perf_counter() - started
    assert page.count('<li class="p ') == 10_000
    assert elapsed < 15, f"{elapsed:.1f} s"  # about 1 s on an idle machine
    assert len(page.encode()) < 12_000_000


def test_a_real_run_with_fix_shows_redirects_the_proposal_and_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from linkcheck._cli import run
    from servers import Route, redirect, serve

    routes = {"/new": Route(), "/dead": Route(404), "/moved": redirect("/new", 301)}
    monkeypatch.chdir(tmp_path)
    with serve(routes) as site:
        base = f"http://127.0.0.1:{site.port}"
        (tmp_path / "a.md").write_text(
            f"Moved: [old]({base}/moved).\r\nDead: [gone]({base}/dead).\n"
        )
        flags = ["--no-cache", "--no-progress", "--retries", "0", "--fix", "--dry-run"]
        reports = ["--report", "html:r.html", "--report", "markdown:r.md"]
        assert run([*flags, *reports, "a.md"]) == 1
    assert f"+Moved: [old]({base}/new)." in capsys.readouterr().out  # the diff
    page = (tmp_path / "r.html").read_text()
    parsed = parse(page)
    assert parsed.marks == [f"[old]({base}/moved)", f"[gone]({base}/dead)"]
    assert f'<dt>suggested fix</dt><dd><a class="fix" href="{base}/new"' in page
    assert f'<li><span class="code">301</span> → <a href="{base}/new"' in page
    assert '<span class="code">HTTP 404</span>' in page
    summary = (tmp_path / "r.md").read_text()
    assert f"| 2:7 | broken | `{base}/dead` | `gone` | 404 Not Found |  |" in summary
    assert f"| fix: `{base}/new` |" in summary
