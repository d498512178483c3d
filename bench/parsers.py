"""Markdown parsers on the same seeded corpus: MB/s in one process.

    pip install pyromark markdown-it-pyrs   # optional: the alternatives measured
    python bench/parsers.py [--mb 6]

The corpus is the one `extract_throughput.py` and the offline benchmark use. Each parser
is timed best of three over the whole corpus; a parser that is not installed is listed
as such. Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_throughput import article


def _markdown_it_py() -> Callable[[str], object]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return md.parse


def _linkcheck() -> Callable[[str], object]:
    from linkcheck import extract

    return lambda text: extract(text, "a.md")


def _markdown_it_pyrs() -> Callable[[str], object]:
    from markdown_it_pyrs import MarkdownIt  # type: ignore[import-not-found]

    md = MarkdownIt("commonmark").enable_many(["table", "strikethrough"])
    return lambda text: list(md.tree(text).walk())  # every node, with its source map


def _pyromark(ranged: bool) -> Callable[[str], object]:
    import pyromark  # type: ignore[import-not-found]

    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    events = pyromark.events_with_range if ranged else pyromark.events
    return lambda text: list(events(text, options=options))  # events are lazy: take them all


PARSERS: dict[str, Callable[[], Callable[[str], object]]] = {
    "markdown-it-py, tokens only": _markdown_it_py,
    "linkcheck's extraction (markdown-it-py + positions + bare URLs)": _linkcheck,
    "markdown-it-pyrs (Rust markdown-it), syntax tree, every node walked": _markdown_it_pyrs,
    "pyromark (pulldown-cmark, lychee's parser), events": lambda: _pyromark(False),
    "pyromark, events with source ranges": lambda: _pyromark(True),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=6.0, help="corpus size in MB")
    args = parser.parse_args()
    rng = random.Random(1)
    texts: list[str] = []
    size = 0
    while size < args.mb * 1_000_000:
        texts.append(article(rng, len(texts)))
        size += len(texts[-1].encode())
    print(f"{len(texts)} articles, {size / 1e6:.1f} MB\n")
    print("| parser | MB/s, one process |\n|---|---|")
    for name, make in PARSERS.items():
        try:
            parse = make()
        except ImportError as error:
            print(f"| {name} | not installed ({error.name}) |")
            continue
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for text in texts:
                parse(text)
            best = min(best, time.perf_counter() - start)
        print(f"| {name} | {size / 1e6 / best:.1f} |", flush=True)


if __name__ == "__main__":
    main()
