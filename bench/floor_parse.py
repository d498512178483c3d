"""The parser's floor: markdown-it-py alone over a corpus, on one process or several.

    python bench/floor_parse.py DIR commonmark   # MarkdownIt("commonmark") + tables
    python bench/floor_parse.py DIR linkcheck    # linkcheck's parser (rules off, prefilter)
    python bench/floor_parse.py DIR extract      # linkcheck's whole extraction
    python bench/floor_parse.py DIR linkcheck --processes 2

Reads every `.md` file under DIR (reading included in the figures, as a run reads them)
and prints the wall time and the CPU of this process and its workers: what no
markdown-it-py extraction can go below, beside what linkcheck's extraction costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from multiprocessing import Pool
from typing import Any

_PARSE: Any = None


def _setup(which: str) -> None:
    """In each process: the parse function to time."""
    global _PARSE  # one per process, set once by the pool's initializer
    if which == "commonmark":
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        _PARSE = lambda text, path: md.parse(text)  # noqa: E731
    elif which == "linkcheck":
        from linkcheck._extract._markdown import _parse, normalize_source

        _PARSE = lambda text, path: _parse(normalize_source(text))  # noqa: E731
    else:
        from linkcheck import extract

        _PARSE = extract


def _parse_files(paths: list[str]) -> int:
    for path in paths:
        with open(path, encoding="utf-8") as stream:
            _PARSE(stream.read(), path)
    return len(paths)


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("which", choices=["commonmark", "linkcheck", "extract"])
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    paths = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(args.folder)
        for name in names
        if name.endswith(".md")
    )
    began, cpu = time.perf_counter(), _cpu()
    if args.processes == 1:
        _setup(args.which)
        _parse_files(paths)
    else:
        size = -(-len(paths) // (args.processes * 8))
        batches = [paths[i : i + size] for i in range(0, len(paths), size)]
        with Pool(args.processes, initializer=_setup, initargs=(args.which,)) as pool:
            pool.map(_parse_files, batches)
    print(
        f"{args.which}, {args.processes} process(es), {len(paths)} files: "
        f"wall {time.perf_counter() - began:.2f} s, CPU {_cpu() - cpu:.2f} s, "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
