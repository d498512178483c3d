"""Stage 3: decide what each link points at, without touching disk or network."""

from __future__ import annotations

from ._models import Classified, Link, Source
from ._options import Options


class Classifier:
    def __init__(self, options: Options) -> None:
        self._options = options

    def classify(self, link: Link, source: Source) -> Classified:
        raise NotImplementedError
