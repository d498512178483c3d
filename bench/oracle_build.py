"""A generator's real build as the oracle for linkcheck's local verdicts, any generator.

    python bench/oracle_build.py \\
        --repo facebook/metro /work/corpus/facebook+metro /work/corpus-builds/metro/website/build \\
        --repo vuejs/pinia /work/corpus/vuejs+pinia /work/corpus-builds/pinia-docs/.vitepress/dist

For each `--repo NAME CHECKOUT BUILD [CONFIG]` (BUILD: the folder `docusaurus build`,
`vitepress build`, `astro build`, `hugo`, `mkdocs build` or `mdbook build` wrote from
CHECKOUT; CONFIG, relative to CHECKOUT, the site it was built from where the repository
holds several: the other sites' pages, and translations staged from it, are skipped), it
runs linkcheck twice on the checkout, offline — (a) with default settings (the source
rules) and (b) with `--site BUILD` — and judges every local link of a page the build made
against the HTML the build wrote, independently of linkcheck's own tracing:

- the page: the built file a static server answers at the page's URL (from linkcheck's
  route map; a page not found there makes its links *untraceable*); mdBook's SUMMARY.md
  is the table of contents the book writes as `toc.html`, matched by destination;
- the link: among the built page's links in its main content (`<main>`, else `<article>`,
  else the whole page), those with the same visible text (alt text for images); the k-th
  source link with that text on the page is the k-th built one when the counts agree,
  else any of them when all of them reach the same verdict (else *untraceable*);
- the truth: the built href, followed from the page's URL, **works** iff a file is served
  there from BUILD (the file, a folder's `index.html`, or `x.html` for `x`) and its
  fragment, if any, is an `id` or `<a name>` of that page. An href the build made remote
  is *untraceable* (another site's business).

Per repository and run: links (local links linkcheck judged ok, broken or unverified on
the built pages), agree, false alarms (linkcheck fails, the link works), misses
(linkcheck passes, the link is dead), unverified (linkcheck's warning; how many of them
work), untraceable. `--details N` lists N disagreements of each kind.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from linkcheck._generators import Site, Sites

_HOST = "http://oracle.invalid"
_MARKUP = re.compile(r"[*_`~]|\\(?=.)|<[^>]*>")
#: An icon or emoji shortcode (`:octicons-arrow-right-24:`, `:smile:`): pymdownx.emoji,
#: Hugo's and GitHub's emoji make it an image or an SVG, no text of the built link.
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class _Anchor:
    href: str
    text: str
    main: bool


@dataclass
class BuiltPage:
    links: list[_Anchor] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    has_main: bool = False


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = BuiltPage()
        self._main = 0  # depth inside <main>/<article>
        self._open: list[tuple[str, str, bool, list[str]]] = []  # open <a>s
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag in ("main", "article"):
            self.page.has_main = True
            self._main += 1
        if tag == "a" and "href" in values:
            self._open.append((tag, values["href"], self._main > 0, []))
        elif tag == "img" and values.get("src"):
            alt = values.get("alt", "")
            self.page.links.append(_Anchor(values["src"], _plain(alt), self._main > 0))
            for _, _, _, text in self._open:
                text.append(alt)
        if tag not in _VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("main", "article") and self._main:
            self._main -= 1
        if tag == "a" and self._open:
            _, href, main, text = self._open.pop()
            self.page.links.append(_Anchor(href, _plain("".join(text)), main))

    def handle_data(self, data: str) -> None:
        for _, _, _, text in self._open:
            text.append(data)


#: What typographers (Goldmark's, SmartyPants) make of quotes and dashes.
_TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "--", "—": "---", "…": "..."}
)


def _plain(text: str) -> str:
    text = _SHORTCODE.sub("", text)
    return " ".join(_MARKUP.sub("", text.translate(_TYPOGRAPHY)).split()).casefold()


def _corresponds(written: str, href: str) -> bool:
    """Whether `href` may be the build's rewriting of `written`: the same fragment and
    the same last path segment, less page suffixes and index names."""
    source, _, fragment = written.partition("#")
    built, _, built_fragment = href.partition("#")
    return fragment == built_fragment and _name(source) == _name(built)


def _name(path: str) -> str:
    path = unquote(path.partition("?")[0]).rstrip("/")
    name = path.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ("md", "mdx", "markdown", "html", "htm"):
        name = stem
    if name.lower() in ("index", "readme", "_index"):
        name = path.rpartition("/")[0].rpartition("/")[2]
    return name.lower()


class Build:
    def __init__(self, folder: Path, mount: str) -> None:
        self.folder = folder.resolve()
        self.mount = mount
        self._pages: dict[Path, BuiltPage] = {}

    def file_at(self, url_path: str) -> Path | None:
        if not (url_path + "/").startswith(self.mount):
            return None
        relative = url_path[len(self.mount) :].strip("/")
        here = self.folder.joinpath(*[p for p in relative.split("/") if p])
        if url_path.endswith("/") or not relative:
            candidates = [here / "index.html"]
        else:
            candidates = [here, here / "index.html", here.with_name(here.name + ".html")]
        return next((c for c in candidates if c.is_file()), None)

    def page(self, path: Path) -> BuiltPage:
        if path not in self._pages:
            reader = _Reader()
            reader.feed(path.read_text(encoding="utf-8", errors="replace"))
            self._pages[path] = reader.page
        return self._pages[path]

    def works(self, served: str, href: str) -> bool | None:
        """Whether `href` on the page served at `served` reaches a file of the build
        (and its fragment an anchor there); None when the build made it remote."""
        absolute = urljoin(_HOST + served, href)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != _HOST:
            return None
        found = self.file_at(unquote(parts.path))
        if found is None:
            return False
        fragment = unquote(parts.fragment)
        if not fragment or fragment == "top" or not found.suffix.lower().startswith(".htm"):
            return True
        return fragment in self.page(found).ids


@dataclass
class Tally:
    links: int = 0
    agree: int = 0
    false_alarms: int = 0
    misses: int = 0
    unverified: int = 0
    unverified_working: int = 0
    untraceable: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def note(self, kind: str, text: str) -> None:
        self.examples.setdefault(kind, []).append(text)


def _run(linkcheck: str, checkout: Path, extra: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work, "report.json")
        command = [linkcheck, "--offline", "--no-cache", "--format", "json", "-o", str(out)]
        subprocess.run(["nice", *command, *extra, "."], cwd=checkout, check=False, timeout=1800)
        report: dict[str, object] = json.loads(out.read_text())
    return report


def _local(link: dict[str, object]) -> bool:
    target = link.get("target")
    return (
        isinstance(target, str)
        and "://" not in target
        and link["status"] in ("ok", "broken", "unverified", "redirected")
        and not link.get("unused")
        and link["kind"] != "footnote"
    )


def _built_page(site: Site, article: str) -> str:
    """The URL of the built page that carries an article's links: its own page, but
    mdBook's SUMMARY.md is no page: its links are the table of contents, which mdBook
    (0.4.37 on) writes once as `toc.html` at the book's root (for readers without
    JavaScript), each entry numbered (`<strong>1.2.</strong> Title`)."""
    if site.name == "mdbook" and os.path.basename(article) == "SUMMARY.md":
        return site.mount + "toc.html"
    return site.url_of(article)


def _other_site(site: Site, config: str) -> bool:
    """Whether `site` is not the one built from `config`: another config, or a
    translation the build stages from it in a folder of its own (FastAPI's `docs/de/`
    beside `docs/en/mkdocs.yml`, built as another site)."""
    same_config = os.path.realpath(site.config) == config
    return not same_config or os.path.realpath(site.root) != os.path.dirname(config)


def truths(
    checkout: Path, build_dir: Path, report: dict[str, object], config: str | None = None
) -> dict[tuple, bool | str]:
    """Each local link of a built page, keyed (file, line, column): True (works), False
    (dead) or why it could not be traced. `config` (relative to the checkout), when
    given, is the site the build was made from: pages of the repository's other sites
    (another book beside it) are not in this build."""
    root = str(checkout.resolve())
    only = os.path.realpath(os.path.join(root, config)) if config else None
    sites = Sites("auto", lambda folder: root)
    builds: dict[str, Build] = {}
    by_page: dict[str, list[dict[str, object]]] = {}
    links = report["links"]
    assert isinstance(links, list)
    for link in links:
        if _local(link):
            by_page.setdefault(str(link["file"]), []).append(link)
    result: dict[tuple, bool | str] = {}
    for file, page_links in by_page.items():
        article = os.path.realpath(os.path.join(root, file))
        site = sites.governing(article)
        keys = [(file, link["line"], link["column"]) for link in page_links]
        if site is None or (only is not None and _other_site(site, only)):
            continue  # not a page of the site (a README beside it): nothing built
        build = builds.setdefault(site.config, Build(build_dir, site.mount))
        served = _built_page(site, article)
        by_destination = served != site.url_of(article)
        built_file = build.file_at(served)
        if built_file is None or built_file.suffix.lower() not in (".html", ".htm"):
            for key in keys:
                result[key] = f"page {served} not in the build"
            continue
        built = build.page(built_file)
        pool = [a for a in built.links if a.main] if built.has_main else built.links
        seen: Counter[str] = Counter()
        for key, link in zip(keys, page_links, strict=True):
            text = _plain(str(link["text"] or ""))
            order = seen[text]
            seen[text] += 1
            url = str(link["url"])
            same = [other for other in page_links if _plain(str(other["text"] or "")) == text]
            candidates = [a for a in pool if a.text == text]
            if by_destination:  # the table of contents numbers its entries' texts
                candidates = same = [a for a in pool if _corresponds(url, a.href)]
            # Those that lead to the same page name and fragment, where any does: a
            # shortcode or a theme may reorder a page's content.
            narrowed = [a for a in candidates if _corresponds(url, a.href)]
            if not text and not narrowed:
                # An image without alt text is traced by where it leads, or not at all.
                result[key] = "no link text, and no built link leads to its name"
                continue
            if narrowed:
                candidates = narrowed
                if not by_destination:
                    same = [o for o in same if _corresponds(url, str(o["url"]))] or same
                    order = [o is link for o in same].index(True) if link in same else -1
            verdicts = [build.works(served, a.href) for a in candidates]
            if candidates and len(set(verdicts)) == 1:
                verdict = verdicts[0]
            elif len(candidates) == len(same) and order >= 0:
                verdict = verdicts[order]
            else:
                result[key] = f"{len(candidates)} built links with its text, {len(same)} in source"
                continue
            result[key] = verdict if verdict is not None else "made remote by the build"
    return result


def compare(report: dict[str, object], truth: dict[tuple, bool | str]) -> Tally:
    tally = Tally()
    summary = report["summary"]
    assert isinstance(summary, dict)
    fail_on = set(summary["fail_on"])
    links = report["links"]
    assert isinstance(links, list)
    for link in links:
        key = (link["file"], link["line"], link["column"])
        if key not in truth:
            continue
        tally.links += 1
        works = truth[key]
        where = f"{key[0]}:{key[1]} {link['url']} ({link['status']}: {link.get('reason')})"
        if isinstance(works, str):
            tally.untraceable += 1
            tally.note("untraceable", f"{where} — {works}")
        elif link["status"] == "unverified":
            tally.unverified += 1
            tally.unverified_working += works
            tally.note("unverified, works" if works else "unverified, dead", where)
        elif (link["status"] in fail_on) == (not works):
            tally.agree += 1
        elif works:
            tally.false_alarms += 1
            tally.note("false alarm", where)
        else:
            tally.misses += 1
            tally.note("miss", where)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repo",
        nargs="+",
        action="append",
        required=True,
        metavar="NAME CHECKOUT BUILD [CONFIG]",
        help="CONFIG (relative to CHECKOUT): the site BUILD was made from, where the "
        "repository holds several (rust-lang/book's book.toml beside its old editions')",
    )
    parser.add_argument("--linkcheck", default=str(Path(sys.executable).with_name("linkcheck")))
    parser.add_argument("--details", type=int, default=10)
    parser.add_argument("--json", type=Path, help="write the tallies here too")
    args = parser.parse_args()
    rows = []
    out = {}
    for repo in args.repo:
        if len(repo) not in (3, 4):
            parser.error("--repo takes NAME CHECKOUT BUILD [CONFIG]")
        name, checkout, build, config = (*repo, None) if len(repo) == 3 else repo
        checkout_path, build_path = Path(checkout), Path(build).resolve()
        default = _run(args.linkcheck, checkout_path, [])
        site = _run(args.linkcheck, checkout_path, ["--site", str(build_path)])
        truth = truths(checkout_path, build_path, default, config)
        for run, report in (("default", default), ("--site", site)):
            tally = compare(report, truth)
            out[f"{name} {run}"] = tally.__dict__
            rows.append(
                f"| {name} | {run} | {tally.links} | {tally.agree} | {tally.false_alarms} | "
                f"{tally.misses} | {tally.unverified} ({tally.unverified_working} work) | "
                f"{tally.untraceable} |"
            )
            for kind, examples in tally.examples.items():
                if args.details:
                    print(f"{name} {run}: {kind} ({len(examples)})")
                    for example in examples[: args.details]:
                        print("   ", example)
    print()
    print("| repository | run | links | agree | false alarms | misses | unverified | untraceable |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
