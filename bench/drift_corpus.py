"""Precision and recall of --drift on the page-pair corpus (tests/drift_corpus.py), for
each extractor and a sweep of thresholds; the figures of docs/citations.md.

    .venv/bin/python bench/drift_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from drift_corpus import pairs
from linkcheck import _similarity

THRESHOLDS = (0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def scores(plain: bool) -> list[tuple[str, bool, float]]:
    found = []
    with mock.patch.dict(sys.modules, {"trafilatura": None} if plain else {}):
        for pair in pairs():
            then, now = _similarity.page_text(pair.then), _similarity.page_text(pair.now)
            score = _similarity.similarity(then, now)
            assert score is not None, pair.name
            found.append((pair.name, pair.drifted, score))
    return found


def precision_recall(found: list[tuple[str, bool, float]], threshold: float) -> tuple[float, float]:
    flagged = {name for name, _, score in found if score < threshold}
    drifted = {name for name, truth, _ in found if truth}
    hits = len(flagged & drifted)
    precision = hits / len(flagged) if flagged else 1.0
    return precision, hits / len(drifted)


def main() -> None:
    for label, plain in (("trafilatura", False), ("plain body text", True)):
        found = scores(plain)
        print(f"## {label}: {len(found)} pairs, {sum(t for _, t, _ in found)} drifted")
        for kind in sorted({name.split("-", 1)[1] for name, _, _ in found}):
            values = [s for name, _, s in found if name.endswith(f"-{kind}")]
            print(f"  {kind:12} similarity {min(values):.3f}–{max(values):.3f}")
        for threshold in THRESHOLDS:
            precision, recall = precision_recall(found, threshold)
            print(f"  threshold {threshold:.2f}: precision {precision:.3f} recall {recall:.3f}")


if __name__ == "__main__":
    main()
