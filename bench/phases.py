"""Where an offline run's time goes, phase by phase, cold and warm.

    python bench/phases.py [--mb 10]
    python bench/phases.py --small-files 40000   # the many-small-files corpus instead
    python bench/phases.py --warm-only           # skip the cold runs (a third of the time)

Writes the offline benchmark's corpus (same seed) to bench/out/phases/, then runs
`linkcheck.check` in this process three times cold (no cache) and three times warm
(extraction cache filled), timing each pipeline stage by wrapping it, and prints the
median seconds per phase. Nothing here touches the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - bench/ is a folder of scripts, not a package

START = time.perf_counter()
import linkcheck  # noqa: E402 - imported after START: its import time is a phase
import linkcheck._api as api  # noqa: E402
import linkcheck._extract._articles as articles  # noqa: E402
from linkcheck._classify import Classifier  # noqa: E402
from linkcheck._extract import Articles  # noqa: E402
from linkcheck._report.json import write_json  # noqa: E402

IMPORTS = time.perf_counter() - START
# Outside the repository: linkcheck skips what git ignores.
OUT = Path(tempfile.gettempdir()) / "linkcheck-bench" / "phases"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--small-files", type=int, default=0)
    parser.add_argument("--warm-only", action="store_true", help="no cold runs")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, for the median")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="where the corpus goes (emptied first); a run at the same time as another "
        "needs its own, or one deletes the other's corpus under it",
    )
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    if args.small_files:
        count = args.small_files
        args.mb = corpus.small_files(args.out / "articles", count) / 1e6
    else:
        count = corpus.offline(args.out / "articles", args.mb)
    os.chdir(args.out)
    spent: dict[str, float] = {}
    api.discover = _timed(api.discover, "discover the articles", spent)
    _time_async_iterator(
        Articles, "each", "read, hash, and parse (cold) or load cached links", spent
    )
    _time_method(Classifier, "classify_all", "classify", spent)
    resolve = api._resolve

    async def timed_resolve(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await resolve(*args, **kwargs)
        finally:
            spent["local files and fragments"] = time.perf_counter() - start

    api._resolve = timed_resolve  # type: ignore[assignment]
    rows: dict[str, dict[str, list[float]]] = {"cold": {}, "warm": {}}
    runs = [("warm", "cache.db")] if args.warm_only else [("cold", None), ("warm", "cache.db")]
    for label, cache in runs:
        if cache:
            if args.warm_only:
                # A file changed within RACY_NS of a run is read again by the next one:
                # the cold runs take longer than that; without them, wait it out.
                time.sleep(getattr(articles, "RACY_NS", 0) / 1e9)  # 0 before it was
            linkcheck.check(["articles"], linkcheck.Options(offline=True, cache_path=cache))
        for _ in range(args.runs):
            spent.clear()
            began, cpu = time.perf_counter(), time.process_time()
            options = linkcheck.Options(offline=True, cache_path=cache)
            report = linkcheck.check(["articles"], options)
            total = time.perf_counter() - began
            start = time.perf_counter()
            with open("report.json", "w", encoding="utf-8") as stream:
                write_json(report, stream)
            spent["write the JSON report"] = time.perf_counter() - start
            spent["the rest: results, sorting, cache file, event loop"] = total - sum(
                v for k, v in spent.items() if k != "write the JSON report"
            )
            spent["total, wall"] = time.perf_counter() - began
            # The parse workers' CPU is not in it (cold runs): this process's only.
            spent["total, CPU of this process"] = time.process_time() - cpu
            for phase, seconds in spent.items():
                rows[label].setdefault(phase, []).append(seconds)
    labels = [label for label, _ in runs]
    print(
        f"{count} articles, {args.mb:.1f} MB, {len(report.results)} links; "
        f"median of {args.runs} runs\n"
    )
    print(f"| phase | {' | '.join(f'{label}, s' for label in labels)} |")
    print(f"|---|{'---|' * len(labels)}")
    print(f"| imports (once per process) |{f' {IMPORTS:.2f} |' * len(labels)}")
    for phase in rows[labels[0]]:
        medians = (f"{statistics.median(rows[label].get(phase, [0.0])):.2f}" for label in labels)
        print(f"| {phase} | {' | '.join(medians)} |")


def _time_async_iterator(owner: type, name: str, phase: str, spent: dict[str, float]) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    async def timed(*args: Any, **kwargs: Any) -> Any:
        iterator = real(*args, **kwargs).__aiter__()
        while True:
            start = time.perf_counter()
            try:
                item = await iterator.__anext__()
            except StopAsyncIteration:
                return
            finally:
                spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - start
            yield item

    setattr(owner, name, timed)


def _time_method(owner: type, name: str, phase: str, spent: dict[str, float]) -> None:
    setattr(owner, name, _timed(getattr(owner, name), phase, spent))


def _timed(real: Callable[..., Any], phase: str, spent: dict[str, float]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - start

    return timed


if __name__ == "__main__":
    main()
