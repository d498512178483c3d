"""Seeded article corpora for benchmarks, with ground truth.

online(folder, ports, articles=500, links=10_000): articles citing the bench server's
hosts (skewed: a few hosts get most links), every link kind, ~30 % of URLs cited in
several articles, placeholders and local links; writes ground_truth.json beside them.
offline(folder, megabytes): many articles and no server, for extraction-bound runs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

# (route, share, broken?) — what the server answers for each kind of URL.
_ROUTES = [
    ("ok", 0.68, False),
    ("gone", 0.08, True),
    ("removed", 0.03, True),
    ("err", 0.03, True),
    ("r", 0.08, False),
    ("rl", 0.02, False),
    ("nohead", 0.04, False),
    ("s", 0.04, False),
]


def _url(rng: random.Random, ports: list[int], weights: list[float], n: int) -> tuple[str, bool]:
    port = rng.choices(ports, weights)[0]
    route, _, broken = rng.choices(_ROUTES, [share for _, share, _ in _ROUTES])[0]
    if route == "r":
        return f"http://127.0.0.1:{port}/r/{rng.randint(1, 3)}/{n}", broken
    if route == "s":
        return f"http://127.0.0.1:{port}/s/{rng.choice(ports)}/{n}", broken
    return f"http://127.0.0.1:{port}/{route}/{n}", broken


def online(
    folder: Path, ports: list[int], articles: int = 500, links: int = 10_000, seed: int = 7
) -> dict[str, bool]:
    rng = random.Random(seed)
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
                url, broken = _url(rng, ports, weights, len(truth))
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
