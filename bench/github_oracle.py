"""Adjudicate linkcheck's failures on repositories GitHub renders, with cmark-gfm (GitHub's
own markdown renderer) and GitHub's rules as the oracle: a relative link resolves against
the file's blob path, case-sensitively; a folder shows its tree; a `#fragment` is a
heading's id (GitHub's slug of the heading's rendered text: lowercased, everything but
letters, marks, numbers, `_`, `-` and spaces dropped, spaces as `-`, repeats `-1`, `-2`…)
or an `id`/`name` in the rendered HTML, matched without case (GitHub's page script) and
with or without `user-content-`; `#L10` line anchors on non-markdown files.

    python bench/github_oracle.py REPORT.json CHECKOUT [--show N]

It prints, per failure family, how many failures the oracle confirms (real) and how many
it contradicts (false), with examples of each. Not part of the suite (needs a corpus).
"""

from __future__ import annotations

import argparse
import collections
import html
import json
import os
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote

from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter"]
_MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        if tag == "img" and self._heading is not None:
            pass  # an image's alt text is not in GitHub's heading text

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def _word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "Pc"


def github_slug(text: str) -> str:
    """GitHub's (html-pipeline TableOfContentsFilter) slug of a heading's text."""
    kept = "".join(ch for ch in text.strip().lower() if _word(ch) or ch in "- ")
    return kept.replace(" ", "-")


def anchors(path: str, cache: dict[str, set[str]]) -> set[str]:
    if path not in cache:
        with open(path, encoding="utf-8", errors="replace") as file:
            rendered = markdown_to_html_with_extensions(file.read(), _OPTIONS, _EXTENSIONS)
        parser = _Anchors()
        parser.feed(rendered)
        found = {i.lower().removeprefix("user-content-") for i in parser.ids}
        seen: dict[str, int] = {}
        for heading in parser.headings:
            base = github_slug(html.unescape(heading))
            slug = base
            while slug in seen:
                seen[base] += 1
                slug = f"{base}-{seen[base]}"
            seen[slug] = 0
            found.add(slug)
        cache[path] = found
    return cache[path]


def judge(link: dict[str, str], root: str, cache: dict[str, set[str]]) -> tuple[str, str]:
    """(verdict, family): verdict `real` when GitHub would show a dead end, `false`
    when it would not, `other` when the oracle does not judge this kind."""
    url = link["url"].strip()
    if link["kind"] == "reference" and not url:
        return "real", "reference with no definition (GitHub shows text)"
    if link["status"] != "broken":
        return "other", link["status"]
    if url.startswith("(") or "\u200b" in url:
        return "real", "malformed destination"
    if "://" in url or url.startswith(("mailto:", "//")):
        return "other", link["status"]
    rest, _, fragment = url.partition("#")
    rest = unquote(rest.partition("?")[0])
    article = os.path.join(root, link["file"])
    if rest:
        base = root if rest.startswith("/") else os.path.dirname(article)
        target = os.path.normpath(os.path.join(base, rest.lstrip("/")))
        if not target.startswith(root):
            return "other", "outside the repository"
        # Case-sensitive, as GitHub: compare the listed names on the way down.
        current = root
        for part in os.path.relpath(target, root).split(os.sep):
            if part in ("", "."):
                continue
            try:
                names = os.listdir(current)
            except OSError:
                return "real", "file"
            if part not in names:
                return "real", "file"
            current = os.path.join(current, part)
    else:
        target = article
    if not fragment:
        return "false", "file"
    if os.path.isdir(target):
        readme = next(
            (
                os.path.join(target, n)
                for n in sorted(os.listdir(target))
                if n.lower().startswith("readme")
            ),
            None,
        )
        if readme is None:
            return "real", "anchor in a folder without README"
        target = readme
    if not target.lower().endswith(_MARKDOWN):
        if re.fullmatch(r"L\d+(-L\d+)?", fragment):
            return "false", "line anchor"
        return "other", "anchor in a non-markdown file"
    wanted = unquote(fragment).lower().removeprefix("user-content-")
    return ("false" if wanted in anchors(target, cache) else "real"), "anchor"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("checkout")
    parser.add_argument("--show", type=int, default=3)
    args = parser.parse_args()
    with open(args.report) as file:
        data = json.load(file)
    failing = {"broken", "placeholder", "invalid"}
    cache: dict[str, set[str]] = {}
    verdicts: collections.Counter[tuple[str, str]] = collections.Counter()
    examples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    root = os.path.realpath(args.checkout)
    for link in data["links"]:
        if link["status"] not in failing:
            continue
        key = judge(link, root, cache)
        verdicts[key] += 1
        if len(examples[key]) < args.show:
            examples[key].append(f"{link['file']}:{link['line']} {link['url'][:80]}")
    for (verdict, family), count in sorted(verdicts.items()):
        print(f"{verdict}\t{family}\t{count}")
        for example in examples[(verdict, family)]:
            print(f"\t\t{example}")


if __name__ == "__main__":
    main()
