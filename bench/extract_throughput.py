"""Extraction throughput: MB/s of markdown through linkcheck.extract, one process.

    python bench/extract_throughput.py [--megabytes 6] [--seed 1]

Generates a seeded corpus in memory (prose, lists, quotes, tables, code, every link kind)
and reports the best of three passes. No files, no network.
"""

from __future__ import annotations

import argparse
import random
import time

from linkcheck import extract

_WORDS = (
    "the minister said harbour talks would resume after weeks of delay while officials "
    "compared schedules and the opposition demanded an inquiry into contracts"
).split()


def _paragraph(rng: random.Random, n: int) -> str:
    parts = []
    for i in range(rng.randint(30, 90)):
        parts.append(rng.choice(_WORDS))
        roll = rng.random()
        if roll < 0.03:
            parts.append(f"[source {i}](https://host{rng.randint(0, 19)}.example/a/{n}/{i})")
        elif roll < 0.04:
            parts.append(f"[cited][ref{n % 7}]")
        elif roll < 0.05:
            parts.append(f"https://bare{rng.randint(0, 9)}.example.org/p/{i}")
        elif roll < 0.055:
            parts.append("bit.ly/" + "".join(rng.choices("abcXYZ0123", k=6)))
        elif roll < 0.06:
            parts.append(f"<https://auto.example/{i}>")
        elif roll < 0.065:
            parts.append("[READ MORE](#)")
        elif roll < 0.07:
            parts.append(f"![figure](img/{i}.png)")
        elif roll < 0.075:
            parts.append("`inline [code](x.md)`")
        if rng.random() < 0.08:
            parts.append("\n")
    return " ".join(parts)


def article(rng: random.Random, n: int) -> str:
    blocks = [f"# Article {n}\n", _paragraph(rng, n)]
    for _ in range(rng.randint(3, 8)):
        kind = rng.random()
        if kind < 0.15:
            blocks.append("\n".join(f"- item [x](x{i}.md) {rng.choice(_WORDS)}" for i in range(4)))
        elif kind < 0.25:
            blocks.append("> " + _paragraph(rng, n).replace("\n", "\n> "))
        elif kind < 0.33:
            rows = [f"| r{i} | [t](t{i}.md) | www.w{i}.example.org |" for i in range(3)]
            blocks.append("| a | b | c |\n|---|---|---|\n" + "\n".join(rows))
        elif kind < 0.4:
            blocks.append("```\n[not](a-link.md) https://not.example\n```")
        elif kind < 0.45:
            blocks.append('<p><a href="https://html.example/x">x</a></p>')
        else:
            blocks.append(_paragraph(rng, n))
    blocks.extend(f"[ref{i}]: https://refs.example/{n}/{i}" for i in range(7))
    return "\n\n".join(blocks) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    corpus: list[str] = []
    size = 0
    while size < args.megabytes * 1_000_000:
        corpus.append(article(rng, len(corpus)))
        size += len(corpus[-1].encode())
    best = float("inf")
    links = 0
    for _ in range(3):
        start = time.perf_counter()
        links = sum(len(extract(text, f"a{i}.md").links) for i, text in enumerate(corpus))
        best = min(best, time.perf_counter() - start)
    mb = size / 1_000_000
    print(
        f"{len(corpus)} articles, {mb:.1f} MB, {links} links: "
        f"best of 3 {best:.2f} s = {mb / best:.2f} MB/s ({links / best:,.0f} links/s)"
    )


if __name__ == "__main__":
    main()
