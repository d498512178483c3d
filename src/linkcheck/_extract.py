"""Stage 2: every link occurrence in a markdown article, with its exact position."""

from __future__ import annotations

from dataclasses import dataclass

from ._models import Link


@dataclass(frozen=True, slots=True)
class Article:
    links: tuple[Link, ...]
    #: Every `#fragment` the article answers to: heading slugs and HTML id/name anchors.
    anchors: frozenset[str]


def extract(text: str, file: str) -> Article:
    raise NotImplementedError
