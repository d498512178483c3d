"""Memory per link checked online, measured (not extrapolated): for docs/scale.md.

    python bench/memory.py                       # 10,000 and 100,000 links, ~5-15 minutes
    python bench/memory.py --links 20000 --where # and what holds the memory (tracemalloc)

Against the loopback bench server (bench/server.py, 20 hosts on 127.0.0.1, --latency
seconds a response), a corpus of --links link occurrences, ten to an article, 70 % of
them distinct URLs (85 % answer 200, 8 % 404, 7 % redirect once). Each size is one
fresh linkcheck process (`--no-cache`, a JSON report to a file) under `/usr/bin/time`,
which gives its peak RSS and its CPU seconds; the figure per link is the slope of the
peaks over the links (least squares: with two sizes, the difference of the peaks over
the difference of the links). `--where` runs the largest size in this process under
tracemalloc, takes a snapshot each time the traced memory reaches a new high (5 % above
the last), and prints the lines that hold the most in the one at the peak: what a run
holds at its peak may be gone by its end.

Loopback only: the server stops after --max-seconds whatever happens; every linkcheck
process has a timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def corpus(folder: Path, ports: list[int], links: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    distinct = int(links * 0.7)
    pool = []
    for n in range(distinct):
        port = ports[min(int(rng.paretovariate(1.2)) - 1, len(ports) - 1)]
        route = rng.choices(["ok", "gone", "r/1"], [0.85, 0.08, 0.07])[0]
        pool.append(f"http://127.0.0.1:{port}/{route}/story-{n}")
    cited = pool + [rng.choice(pool) for _ in range(links - distinct)]
    rng.shuffle(cited)
    for a in range(0, links, 10):
        lines = [f"# Article {a // 10}", "", "Published 2016-03-01.", ""]
        lines += [
            f"The ministry said [in a statement]({url}) that talks resume."
            for url in cited[a : a + 10]
        ]
        (folder / f"a{a // 10:06d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measured(args: list[str], cwd: Path, timeout: float) -> dict[str, float]:
    """Peak RSS (MiB), CPU (user+sys s) and wall of one linkcheck process."""
    stats = cwd / "time.txt"
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-o", str(stats), "-f", "%M %U %S",
         sys.executable, "-m", "linkcheck", "--no-progress", *args],
        cwd=cwd, capture_output=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"linkcheck exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    peak_kib, user, system = stats.read_text().split()[-3:]
    return {"peak_mib": int(peak_kib) / 1024, "cpu_s": float(user) + float(system), "wall_s": wall}


def where(folder: Path, top: int) -> None:
    """The run in this process under tracemalloc: the lines holding most at the peak."""
    import tracemalloc

    sys.path.insert(0, str(ROOT / "src"))
    from linkcheck import Options, check
    from linkcheck._report.json import write_json

    highest: list[tracemalloc.Snapshot] = []
    done = threading.Event()

    def watch() -> None:  # a snapshot at each new high: the last one is the peak's
        level = 0
        while not done.wait(0.1):
            current, _ = tracemalloc.get_traced_memory()
            if current > level * 1.05:
                highest[:] = [tracemalloc.take_snapshot()]
                level = current

    tracemalloc.start(1)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    report = check([str(folder)], Options(cache_path=None))
    with open(os.devnull, "w", encoding="utf-8") as out:
        write_json(report, out)
    done.set()
    watcher.join()
    current, peak = tracemalloc.get_traced_memory()
    snapshot = highest[-1] if highest else tracemalloc.take_snapshot()
    print(f"traced: {current / 2**20:.1f} MiB held at the end, {peak / 2**20:.1f} MiB peak")
    ignored = [tracemalloc.Filter(False, tracemalloc.__file__)]
    for stat in snapshot.filter_traces(ignored).statistics("lineno")[:top]:
        print(f"{stat.size / len(report.results):8.0f} B/link  {stat.count:8d}  {stat.traceback}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--latency", type=float, default=0.005)
    parser.add_argument("--max-seconds", type=float, default=1500)
    parser.add_argument("--where", action="store_true", help="tracemalloc the largest size")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--hosts", "20", "--latency",
         str(args.latency), "--max-seconds", str(args.max_seconds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        ports = json.loads(server.stdout.readline())["ports"]
        result: dict[str, object] = {"load_average": os.getloadavg()[0], "runs": []}
        with tempfile.TemporaryDirectory(prefix="linkcheck-memory-") as work:
            runs = []
            for links in args.links:
                folder = Path(work) / f"links-{links}"
                corpus(folder, ports, links)
                common = ["--no-cache", "--format", "json", "-o", "report.json", folder.name]
                figures = measured(common, Path(work), args.max_seconds)
                report = json.loads((Path(work) / "report.json").read_text())
                assert report["summary"]["links"] == links, report["summary"]
                runs.append({"links": links, **{k: round(v, 2) for k, v in figures.items()}})
                print(json.dumps(runs[-1]), file=sys.stderr)
            result["runs"] = runs
            if len(runs) > 1:  # the slope of the peaks over the links, least squares
                xs = [run["links"] for run in runs]
                ys = [run["peak_mib"] * 2**20 for run in runs]
                mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
                slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
                    (x - mx) ** 2 for x in xs
                )
                result["bytes_per_link"] = round(slope)
            result["load_average_end"] = os.getloadavg()[0]
            if args.where:
                where(Path(work) / f"links-{args.links[-1]}", 25)
        print(json.dumps(result, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
