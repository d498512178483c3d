"""MkDocs itself as the oracle for linkcheck's MkDocs rules: build a corpus checkout's
docs with the real `mkdocs` (validation of links and anchors turned to warnings) and
compare MkDocs' own findings with linkcheck's failures in the same pages.

    python bench/oracle_mkdocs.py --mkdocs /tmp/venv/bin/mkdocs \\
        --checkout /work/corpus/astral-sh+uv --report /work/corpus/runs/h21-after/astral-sh+uv.json

`--report` is linkcheck's JSON report of the checkout (bench/corpus_generators.py keeps
one per repository). The config is copied with what this machine cannot run taken out
(hooks, plugins other than `search`, markdown extensions that are not Python-Markdown's,
pymdown-extensions' or Material's), so the build sees the pages as written; what those
would add is what linkcheck reports as `unverified`. Nothing is fetched: the build runs
offline, on loopback-free files only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

_FOUND = re.compile(
    r"Doc file '([^']+)' contains a link '([^']+)', but (?:the target .* is not found"
    r"|the doc .* does not contain an anchor)"
)
_KEEP_EXTENSION = re.compile(
    r"^(?:markdown\.extensions\.)?(?:abbr|admonition|attr_list|codehilite|def_list|extra|"
    r"fenced_code|footnotes|md_in_html|meta|nl2br|sane_lists|smarty|tables|toc)$|^pymdownx\."
)
#: An option whose value names a Python object (`!!python/name:…`, read as its text).
_PYTHON_NAME = re.compile(r"^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+$")


def _loader() -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_scalar(node)  # type: ignore[arg-type]

    Loader.add_multi_constructor("", plain)
    return Loader


def trimmed_config(config: Path) -> dict[str, object]:
    data = yaml.load(config.read_text(), Loader=_loader()) or {}
    data.pop("hooks", None)
    data.pop("INHERIT", None)
    data.pop("watch", None)
    data["plugins"] = ["search"]
    kept = []
    for entry in data.get("markdown_extensions") or []:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        if not (isinstance(name, str) and _KEEP_EXTENSION.search(name)):
            continue
        if isinstance(entry, dict) and isinstance(entry[name], dict):
            options = {
                k: v
                for k, v in entry[name].items()
                if not (isinstance(v, str) and (_PYTHON_NAME.match(v) or not v)) and k != "slugify"
            }
            entry = {name: options}
        kept.append(entry)
    data["markdown_extensions"] = kept
    data["docs_dir"] = str((config.parent / str(data.get("docs_dir", "docs"))).resolve())
    theme = data.get("theme")
    if isinstance(theme, dict):
        theme.pop("custom_dir", None)
    extra = data.get("extra")
    if isinstance(extra, dict):
        extra.pop("analytics", None)  # a provider's template may live in custom_dir
    data["validation"] = {
        "omitted_files": "warn",
        "absolute_links": "info",
        "unrecognized_links": "info",
        "anchors": "warn",
    }
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mkdocs", required=True, help="the mkdocs executable")
    parser.add_argument("--checkout", type=Path, required=True)
    parser.add_argument("--config", default="mkdocs.yml")
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args()
    config = args.checkout / args.config
    data = trimmed_config(config)
    with tempfile.TemporaryDirectory() as work:
        trimmed = Path(work, "mkdocs.yml")
        trimmed.write_text(yaml.safe_dump(data))
        build = subprocess.run(
            [args.mkdocs, "build", "-f", str(trimmed), "-d", str(Path(work, "site"))],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
            cwd=config.parent,  # snippets' base_path and the like are from here
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    mkdocs = {(m[0], m[1]) for m in _FOUND.findall(build.stderr)}
    docs = Path(str(data["docs_dir"]))
    report = json.loads(args.report.read_text())
    linkcheck: dict[tuple[str, str], str] = {}
    for link in report["links"]:
        path = Path(link["file"])
        if link["status"] in ("broken", "unverified") and path.is_relative_to(docs):
            linkcheck[(path.relative_to(docs).as_posix(), link["url"])] = link["status"]
    both = mkdocs & set(linkcheck)
    only_mkdocs = sorted(mkdocs - set(linkcheck))
    only_linkcheck = sorted(k for k in linkcheck if k not in mkdocs)
    print(f"mkdocs exit {build.returncode}; mkdocs found {len(mkdocs)}, linkcheck {len(linkcheck)}")
    print(f"both: {len(both)} ({sum(linkcheck[k] == 'broken' for k in both)} broken)")
    print(f"mkdocs only: {len(only_mkdocs)}")
    for key in only_mkdocs[:20]:
        print("   ", *key)
    print(f"linkcheck only: {len(only_linkcheck)}")
    for key in only_linkcheck[:40]:
        print("   ", linkcheck[key], *key)
    if build.returncode:
        sys.stderr.write(build.stderr[-2000:])


if __name__ == "__main__":
    main()
