"""The extraction cache's codec: a parsed article as plain JSON and back."""

from __future__ import annotations

import json

from .._models import Article, Kind, Link, Span

#: Bumped whenever extraction output changes, so cached extractions are not reused.
EXTRACTOR_VERSION = 9


def dump_article(article: Article) -> str:
    """The article as plain JSON, for the extraction cache (never pickle: a cache file
    can come from an untrusted checkout, and unpickling it would run its code)."""
    links = [
        [x.line, x.column, x.kind.value, x.text, x.url, x.label, x.undefined, x.ignored_by,
         None if x.dest is None else [x.dest.line, x.dest.start, x.dest.end], x.unused]
        for x in article.links
    ]  # fmt: skip
    return json.dumps([links, sorted(article.anchors), article.warnings], ensure_ascii=False)


_KIND_OF_VALUE = {kind.value: kind for kind in Kind}  # Kind(value) is 10x slower


def load_article(payload: str, file: str) -> Article:
    """The inverse of dump_article, for the article now at `file`."""
    links, anchors, warnings = json.loads(payload)
    kinds = _KIND_OF_VALUE
    # A list comprehension, not tuple(generator): this runs once per cached link.
    loaded = [
        Link(file, line, column, kinds[kind], text, url, label, undefined, ignored,
             None if dest is None else Span(*dest), unused)
        for line, column, kind, text, url, label, undefined, ignored, dest, unused in links
    ]  # fmt: skip
    return Article(tuple(loaded), frozenset(anchors), tuple(warnings))
