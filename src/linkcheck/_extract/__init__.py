"""Stage 2, extract: every link occurrence of every article, with its exact position.

`_read` reads and decodes an article, `_markdown` walks markdown-it's tokens (with
`_positions` mapping offsets back to lines and columns, `_bare`, `_html` and `_ignore`
for what markdown-it leaves as text), `_codec` stores a parse in the extraction cache,
and `_articles` does all of it for a run's articles, on every core.
"""

from .._models import Article
from ._articles import Articles
from ._codec import EXTRACTOR_VERSION, dump_article, load_article
from ._dialects import DIALECTS
from ._markdown import extract, heading_texts, normalize_source
from ._read import decode, read_source


def extract_page(text: str, url: str) -> Article:
    """A page from the web, read as the HTML article it is."""
    return extract(text, url)  # the HTML reader replaces this stand-in


__all__ = [
    "DIALECTS",
    "EXTRACTOR_VERSION",
    "Articles",
    "decode",
    "dump_article",
    "extract",
    "extract_page",
    "heading_texts",
    "load_article",
    "normalize_source",
    "read_source",
]
