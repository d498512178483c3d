"""Adjudicate linkcheck's failures in HiDeoo/starlight-links-validator's test fixtures with
the validator's own tests as the oracle: each `tests/*.test.ts` builds a fixture
(`buildFixture('invalid-links')`) and lists the errors the real `astro build` reports
(`expectValidationErrors(output, 'test.md', [['/unknown', ValidationErrorType.InvalidLink,
13], …])`), or expects the build to succeed.

    python bench/adjudicate_links_validator.py REPORT.json CHECKOUT [--show N]

Each failure (the default failing set; unused definitions never fail a run) in a
fixture's `src/content/docs/` falls in one family: expected by the fixture's test (with
the validator's error type: `InvalidLink` and `InvalidHash` are dead on the built site,
`RelativeLink` too when the browser's resolution reaches no page), in a fixture whose
test expects a successful build (the config turns that check off: `errorOnInvalidHashes:
false`…), or in none of its test's lists (links the config excludes). Those last two are
judged by hand: the test says what the validator reports, not whether the page exists.
Not part of the suite (needs the corpus checkout).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
from pathlib import Path

FAILING = {"broken", "placeholder", "invalid", "timeout", "unreachable"}
_PACKAGE = "packages/starlight-links-validator"
_IN_FIXTURE = re.compile(_PACKAGE + r"/tests/fixtures/([^/]+)/(?:src/)?content/docs/(.+)$")
_BLOCK = re.compile(r"\ntest\(")
_FIXTURE = re.compile(r"buildFixture\('([^']+)'")
_EXPECTED = re.compile(r"expectValidationErrors\(\s*output,\s*'([^']+)',\s*\[(.*?)\]\s*\)", re.S)
_ROW = re.compile(r"\[\s*'((?:[^'\\]|\\.)*)',\s*ValidationErrorType\.(\w+)(?:,\s*(\d+))?")

Expected = dict[tuple[str, str], set[tuple[int | None, str, str]]]


def expectations(checkout: Path) -> tuple[Expected, set[str]]:
    """(fixture, file) → {(line, link, error type)}, and the fixtures expected to build."""
    expected: Expected = collections.defaultdict(set)
    succeeding: set[str] = set()
    for test in sorted((checkout / _PACKAGE / "tests").glob("*.test.ts")):
        for block in _BLOCK.split(test.read_text()):
            fixture = _FIXTURE.search(block)
            if fixture is None:
                continue
            name = fixture.group(1)
            if "expect(status).toBe('success')" in block:
                succeeding.add(name)
            for listed in _EXPECTED.finditer(block):
                for row in _ROW.finditer(listed.group(2)):
                    line = int(row.group(3)) if row.group(3) else None
                    expected[(name, listed.group(1))].add((line, row.group(1), row.group(2)))
    return expected, succeeding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--show", type=int, default=3)
    args = parser.parse_args()
    expected, succeeding = expectations(args.checkout)
    families: dict[str, list[str]] = collections.defaultdict(list)
    for link in json.loads(args.report.read_text())["links"]:
        if link["status"] not in FAILING or link.get("unused"):
            continue
        where = f"{link['file']}:{link['line']} {link['url']}"
        inside = _IN_FIXTURE.match(link["file"])
        if inside is None:
            families["outside the fixtures"].append(where)
            continue
        fixture, file = inside.groups()
        rows = [r for r in expected.get((fixture, file), ()) if r[0] == link["line"]]
        if rows:
            family = "expected by its test: " + "/".join(sorted({r[2] for r in rows}))
        elif fixture in succeeding:
            family = "in a fixture its test expects to build (the check turned off)"
        else:
            family = "in no list of its test (excluded by the fixture's config)"
        families[family].append(where)
    for family, wheres in sorted(families.items(), key=lambda item: -len(item[1])):
        print(f"{len(wheres)}\t{family}")
        for where in wheres[: args.show]:
            print(f"\t\t{where}")


if __name__ == "__main__":
    main()
