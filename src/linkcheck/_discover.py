"""Stage 1: find the articles to read. (Owner: discovery/local helper.)"""

from __future__ import annotations

from collections.abc import Sequence

from ._models import Source
from ._options import Options


class PathError(Exception):
    """A path named on the command line cannot be used; the CLI exits 2 with this message."""


def discover(paths: Sequence[str], options: Options) -> list[Source]:
    """Files as named (any extension), directories walked for *.md/*.markdown/*.mdx.

    Skips .git, node_modules and hidden folders, and anything matching
    `options.exclude_path`. `-` is stdin. Deterministic order; no duplicates.
    """
    raise NotImplementedError
