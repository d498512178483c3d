"""Stage 2, extract: every link occurrence of every article, with its exact position.

`_formats` chooses an article's parser by its extension (markdown, `_html_article`
for HTML pages, …); `_read` reads and decodes an article, `_markdown` walks
markdown-it's tokens (with
`_positions` mapping offsets back to lines and columns, `_bare`, `_html` and `_ignore`
for what markdown-it leaves as text), `_codec` stores a parse in the extraction cache,
and `_articles` does all of it for a run's articles, on every core.
"""

from typing import TYPE_CHECKING

from .._models import Article
from ._articles import Articles, run_started, stat_signature
from ._codec import EXTRACTOR_VERSION, dump_article, load_article
from ._dialects import DIALECTS, Dialect
from ._formats import DEFAULT_EXTENSIONS, FORMATS, Format, extract_as, format_of
from ._read import decode, read_source

if TYPE_CHECKING:
    from ._markdown import extract, normalize_source


def __getattr__(name: str) -> object:
    # The markdown parser (markdown-it-py) is imported by the first use, not by a walk
    # or a replayed run, which ask this package for its registry and signatures.
    if name in ("extract", "normalize_source"):
        from . import _markdown

        return getattr(_markdown, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def heading_texts(text: str) -> list[str]:
    """The plain text of every heading of a markdown article, in order (`_markdown`'s,
    imported at the first call: the generators and the resolver name it at import)."""
    from ._markdown import heading_texts as texts

    return texts(text)


def extract_page(text: str, url: str) -> Article:
    """A page from the web, read as the HTML article it is."""
    return extract_as("html", text, url)


__all__ = [
    "DEFAULT_EXTENSIONS",
    "DIALECTS",
    "EXTRACTOR_VERSION",
    "FORMATS",
    "Articles",
    "Dialect",
    "Format",
    "decode",
    "dump_article",
    "extract",
    "extract_as",
    "extract_page",
    "format_of",
    "heading_texts",
    "load_article",
    "normalize_source",
    "read_source",
    "run_started",
    "stat_signature",
]
