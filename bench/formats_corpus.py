"""What the default walk's new formats add on real repositories, offline.

    .venv/bin/python bench/formats_corpus.py [NAME ...]    # default: REPOSITORIES

Each repository is a checkout under /work/corpus/ (fetched with the search tool's
`fetch`, never committed). Runs `linkcheck --offline --no-cache --format json` on it
twice — with the old walk (`--extensions md,markdown,mdx`) and with the default set —
and prints, per repository: the files and links the new formats (txt, html, htm, rst,
adoc, asciidoc, ipynb) add, and every failure they add, grouped by reason, with one
example each, for adjudication. The JSON of both runs is kept in bench/out/formats/.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

CORPUS = Path("/work/corpus")
OUT = Path(__file__).resolve().parent / "out" / "formats"
BIN = Path(sys.executable).parent
OLD = "md,markdown,mdx"
NEW_SUFFIXES = (".txt", ".html", ".htm", ".rst", ".adoc", ".asciidoc", ".ipynb")
FAILING = {"broken", "placeholder", "invalid", "timeout", "unreachable"}

#: Content repositories with HTML and text files, of every generator supported.
REPOSITORIES = [
    "jekyll+jekyll",
    "github+choosealicense.com",
    "github+opensource.guide",
    "just-the-docs+just-the-docs",
    "gohugoio+hugoDocs",
    "google+docsy",
    "letsencrypt+website",
    "grpc+grpc.io",
    "jaegertracing+documentation",
    "mkdocs+mkdocs",
    "squidfunk+mkdocs-material",
    "rust-lang+mdBook",
    "rust-lang+book",
    "vitejs+vite",
    "prettier+prettier",
]


def run(name: str, extensions: str | None) -> tuple[dict[str, object], float]:
    args = [str(BIN / "linkcheck"), "--offline", "--no-cache", "--format", "json", "-q"]
    if extensions:
        args += ["--extensions", extensions]
    started = time.perf_counter()
    done = subprocess.run([*args, "."], cwd=CORPUS / name, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        report: dict[str, object] = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = {"links": [], "summary": {"files": 0}, "error": done.stderr.strip()}
    return report, seconds


def _reason_family(reason: str) -> str:
    """The reason without its particulars, to group failures."""
    for marker in (":", " in ", " → "):
        if marker in reason:
            return reason.split(marker, 1)[0]
    return reason


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    totals: Counter[str] = Counter()
    for name in names:
        old, old_seconds = run(name, OLD)
        new, new_seconds = run(name, None)
        (OUT / f"{name}.old.json").write_text(json.dumps(old))
        (OUT / f"{name}.new.json").write_text(json.dumps(new))
        links = [x for x in new["links"] if str(x["file"]).lower().endswith(NEW_SUFFIXES)]  # type: ignore[index,union-attr]
        files = {x["file"] for x in links}
        failures = [x for x in links if x["status"] in FAILING]
        old_failures = sum(1 for x in old["links"] if x["status"] in FAILING)  # type: ignore[union-attr]
        new_failures = sum(1 for x in new["links"] if x["status"] in FAILING)  # type: ignore[union-attr]
        print(
            f"\n== {name}: files {old['summary']['files']} -> {new['summary']['files']}"  # type: ignore[index]
            f" ({len(files)} with links in new formats), links +{len(links)},"
            f" failures {old_failures} -> {new_failures} (+{len(failures)} in new formats);"
            f" {old_seconds:.1f}s -> {new_seconds:.1f}s"
        )
        if "error" in new:
            print("   error:", new["error"])
        groups: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        for failure in failures:
            suffix = Path(str(failure["file"])).suffix.lower()
            groups[(suffix, _reason_family(str(failure["reason"])))].append(failure)
        for (suffix, family), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            first = items[0]
            print(
                f"   {len(items):5} {suffix:6} {family[:60]:60} e.g. {first['file']}:{first['line']}"
                f" {str(first['url'])[:70]}"
            )
        totals["links"] += len(links)
        totals["failures"] += len(failures)
        totals["files"] += len(files)
    print(
        f"\nTotal: {totals['files']} files, {totals['links']} links, {totals['failures']} failures"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or REPOSITORIES)
