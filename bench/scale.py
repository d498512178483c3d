"""What one shard of a big sharded run does, measured on loopback: for docs/scale.md.

    python bench/scale.py                      # ~3 minutes on 2 cores; --quick: ~1 minute

1. Throughput per job at realistic latency: a corpus of --articles articles citing --urls
   distinct URLs on --hosts hosts (127.0.0.2, 127.0.0.3, …: distinct hosts to linkcheck,
   so the shards split them), a server answering each URL after 50–200 ms (the same delay
   for a URL every time). One unsharded run, then each of --shards shards in turn, each a
   fresh process with its own cache: URLs/s and links/s per job, and the merged report
   checked equal to the single run's.
2. Cache size: the shards' cache files per URL and per article, and a cache filled with
   --cache-urls synthetic results (the stored layout, without the articles).
3. Merge time: --merge-links synthetic rows in --shards shard reports, merged by
   `linkcheck merge` in a process of its own (wall time and peak memory).
4. Two stages (`--only two-stage`): every article parsed once (`--save-links`) and each
   shard checking from the links file (`--links-from --shard I/N`), against --shards
   one-stage shards that each parse every article. Offline on --two-stage-articles
   articles (the parse alone: the remote links are `skipped`), and online on the
   throughput corpus above; no cache, so every parse is cold. Wall seconds of every
   process, the links file's bytes per link (plain and gzipped), and each merged report
   compared byte for byte with the single run's.

Loopback only; the server stops after --max-seconds whatever happens, every linkcheck
process has a timeout. Prints a JSON summary on stdout and writes it to bench/out/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from linkcheck import Kind, Link, LinkResult, Outcome, Redirect, Report, Status  # noqa: E402
from linkcheck._cache import ResultCache  # noqa: E402
from linkcheck._report.json import write_json  # noqa: E402
from linkcheck._shard import Shard, shard_of_host  # noqa: E402

SERVER = r"""
import asyncio, sys, zlib
from aiohttp import web

async def handle(request):
    path = request.path
    # 50-200 ms, fixed per URL: a crc, not a random draw, so every run waits alike.
    await asyncio.sleep(0.05 + 0.15 * (zlib.crc32(path.encode()) % 1000) / 1000)
    kind = path.split("/")[1]
    if kind == "gone":
        return web.Response(status=404, text="not found")
    if kind == "moved":
        raise web.HTTPMovedPermanently("/ok" + path[len("/moved"):])
    return web.Response(text="<html><h1>ok</h1></html>", content_type="text/html")

async def main(addresses, seconds):
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    ports = []
    for address in addresses:
        site = web.TCPSite(runner, address, 0, backlog=2048)
        await site.start()
        ports.append(site._server.sockets[0].getsockname()[1])
    print(",".join(map(str, ports)), flush=True)
    await asyncio.sleep(seconds)
    await runner.cleanup()

asyncio.run(main(sys.argv[2].split(","), float(sys.argv[1])))
"""


def linkcheck(args: list[str], cwd: Path, timeout: float = 900) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB) of one linkcheck process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "linkcheck",
            *(args if args[0] == "merge" else ["--no-progress", *args]),
        ],
        cwd=cwd,
        capture_output=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"linkcheck {' '.join(args)} exited {done.returncode}: {done.stderr.decode()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, done.returncode, max(peak, before)


def corpus(folder: Path, hosts: list[str], urls: int, articles: int, seed: int = 3) -> int:
    """Articles of ~10 links each, URLs on `hosts` (a mild skew), some cited twice."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    weights = [1 / (i + 1) ** 0.5 for i in range(len(hosts))]
    pool = []
    for n in range(urls):
        host = rng.choices(hosts, weights)[0]
        route = rng.choices(["ok", "gone", "moved"], [0.85, 0.08, 0.07])[0]
        pool.append(f"http://{host}/{route}/story-{n}")
    links = 0
    per_article = [[] for _ in range(articles)]
    for n, url in enumerate(pool):  # every URL cited once, then some again elsewhere
        per_article[n % articles].append(url)
    for url in rng.sample(pool, len(pool) // 3):
        per_article[rng.randrange(articles)].append(url)
    for a, cited in enumerate(per_article):
        lines = [f"# Article {a}", "", "Published 2016-03-01.", ""]
        lines += [f"The ministry said [in a statement]({url}) that talks resume." for url in cited]
        lines += ["", f"See also [an earlier story](a{(a + 1) % articles:05d}.md).", ""]
        (folder / f"a{a:05d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        links += len(cited) + 1
    return links


def _start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], list[str]]:
    """The loopback server on `args.hosts` addresses, bounded by `args.max_seconds`, and
    its `address:port` hosts."""
    addresses = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.max_seconds), ",".join(addresses)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    ports = server.stdout.readline().strip().split(",")
    return server, [f"{a}:{p}" for a, p in zip(addresses, ports, strict=True)]


def throughput(work: Path, args: argparse.Namespace) -> dict[str, object]:
    server, hosts = _start_server(args)
    try:
        links = corpus(work / "articles", hosts, args.urls, args.articles)
        common = ["--format", "json", "--timeout", "10", "articles"]
        single_s, single_code, single_rss = linkcheck(
            [*common, "-o", "single.json", "--cache-path", "single.db"], work
        )
        shards = []
        for i in range(1, args.shards + 1):
            seconds, code, _ = linkcheck(
                [*common, "--shard", f"{i}/{args.shards}", "-o", f"shard-{i}.json",
                 "--cache-path", f"shard-{i}.db"],
                work,
            )  # fmt: skip
            report = json.loads((work / f"shard-{i}.json").read_text())
            remote = {r["target"] for r in report["links"] if r["target"].startswith("http")}
            shards.append(
                {
                    "shard": f"{i}/{args.shards}",
                    "hosts": sorted({u.split("/")[2] for u in remote}),
                    "urls": len(remote),
                    "links": report["summary"]["links"],
                    "seconds": round(seconds, 2),
                    "urls_per_second": round(len(remote) / seconds, 1),
                    "links_per_second": round(report["summary"]["links"] / seconds, 1),
                    "exit": code,
                    "cache_bytes": (work / f"shard-{i}.db").stat().st_size,
                }
            )
        merge_s, merge_code, _ = linkcheck(
            ["merge", "--format", "json", "-o", "merged.json",
             *(f"shard-{i}.json" for i in range(1, args.shards + 1))],
            work,
        )  # fmt: skip
        equal = (work / "merged.json").read_bytes() == (work / "single.json").read_bytes()
        cache_bytes = sum(s["cache_bytes"] for s in shards)  # type: ignore[misc]
        return {
            "hosts": args.hosts,
            "articles": args.articles,
            "urls": args.urls,
            "links": links,
            "latency_ms": "50-200, mean 125",
            "single": {
                "seconds": round(single_s, 2),
                "urls_per_second": round(args.urls / single_s, 1),
                "links_per_second": round(links / single_s, 1),
                "exit": single_code,
                "peak_rss_mib": round(single_rss / 1024, 1),
                "cache_bytes": (work / "single.db").stat().st_size,
            },
            "shards": shards,
            "merged_equals_single": equal,
            "merge": {"seconds": round(merge_s, 2), "exit": merge_code},
            "shard_cache_bytes_per_url": round(cache_bytes / args.urls, 1),
            "shard_cache_bytes_per_article": round(cache_bytes / args.articles, 1),
        }
    finally:
        server.kill()
        server.wait(timeout=10)


def cache_size(work: Path, urls: int) -> dict[str, object]:
    """A result cache of `urls` synthetic outcomes, URLs shaped like a news archive's."""
    rng = random.Random(5)
    outcomes = {}
    for n in range(urls):
        host = f"www.publisher-{n % 5000}.example"
        url = f"https://{host}/{2010 + n % 14}/{n % 12 + 1:02d}/story-title-words-{n}"
        if rng.random() < 0.1:
            outcomes[url] = Outcome(
                Status.REDIRECTED, "redirected 1 time", 200, url + "/",
                (Redirect(301, url + "/"),),
            )  # fmt: skip
        elif rng.random() < 0.1:
            outcomes[url] = Outcome(Status.BROKEN, "404 Not Found", 404)
        else:
            outcomes[url] = Outcome(Status.OK, None, 200)
    path = work / "synthetic.db"
    cache, _ = ResultCache.open(path)
    with cache:
        start = time.perf_counter()
        cache.store(outcomes, time.time())
        seconds = time.perf_counter() - start
    size = path.stat().st_size
    return {
        "urls": urls,
        "bytes": size,
        "bytes_per_url": round(size / urls, 1),
        "mib_per_million_urls": round(size / urls * 1e6 / 2**20, 1),
        "store_seconds": round(seconds, 2),
    }


def merge_time(work: Path, links: int, shards: int) -> dict[str, object]:
    """`links` synthetic rows over `shards` shard reports, merged in a process of its own."""
    per_file = 10
    files = tuple(
        f"archive/{year}/story-{n}.md"
        for year in range(2010, 2020)
        for n in range(links // per_file // 10)
    )
    rows: list[list[LinkResult]] = [[] for _ in range(shards)]
    ok = Outcome(Status.OK, None, 200)
    gone = Outcome(Status.BROKEN, "404 Not Found", 404)
    for n in range(links):
        file = files[n // per_file % len(files)]
        host = f"www.publisher-{n % 5000}.example"
        url = f"https://{host}/2015/06/story-title-words-{n}"
        shard = shard_of_host(host, shards)
        link = Link(file, n % per_file + 3, 1, Kind.INLINE, "in a statement", url)
        rows[shard - 1].append(LinkResult(link, url, False, gone if n % 13 == 0 else ok))
    paths = []
    for i, results in enumerate(rows, 1):
        path = work / f"big-{i}.json"
        report = Report(files=files, results=tuple(results), shard=Shard(i, shards))
        with open(path, "w", encoding="utf-8") as stream:
            write_json(report, stream)
        paths.append(path.name)
    size = sum((work / p).stat().st_size for p in paths)
    seconds, code, peak = linkcheck(["merge", "--format", "json", "-o", "big.json", *paths], work)
    return {
        "links": links,
        "shards": shards,
        "report_bytes": size,
        "bytes_per_link": round(size / links, 1),
        "seconds": round(seconds, 2),
        "links_per_second": round(links / seconds),
        "peak_rss_mib": round(peak / 1024, 1),
        "exit": code,
    }


def two_stage(work: Path, args: argparse.Namespace) -> dict[str, object]:
    """One-stage shards (each parses everything) against stage 1 + stage 2 shards."""
    result: dict[str, object] = {"load_average_before": os.getloadavg()}
    offline = work / "offline"
    hosts = [f"127.0.0.{i}" for i in range(2, 2 + args.hosts)]
    links = corpus(
        offline / "articles", hosts, args.two_stage_articles * 10, args.two_stage_articles
    )
    result["offline"] = {"articles": args.two_stage_articles, "links": links}
    result["offline"] |= _stages(
        offline, ["--offline", "--no-cache", "articles"], args.shards, links
    )
    server, hosts = _start_server(args)
    try:
        online = work / "online"
        links = corpus(online / "articles", hosts, args.urls, args.articles)
        flags = ["--no-cache", "--timeout", "10", "articles"]
        result["online"] = {"articles": args.articles, "urls": args.urls, "links": links}
        result["online"] |= _stages(online, flags, args.shards, links)
    finally:
        server.kill()
        server.wait(timeout=10)
    result["load_average_after"] = os.getloadavg()
    return result


def _stages(work: Path, flags: list[str], shards: int, links: int) -> dict[str, object]:
    """The same run three ways in `work`: single, N one-stage shards, and stage 1 + N
    stage-2 shards (a shard of each way in turn); each process's wall and CPU seconds
    (user + system: what the load of other processes changes least), and whether each
    way's merged report equals the single run's, byte for byte."""
    settings = flags[:-1]  # without the folder: stage 2 reads no article
    single = _timed([*flags, "--format", "json", "-o", "single.json"], work)
    stage_1 = _timed([*flags, "--save-links", "links.jsonl"], work)
    packed = _timed([*flags, "--save-links", "links.jsonl.gz"], work)
    one_stage, two_stage = [], []
    for i in range(1, shards + 1):
        shard = ["--shard", f"{i}/{shards}", "--format", "json"]
        one_stage.append(_timed([*flags, *shard, "-o", f"one-{i}.json"], work))
        given = [*settings, "--links-from", "links.jsonl", *shard, "-o", f"two-{i}.json"]
        two_stage.append(_timed(given, work))
    equal = {}
    for name in ("one", "two"):
        reports = [f"{name}-{i}.json" for i in range(1, shards + 1)]
        linkcheck(["merge", "--format", "json", "-o", f"{name}.json", *reports], work)
        equal[name] = (work / f"{name}.json").read_bytes() == (work / "single.json").read_bytes()
    plain, gz = (work / "links.jsonl").stat().st_size, (work / "links.jsonl.gz").stat().st_size
    return {
        "single": single,
        "one_stage_shards": one_stage,
        "one_stage_total": _sum(one_stage),
        "stage_1": stage_1,
        "stage_1_gzip": packed,
        "stage_2_shards": two_stage,
        "two_stage_total": _sum([stage_1, *two_stage]),
        "links_file_bytes": plain,
        "links_file_bytes_per_link": round(plain / links, 1),
        "links_file_gz_bytes_per_link": round(gz / links, 1),
        "one_stage_merged_equals_single": equal["one"],
        "two_stage_merged_equals_single": equal["two"],
    }


def _timed(args: list[str], cwd: Path) -> dict[str, float]:
    """Wall and CPU seconds (user + system, the children's) of one linkcheck process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _, _ = linkcheck(args, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"wall": round(wall, 2), "cpu": round(cpu, 2)}


def _sum(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(sum(run[k] for run in runs), 2) for k in ("wall", "cpu")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--urls", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--cache-urls", type=int, default=100_000)
    parser.add_argument("--merge-links", type=int, default=500_000)
    parser.add_argument("--max-seconds", type=float, default=1200)
    parser.add_argument("--two-stage-articles", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="5,000 URLs, 100,000 merged rows")
    parser.add_argument(
        "--only",
        choices=["throughput", "cache", "merge", "two-stage"],
        help="one of the measures (two-stage: only when asked)",
    )
    args = parser.parse_args()
    if args.quick:
        args.urls, args.articles, args.cache_urls, args.merge_links = 5_000, 500, 20_000, 100_000
    with tempfile.TemporaryDirectory(prefix="linkcheck-scale-") as folder:
        work = Path(folder)
        measures = {
            "throughput": lambda: throughput(work, args),
            "cache": lambda: cache_size(work, args.cache_urls),
            "merge": lambda: merge_time(work, args.merge_links, args.shards),
            "two-stage": lambda: two_stage(work, args),
        }
        result: dict[str, object] = {
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
        }
        for name, measure in measures.items():
            if args.only == name or (args.only is None and name != "two-stage"):
                result[name] = measure()
    text = json.dumps(result, indent=2)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "scale.json").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
