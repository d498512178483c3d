"""The whole pipeline through the public API, offline: what a user of `linkcheck.check` gets."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

import httpx
import pytest

import linkcheck
from linkcheck import Options, PathError, Status
from linkcheck._api import NoProgress, check

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed-article.txt"


def rows(report: linkcheck.Report) -> list[tuple[str, int, int, str, str, str]]:
    return [
        (r.link.file, r.link.line, r.link.column, r.link.kind.value, r.link.url, r.status.value)
        for r in report.results
    ]


@pytest.fixture
def fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "fixtures"


def test_wire_story_placeholders_and_shortlinks(fixtures: Path) -> None:
    report = linkcheck.check(["fixtures/harbour-talks.md"], Options(offline=True))
    assert rows(report) == [
        ("fixtures/harbour-talks.md", 11, 64, "autolink", "http://", "placeholder"),
        ("fixtures/harbour-talks.md", 14, 1, "bare", "on.rt.com/8xk2", "skipped"),
        ("fixtures/harbour-talks.md", 17, 1, "inline", "#", "placeholder"),
        ("fixtures/harbour-talks.md", 21, 1, "inline", "#", "placeholder"),
        ("fixtures/harbour-talks.md", 21, 88, "autolink", "http://bit.ly/2Hb9qLm", "skipped"),
        (
            "fixtures/harbour-talks.md",
            23,
            21,
            "inline",
            "https://ports.example/agreements/2014",
            "skipped",
        ),
        (
            "fixtures/harbour-talks.md",
            23,
            106,
            "reference",
            "https://ports.example/reports/harbour-2015.pdf",
            "skipped",
        ),
        ("fixtures/harbour-talks.md", 25, 1, "inline", "#", "placeholder"),
    ]
    assert [r.shortlink for r in report.results] == [
        False, True, False, False, True, False, False, False,
    ]  # fmt: skip
    assert report.results[1].target == "http://on.rt.com/8xk2"
    assert report.results[0].outcome.reason == "URL has no host"
    assert report.failed


def test_style_guide_local_files_anchors_and_citations(fixtures: Path) -> None:
    report = linkcheck.check(["fixtures/style-guide.md"], Options(offline=True))
    statuses = {(r.link.line, r.link.column): (r.status, r.outcome.reason) for r in report.results}
    assert statuses[(9, 48)] == (Status.OK, None)  # guide/glossary.md#terms
    assert statuses[(10, 5)] == (Status.OK, None)  # guide/ has a README.md
    assert statuses[(10, 41)] == (Status.BROKEN, "file not found: fixtures/guide/missing.md")
    assert statuses[(16, 15)][0] is Status.BROKEN  # #no-such-section
    assert statuses[(16, 55)] == (Status.OK, None)  # #links-and-citations
    assert statuses[(17, 17)][0] is Status.PLACEHOLDER  # TODO
    assert statuses[(17, 39)][0] is Status.PLACEHOLDER  # javascript:void(0)
    assert statuses[(18, 6)] == (Status.BROKEN, "reference [nowhere] has no definition")
    assert statuses[(21, 28)] == (Status.OK, None)  # img/harbour.svg
    assert statuses[(21, 65)][0] is Status.BROKEN  # img/nope.png
    assert statuses[(26, 12)] == (Status.SKIPPED, "mailto: links are not checked")
    assert statuses[(31, 1)] == (
        Status.EXCLUDED,
        "ignored by the ignore comment on line 30",
    )
    assert statuses[(43, 1)][0] is Status.SKIPPED  # unused definition, remote, offline


def test_a_folder_is_walked_in_order_and_each_target_counted_once(fixtures: Path) -> None:
    report = linkcheck.check(["fixtures"], Options(offline=True))
    assert report.files == (
        "fixtures/crlf-notes.md",
        "fixtures/formats/arrivals.ipynb",
        "fixtures/formats/berths.mdx",
        "fixtures/formats/handbook.adoc",
        "fixtures/formats/harbour-notes.rst",
        "fixtures/formats/timetable.mdx",
        "fixtures/guide/README.md",
        "fixtures/guide/glossary.md",
        "fixtures/harbour-talks.md",
        "fixtures/style-guide.md",
    )
    files = [r.link.file for r in report.results]
    assert files == sorted(files)
    assert report.unique_targets == len({r.target for r in report.results if r.target})


def test_crlf_article_positions(fixtures: Path) -> None:
    report = linkcheck.check(["fixtures/crlf-notes.md"], Options(offline=True))
    assert rows(report) == [
        ("fixtures/crlf-notes.md", 3, 3, "inline", "guide/glossary.md", "ok"),
        ("fixtures/crlf-notes.md", 4, 1, "bare", "goo.gl/abc123", "skipped"),
    ]


def test_stdin_is_read_as_markdown() -> None:
    stdin = io.BytesIO(b"Hello [x](#) and <http://>\n")
    report = linkcheck.check(["-"], Options(offline=True), stdin=stdin)
    assert [(r.link.file, r.link.column, r.status) for r in report.results] == [
        ("-", 7, Status.PLACEHOLDER),
        ("-", 18, Status.PLACEHOLDER),
    ]


def test_fail_on_replaces_the_failing_set(fixtures: Path) -> None:
    options = Options(offline=True, fail_on=frozenset({Status.BROKEN}))
    assert not linkcheck.check(["fixtures/harbour-talks.md"], options).failed


def test_a_bad_file_is_reported_and_the_others_are_still_checked(fixtures: Path) -> None:
    (fixtures / "binary.md").write_bytes(b"\x00\x01\x02 [x](#)")
    report = linkcheck.check(["fixtures"], Options(offline=True))
    assert [i.file for i in report.file_issues] == ["fixtures/binary.md"]
    assert "fixtures/harbour-talks.md" in {r.link.file for r in report.results}
    assert report.failed


def test_a_missing_path_is_a_usage_error(fixtures: Path) -> None:
    with pytest.raises(PathError):
        linkcheck.check(["fixtures/nope.md"], Options(offline=True))


@pytest.mark.skipif(not SEED.exists(), reason="shared/seed-article.txt is not beside the repo")
def test_seed_article_reports_exactly_its_six_links(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(SEED, tmp_path / "seed.md")
    report = linkcheck.check(["seed.md"], Options(offline=True))
    assert [(r.link.line, r.link.column, r.link.kind.value, r.status.value, r.shortlink)
            for r in report.results] == [
        (14, 84, "autolink", "placeholder", False),
        (25, 1, "bare", "skipped", True),
        (31, 1, "inline", "placeholder", False),
        (43, 1, "inline", "placeholder", False),
        (43, 100, "autolink", "skipped", True),
        (47, 1, "inline", "placeholder", False),
    ]  # fmt: skip
    assert report.failed


# ---------------------------------------------------------------- the API's edges


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"exclude": "gone"}, "Options.exclude: 'gone' is not a tuple[str, ...]"),
        ({"fail_on": {"broken"}}, "Options.fail_on: {'broken'} is not a frozenset[Status]"),
        ({"timeout": -1.0}, "Options.timeout: -1.0 must be ≥ 0"),
        ({"timeout": 0}, "Options.timeout: must be more than 0"),
        ({"max_concurrency": 0}, "Options.max_concurrency: 0 must be ≥ 1"),
        ({"offline": "yes"}, "Options.offline: 'yes' is not a bool"),
        ({"exclude": ("(",)}, "Options.exclude: bad regex '(': missing ), unterminated"),
        ({"headers": (("Accept",),)}, "Options.headers: (('Accept',),) is not a"),
        # Closed sets: a typo is refused, not read as the default.
        ({"generator": "hugoo"}, "Options.generator: 'hugoo' is not a Literal["),
        ({"date_order": "ymd"}, "Options.date_order: 'ymd' is not a Literal['dmy', 'mdy']"),
        # Patterns are validated by RE2, the engine that matches them.
        ({"exclude": (r"(a)\1",)}, "Options.exclude: bad regex '(a)\\\\1': invalid escape"),
        ({"include": ("(?=x)",)}, "Options.include: bad regex '(?=x)': "),
        ({"remap": ((r"(a)\1", "x"),)}, "Options.remap: bad regex '(a)\\\\1': "),
        ({"remap": (("(a)", r"\2"),)}, "Options.remap: bad regex '(a)': the replacement refers"),
    ],
)
def test_options_refuse_what_they_would_misread(given: dict, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        linkcheck.Options(**given)
    assert str(raised.value).startswith(message)


def test_options_accept_their_own_defaults_and_well_typed_values() -> None:
    linkcheck.Options()
    linkcheck.Options(exclude=("^https://x",), fail_on=frozenset({linkcheck.Status.BROKEN}))


def test_check_inside_an_event_loop_says_to_await_check_async(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("[a](b.md)\n")

    async def inside() -> None:
        with pytest.raises(RuntimeError, match=r"await check_async\(\)"):
            linkcheck.check([str(tmp_path)], linkcheck.Options(offline=True))
        report = await linkcheck.check_async([str(tmp_path)], linkcheck.Options(offline=True))
        assert [r.status for r in report.results] == [linkcheck.Status.BROKEN]

    asyncio.run(inside())


def test_the_errors_the_library_raises_are_exported() -> None:
    names = ("PathError", "GitError", "ConfigError", "PatternError", "MergeError", "ReportError")
    for name in (*names, "LinkcheckError"):
        assert name in linkcheck.__all__
    for name in names:  # one base class catches every one of them
        assert issubclass(getattr(linkcheck, name), linkcheck.LinkcheckError)
    assert issubclass(linkcheck.PatternError, ValueError)  # as Options raised before


def test_a_pattern_re2_refuses_never_reaches_the_check(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("[a](https://a.test/)\n")
    with pytest.raises(linkcheck.PatternError):
        linkcheck.check([str(tmp_path)], linkcheck.Options(offline=True, exclude=(r"(a)\1",)))


def test_requests_start_while_articles_are_still_being_parsed(tmp_path: Path) -> None:
    """The first remote check does not wait for the last article to be parsed."""
    for n in range(6):
        (tmp_path / f"a{n}.md").write_text(f"[x](https://h{n}.example/p)\n", encoding="utf-8")
    parsed: list[int] = []
    parsed_at_first_request: list[int] = []

    class Counting(NoProgress):
        def file_done(self) -> None:
            parsed.append(1)

    def answer(request: httpx.Request) -> httpx.Response:
        if not parsed_at_first_request:
            parsed_at_first_request.append(len(parsed))
        return httpx.Response(200)

    report = check(
        [str(tmp_path)], Options(), transport=httpx.MockTransport(answer), progress=Counting()
    )
    assert [r.outcome.status for r in report.results] == [Status.OK] * 6
    assert parsed_at_first_request[0] < 6


def test_check_takes_an_injected_transport(tmp_path: Path) -> None:
    # The library's seam for the network: an httpx transport, here a mock that answers
    # every request itself, so nothing leaves the process.
    import httpx

    (tmp_path / "a.md").write_text(
        "[ok](https://a.example/ok) [gone](https://a.example/gone)\n"
        "[moved](https://b.example/old) [wall](https://c.example/x)\n"
    )
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.path == "/gone":
            return httpx.Response(404)
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://b.example/new"})
        if request.url.host == "c.example":
            return httpx.Response(403)
        return httpx.Response(200, text="<p>hello</p>", headers={"Content-Type": "text/html"})

    report = linkcheck.check(
        [str(tmp_path)], Options(retries=0), transport=httpx.MockTransport(answer)
    )
    assert [(r.link.url, r.status, r.outcome.http_status) for r in report.results] == [
        ("https://a.example/ok", Status.OK, 200),
        ("https://a.example/gone", Status.BROKEN, 404),
        ("https://b.example/old", Status.REDIRECTED, 200),
        ("https://c.example/x", Status.BLOCKED, 403),
    ]
    assert report.failed and [r.link.url for r in report.failures] == ["https://a.example/gone"]
    assert sorted(asked) == sorted(
        ["https://a.example/ok", "https://a.example/gone", "https://b.example/old",
         "https://b.example/new", "https://c.example/x", "https://c.example/x"]
    )  # fmt: skip


def test_an_unterminated_ignore_region_is_a_warning_of_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("<!-- linkcheck-ignore-start -->\n[b](gone.md)\n")
    for _ in range(2):  # parsed, then from the extraction cache
        report = linkcheck.check(
            [str(tmp_path / "a.md")],
            linkcheck.Options(offline=True, cache_path=str(tmp_path / "c.db")),
        )
        assert [(i.message, i.fatal) for i in report.file_issues] == [
            (
                "linkcheck-ignore-start on line 1 has no linkcheck-ignore-end: every link "
                "after it is ignored",
                False,
            )
        ]
        assert not report.failed


@pytest.mark.parametrize(
    ("status", "unused", "flaky", "cause", "level"),
    [
        (linkcheck.Status.BROKEN, False, False, None, linkcheck.Level.ERROR),
        (linkcheck.Status.BROKEN, False, True, None, linkcheck.Level.WARNING),  # flaky
        (linkcheck.Status.BLOCKED, False, False, None, linkcheck.Level.WARNING),
        (linkcheck.Status.OK, False, False, None, None),
        (linkcheck.Status.OK, False, False, linkcheck.Cause.FRAGMENT_UNVERIFIED, linkcheck.Level.WARNING),
        # A definition nothing cites never fails the run, but a failing one is worth a look.
        (linkcheck.Status.BROKEN, True, False, None, linkcheck.Level.WARNING),
        (linkcheck.Status.BLOCKED, True, False, None, linkcheck.Level.WARNING),
        (linkcheck.Status.OK, True, False, None, None),
        (linkcheck.Status.SKIPPED, True, False, None, None),
    ],
)  # fmt: skip
def test_the_one_severity_rule(status, unused, flaky, cause, level) -> None:
    link = linkcheck.Link("a.md", 1, 1, linkcheck.Kind.REFERENCE, "t", "u", unused=unused)
    outcome = linkcheck.Outcome(status, None, flaky=flaky, cause=cause)
    result = linkcheck.LinkResult(link, "u", False, outcome)
    assert result.level(linkcheck.DEFAULT_FAIL_ON) is level


def test_every_public_name_is_there_when_first_used() -> None:
    """`linkcheck` imports a public name's module when the name is first used (a run
    that replays its reports loads no stage): each name in `__all__` is found, and in
    `dir()` before it is used."""
    import linkcheck

    assert set(linkcheck.__all__) <= set(dir(linkcheck))
    for name in linkcheck.__all__:
        assert getattr(linkcheck, name) is not None
