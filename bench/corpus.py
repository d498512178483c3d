"""Seeded article corpora for benchmarks, with ground truth.

online(folder, ports, articles=500, links=10_000): articles citing the bench server's
hosts (skewed: a few hosts get most links), every link kind, ~30 % of URLs cited in
several articles, placeholders and local links; writes ground_truth.json beside them.
offline(folder, megabytes): many articles and no server, for extraction-bound runs.
small_files(folder, count): many small cheat-sheet-like articles, few links each.
minimum_requests(truth): the requests a tool that asks nothing twice must make, by host.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

Route = tuple[str, float, bool]
# (route, share, broken?) — what the server answers for each kind of URL.
_ROUTES: list[Route] = [
    ("ok", 0.68, False),
    ("gone", 0.08, True),
    ("removed", 0.03, True),
    ("err", 0.03, True),
    ("r", 0.08, False),
    ("rl", 0.02, False),
    ("nohead", 0.04, False),
    ("s", 0.04, False),
]


def _url(
    rng: random.Random, ports: list[int], weights: list[float], n: int, routes: list[Route]
) -> tuple[str, bool]:
    port = rng.choices(ports, weights)[0]
    route, _, broken = rng.choices(routes, [share for _, share, _ in routes])[0]
    if route == "r":
        return f"http://127.0.0.1:{port}/r/{rng.randint(1, 3)}/{n}", broken
    if route == "s":
        return f"http://127.0.0.1:{port}/s/{rng.choice(ports)}/{n}", broken
    return f"http://127.0.0.1:{port}/{route}/{n}", broken


def online(
    folder: Path,
    ports: list[int],
    articles: int = 500,
    links: int = 10_000,
    seed: int = 7,
    rate_limited: bool = True,
) -> dict[str, bool]:
    """Write the corpus; without `rate_limited`, no URL answers 429 (the "same footing"
    runs, where a 429 would measure each tool's reaction to it instead of its speed)."""
    rng = random.Random(seed)
    routes = _ROUTES if rate_limited else [r for r in _ROUTES if r[0] != "rl"]
    folder.mkdir(parents=True, exist_ok=True)
    weights = [1 / (i + 1) for i in range(len(ports))]  # Zipf-like: host 0 is the busiest
    truth: dict[str, bool] = {}
    pool: list[str] = []
    per_article = max(1, links // articles)
    for a in range(articles):
        lines = [f"# Article {a}", "", f"Published 2016-03-{a % 28 + 1:02d}.", ""]
        refs: list[str] = []
        for i in range(per_article):
            if pool and rng.random() < 0.3:
                url = rng.choice(pool)
            else:
                url, broken = _url(rng, ports, weights, len(truth), routes)
                truth[url] = broken
                pool.append(url)
            form = rng.random()
            if form < 0.5:
                lines.append(f"The minister said [in a statement {i}]({url}) that talks resume.")
            elif form < 0.65:
                refs.append(url)
                lines.append(f"As [the report][r{len(refs)}] shows, schedules were compared.")
            elif form < 0.75:
                lines.append(f"Source: <{url}>")
            elif form < 0.9:
                lines.append(f"Read more at {url} today.")
            else:
                lines.append(f"![chart {i}]({url})")
            lines.append("")
        lines.append("[READ MORE: ministers meet port chiefs](#) and <http://>")
        lines.append("")
        other = rng.randrange(articles)
        lines.append(f"See also [article {other}](a{other:04d}.md#article-{other}).")
        lines.append(f"And a [missing one](missing-{a}.md).")
        lines.append("")
        lines.extend(f"[r{n + 1}]: {url}" for n, url in enumerate(refs))
        (folder / f"a{a:04d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder.parent / "ground_truth.json").write_text(json.dumps(truth, indent=0))
    return truth


def offline(folder: Path, megabytes: float, seed: int = 1) -> int:
    """Write articles until `megabytes` MB; return how many."""
    from extract_throughput import article  # the same generator as the throughput bench

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    size = count = 0
    while size < megabytes * 1_000_000:
        text = article(rng, count)
        (folder / f"o{count:05d}.md").write_text(text, encoding="utf-8")
        size += len(text.encode())
        count += 1
    return count


def minimum_requests(truth: dict[str, bool]) -> dict[str, int]:
    """Requests per host (port) that checking every URL of `truth` takes at the least:
    one per URL and per redirect hop, two for a 429-then-200 route."""
    seen: set[tuple[str, str]] = set()
    per_host: dict[str, int] = {}

    def ask(port: str, path: str, times: int = 1) -> None:
        if (port, path) not in seen:
            seen.add((port, path))
            per_host[port] = per_host.get(port, 0) + times

    for url in truth:
        rest = url.removeprefix("http://127.0.0.1:")
        port, _, path = rest.partition("/")
        parts = path.split("/")
        if parts[0] == "r":
            for left in range(int(parts[1]), 0, -1):
                ask(port, f"r/{left}/{parts[2]}")
            ask(port, f"ok/{parts[2]}")
        elif parts[0] == "s":
            ask(port, path)
            ask(parts[1], f"ok/{parts[2]}")
        else:
            ask(port, path, 2 if parts[0] == "rl" else 1)
    return per_host


_PROSE = (
    "use this when the output is long and pipe it through a pager or save it to a file "
    "for later since most options can be combined and the order rarely matters"
).split()
_TOPICS = "git docker tar curl ssh grep sed awk find rsync tmux vim make jq".split()


def small_files(folder: Path, count: int = 40_000, seed: int = 3) -> int:
    """`count` cheat-sheet-like articles of ~470 bytes (a title, a few commands in code,
    two or three links: a remote page, a sibling sheet, a heading); return the bytes."""
    rng = random.Random(seed)
    size = 0
    for n in range(count):
        sub = folder / f"s{n // 1000:02d}"
        if n % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        topic = _TOPICS[n % len(_TOPICS)]
        other = rng.randrange(count)
        lines = [
            f"# {topic} {n}",
            "",
            f"Show the {topic} options for case {n}; see the [manual](https://{topic}.example.org/man/{n % 97}).",
            "",
            "```sh",
            f"{topic} --help | less   # {n}",
            f"{topic} -v {rng.randint(1, 99)} input.txt > out.txt",
            f'{topic} --format=json --limit {rng.randint(1, 500)} -- "$HOME/data"',
            "```",
            "",
            "| flag | what it does |",
            "|---|---|",
            f"| `-v` | more output, repeat for level {n % 4} |",
            "| `--help` | every option, with defaults |",
            "",
            " ".join(rng.choices(_PROSE, k=rng.randint(6, 20))).capitalize() + ".",
            "",
            f"Related: [{other}](../s{other // 1000:02d}/c{other:05d}.md#{_TOPICS[other % len(_TOPICS)]}-{other}), "
            f"back to [the top](#{topic}-{n}).",
            "",
        ]
        if rng.random() < 0.3:
            lines += [
                "## Notes",
                "",
                "- works on Linux and macOS",
                f"- since version {n % 9}.x",
                "",
            ]
        text = "\n".join(lines)
        (sub / f"c{n:05d}.md").write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def offline_bytes(folder: Path, megabytes: float, seed: int = 1) -> int:
    """offline(), returning the bytes written instead of the count."""
    offline(folder, megabytes, seed)
    return sum(path.stat().st_size for path in folder.glob("*.md"))
