"""Memory per link checked online, measured (not extrapolated): for docs/scale.md.

    python bench/memory.py                       # 10,000 and 100,000 links, ~5 minutes
    python bench/memory.py --links 20000 --where # and what holds the memory (tracemalloc)

Against the loopback bench server (bench/server.py, 20 hosts on 127.0.0.1, --latency
seconds a response), a corpus of --links link occurrences, ten to an article, 70 % of
them distinct URLs (85 % answer 200, 8 % 404, 7 % redirect once). Each size is one
fresh linkcheck process (`--no-cache`, a JSON report to a file) under `/usr/bin/time`,
which gives its peak RSS and its CPU seconds; the figure per link is the difference of
the peaks over the difference of the links. `--where` runs the largest size in this
process under tracemalloc and prints the lines that hold the most at the peak.

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

    tracemalloc.start(1)
    report = check([str(folder)], Options(cache_path=None))
    with open(os.devnull, "w", encoding="utf-8") as out:
        write_json(report, out)
    snapshot = tracemalloc.take_snapshot()
    current, peak = tracemalloc.get_traced_memory()
    print(f"traced: {current / 2**20:.1f} MiB held at the end, {peak / 2**20:.1f} MiB peak")
    for stat in snapshot.statistics("lineno")[:top]:
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
            if len(runs) > 1:
                first, last = runs[0], runs[-1]
                grown = (last["peak_mib"] - first["peak_mib"]) * 2**20
                result["bytes_per_link"] = round(grown / (last["links"] - first["links"]))
            result["load_average_end"] = os.getloadavg()[0]
            if args.where:
                where(Path(work) / f"links-{args.links[-1]}", 25)
        print(json.dumps(result, indent=2))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
