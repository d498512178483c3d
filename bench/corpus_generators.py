"""Run linkcheck offline, with default settings, on every repository of a corpus of
public content repositories and count what it reports: links, failures (the default
failing set), unverified, by generator.

The corpus is a folder of unpacked snapshots with a LIST.tsv (name, generator, path
relative to the corpus folder, tab-separated; `#` comments). Nothing is fetched here:
the checkouts are made once by hand (`fetch`, then `git archive HEAD | tar -x`), see
docs/generators.md.

    python bench/corpus_generators.py --corpus /work/corpus --out /tmp/after \
        [--src SRC_DIR] [--only NAME…]

`--src` runs another copy of linkcheck's code (`PYTHONPATH=SRC_DIR`), e.g. a `git
archive` of main, for the before run. Each repository's JSON report is kept in
OUT/NAME.json and the counts go to OUT/counts.tsv; `--compare OTHER_OUT` prints the
failures before and after side by side.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

FAILING = {"broken", "placeholder", "invalid", "timeout", "unreachable"}


def corpus(folder: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in (folder / "LIST.tsv").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, generator, path = line.split("\t")[:3]
        rows.append((name, generator, path))
    return rows


def run(checkout: Path, out: Path, src: str | None, timeout: float) -> tuple[float, int]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    command = [sys.executable, "-m", "linkcheck", "--offline", "--no-cache"]
    command += ["--format", "json", "-o", str(out), "."]
    start = time.monotonic()
    done = subprocess.run(
        command, cwd=checkout, env=env, timeout=timeout, capture_output=True, check=False
    )
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
    return time.monotonic() - start, done.returncode


def counts(report: Path) -> dict[str, object]:
    data = json.loads(report.read_text())
    statuses = collections.Counter(link["status"] for link in data["links"])
    generator = data["summary"].get("generator") or {}
    return {
        "links": len(data["links"]),
        # An unused reference definition never fails the run (SPEC), whatever its
        # status (`[//]: # 'comment'`): not a failure.
        "failures": sum(
            1 for link in data["links"] if link["status"] in FAILING and not link.get("unused")
        ),
        "unverified": statuses.get("unverified", 0),
        "skipped_local": sum(
            1
            for link in data["links"]
            if link["status"] == "skipped" and "://" not in (link.get("target") or "")
        ),
        "generator": generator.get("name", "?"),
        "files": data["summary"].get("files", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/corpus"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--src", help="PYTHONPATH for another copy of linkcheck")
    parser.add_argument("--only", nargs="*", help="names from LIST.tsv")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--compare", type=Path, help="an earlier OUT to compare with")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    table = []
    for name, expected, path in corpus(args.corpus):
        if args.only and name not in args.only:
            continue
        report = args.out / f"{name}.json"
        if not report.exists():
            try:
                _, code = run(args.corpus / path, report, args.src, args.timeout)
            except subprocess.TimeoutExpired:
                print(f"{name}\ttimeout", flush=True)
                continue
            if not report.exists():
                print(f"{name}\texit {code}, no report", flush=True)
                continue
        row = {"name": name, "expected": expected, **counts(report)}
        if args.compare and (args.compare / f"{name}.json").exists():
            row["before"] = counts(args.compare / f"{name}.json")["failures"]
        table.append(row)
        print("\t".join(str(v) for v in row.values()), flush=True)
    with open(args.out / "counts.tsv", "w") as file:
        if table:
            file.write("\t".join(table[0]) + "\n")
        for row in table:
            file.write("\t".join(str(row.get(k, "")) for k in table[0]) + "\n")
    total = {k: sum(int(r[k]) for r in table) for k in ("links", "failures", "unverified")}  # type: ignore[call-overload]
    print("total", total)


if __name__ == "__main__":
    main()
