"""Article formats: which parser reads a file, chosen by its extension.

One registry for the whole run: discovery's default walk (`DEFAULT_EXTENSIONS`), the
extract stage (`extract_as`), `--fix` (which re-reads a file as the run read it) and the
extraction cache (whose key names the format) all ask it. A format is one module with
one function `(text, file, dialect, path) -> Article` giving every link with its exact line
and column in the file itself and a `Link.dest` span where the destination is written;
adding one is a `Format(...)` line here and a function that imports its module when
called (and EXTRACTOR_VERSION bumped).

reStructuredText, AsciiDoc and notebooks are walked by default already (SPEC) but read
here only for their bare URLs until their own parsers land: never a false alarm, at
worst a link not yet seen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from .._models import Article, Kind, Link, Span
from ._dialects import Dialect

# Each parser (and its library: markdown-it-py, docutils, html5lib) is imported by the
# first article of its format, not here: a walk asks this registry for the extensions
# it takes, and a run that replays its reports reads no article at all.

#: (text, display name, dialect, filesystem path or None for stdin) -> the article's
#: links and anchors. The path is for what a format reads beside the article (a Sphinx
#: project's conf.py); a parser never reads the article itself again.
Parse = Callable[[str, str, Dialect, str | None], Article]


@dataclass(frozen=True, slots=True)
class Format:
    """A kind of article file: its name (in the cache key and docs), the extensions it
    is recognised by (lowercase, with the dot), and its parser."""

    name: str
    suffixes: tuple[str, ...]
    parse: Parse
    #: Why a file's text cannot be read in this format at all (a notebook that is not
    #: JSON), said once as the file's issue before it is parsed; None when it can.
    problem: Callable[[str], str | None] | None = None


def bare_only(
    text: str, file: str, dialect: Dialect = "github", path: str | None = None
) -> Article:
    """The addresses written out in running text (`https://…`, `www.…`), for a format
    whose own link syntax is not read yet; `linkcheck-ignore` comments apply."""
    from ._bare import bare_urls
    from ._ignore import ignored_lines
    from ._markdown import normalize_source

    src = normalize_source(text)
    lines = src.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    ignored = ignored_lines(lines, set())
    links = []
    for offset, url in bare_urls(src, []):
        index = bisect_right(starts, offset) - 1
        column = offset - starts[index]
        dest = Span(index + 1, column, column + len(url)) if "\n" not in url else None
        links.append(
            Link(file, index + 1, column + 1, Kind.BARE, url, url,
                 ignored_by=ignored.lines.get(index), dest=dest)
        )  # fmt: skip
    return Article(tuple(links), frozenset(), tuple(ignored.warnings))


def _markdown(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._markdown import extract

    return extract(text, file, dialect)


def _html(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._html_article import extract_html

    return extract_html(text, file)


def _mdx(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._mdx import extract_mdx

    return extract_mdx(text, file, dialect)


def _rst(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._rst import extract_rst

    # A Sphinx project reaches the parser as its dialect (_generators/sphinx.py).
    return extract_rst(text, file, dialect)


def _asciidoc(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._asciidoc import extract_asciidoc

    return extract_asciidoc(text, file, path)


def _notebook(text: str, file: str, dialect: Dialect, path: str | None) -> Article:
    from ._notebook import extract_notebook

    return extract_notebook(text, file, dialect)


def _notebook_problem(text: str) -> str | None:
    from ._notebook import notebook_problem

    return notebook_problem(text)


#: Every format, the default one first. Extensions are matched case-insensitively.
FORMATS: tuple[Format, ...] = (
    # `.txt` is read as markdown: the articles this tool was made for are plain-text
    # files of markdown links (SPEC, seed-article.txt).
    Format("markdown", (".md", ".markdown", ".txt"), _markdown),
    # Markdown plus JSX elements' href/src/to and local imports (_mdx.py).
    Format("mdx", (".mdx",), _mdx),
    Format("html", (".html", ".htm"), _html),
    Format("rst", (".rst",), _rst),
    Format("asciidoc", (".adoc", ".asciidoc"), _asciidoc),
    Format("notebook", (".ipynb",), _notebook, _notebook_problem),
)
MARKDOWN = FORMATS[0]

#: What a walk takes when `extensions` is not set (SPEC, "More inputs").
DEFAULT_EXTENSIONS: tuple[str, ...] = tuple(
    suffix.lstrip(".") for fmt in FORMATS for suffix in fmt.suffixes
)


@cache
def _by_suffix() -> dict[str, Format]:
    return {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


@cache
def _by_name() -> dict[str, Format]:
    return {fmt.name: fmt for fmt in FORMATS}


def format_of(path: str | None) -> Format:
    """The format a file is read in, by its extension; markdown for stdin and for any
    extension no format claims (a file named on the command line is an article
    whatever it is called)."""
    if path is None:
        return MARKDOWN
    name = path.replace("\\", "/").rpartition("/")[2].lower()
    dot = name.rfind(".")
    if dot <= 0:
        return MARKDOWN
    return _by_suffix().get(name[dot:], MARKDOWN)


def extract_as(
    format_name: str, text: str, file: str, dialect: Dialect = "github", path: str | None = None
) -> Article:
    """Every link of `text` read as the format named (a Format's name); `path` is
    where the article lives (None for stdin)."""
    return _by_name().get(format_name, MARKDOWN).parse(text, file, dialect, path)
