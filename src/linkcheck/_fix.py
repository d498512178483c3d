"""Rewriting destinations in place: only what is certain, only the destination.

A shortlink that resolves is replaced by where it leads; a chain of permanent redirects
(301, 308) to a working page by its end. Temporary redirects, placeholders and anything
uncertain are never guessed. Opted in: a drifted citation is pointed at its snapshot
(`--fix-drift`), and a preserved one gets its snapshot written beside it
(`--fix-preserved link|robust-links`). Link text, titles, brackets, line endings and encoding stay
byte for byte; a reference definition is rewritten once, for all its uses.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import signal
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ._extract import DIALECTS, extract_as, format_of
from ._models import DEAD_STATUSES, FixNote, Kind, Link, LinkResult, Span, Status

_PERMANENT = frozenset({301, 308})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Fix:
    """One destination to rewrite: `dest` in `file`, to `new`, because `why`."""

    file: str
    dest: Span
    url: str  # the destination as it was read, to make sure it still stands there
    new: str
    why: str
    kind: Kind
    #: "replace": `new` replaces the destination; "link" or "robust-links": the snapshot
    #: `new`, taken on `day`, is written beside the link (after it, or on its anchor).
    mode: str = "replace"
    day: str = ""


def plan_fixes(
    results: Iterable[LinkResult], *, drift: bool = False, beside: str = "none"
) -> list[Fix]:
    """The certain rewrites, one per written destination (a definition's uses share one);
    where two uses of one destination would want different rewrites, none is made.
    `drift`: drifted citations are pointed at their snapshot; `beside` ("link" or
    "robust-links"): a preserved citation gets its snapshot written beside it."""
    wanted: dict[tuple[str, Span], set[tuple[str, str, str, Kind]]] = defaultdict(set)
    besides: list[Fix] = []
    for result in results:
        link = result.link
        if link.dest is None or link.file == "-" or _templated(link):
            continue
        proposal = _proposal(result, drift)
        if proposal is not None:
            wanted[(link.file, link.dest)].add((link.url, *proposal, link.kind))
        kept = result.preserved
        if beside != "none" and kept is not None and kept.url and kept.day and not link.label:
            why = f"preserved copy from {kept.day} written beside it"
            besides.append(
                Fix(link.file, link.dest, link.url, kept.url, why, link.kind, beside, kept.day)
            )
    replaced = [
        Fix(file, dest, url, new, why, kind)
        for (file, dest), options in sorted(wanted.items(), key=lambda item: _order(item[0]))
        if len(options) == 1
        for url, new, why, kind in options
    ]
    return replaced + sorted(set(besides), key=lambda f: _order((f.file, f.dest)))


def _templated(link: Link) -> bool:
    """A destination with a generator's template tag in it (`{% link x.md %}`,
    `{{< ref "x" >}}`) is the build's to evaluate: never rewritten."""
    return "{{" in link.url or "{%" in link.url


def _order(key: tuple[str, Span]) -> tuple[str, int, int]:
    file, dest = key
    return file, dest.line, dest.start


def _proposal(result: LinkResult, drift: bool = False) -> tuple[str, str] | None:
    outcome = result.outcome
    archived = result.archive
    if outcome.status in DEAD_STATUSES and archived is not None and archived.url is not None:
        return archived.url, f"archived copy from {archived.day}"
    moved = result.drift
    if drift and moved is not None:
        stamp = moved.timestamp or ""
        day = f" from {stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}" if len(stamp) >= 8 else ""
        return moved.archived_url, f"drifted: archived copy as cited{day}"
    if outcome.status is not Status.REDIRECTED or not outcome.final_url:
        return None
    if outcome.final_url.startswith("http:") and (result.target or "").startswith("https:"):
        return None  # never turn an https link into http
    fragment = (result.target or "").partition("#")[2]
    new = outcome.final_url
    if fragment and "#" not in new:
        new = f"{new}#{fragment}"
    if result.shortlink:
        return new, "shortlink expanded"
    if all(hop.status in _PERMANENT for hop in outcome.redirects):
        return new, "permanent redirect"
    return None


def apply_fixes(
    original: bytes, fixes: Iterable[Fix], fmt: str = "markdown"
) -> tuple[bytes, list[Fix]]:
    """The file with its destinations rewritten, and the fixes that could not be applied
    because the file no longer has their link where it was read (read again in `fmt`,
    the format the run read it in)."""
    after, skipped, _ = apply_all(original, fixes, fmt)
    return after, skipped


def apply_all(
    original: bytes, fixes: Iterable[Fix], fmt: str = "markdown"
) -> tuple[bytes, list[Fix], list[Fix]]:
    """`apply_fixes`, and also the snapshots that have no place beside their link (a
    reference, a link whose end is on another line, a style its syntax cannot hold)."""
    bom, body, codec = _decode(original)
    # A link may be one only as a generator reads the file (_extract/_dialects.py).
    here = {
        (x.dest, x.url) for dialect in DIALECTS for x in extract_as(fmt, body, "-", dialect).links
    }
    lines = _LINE_BREAK.split(body)
    breaks = _LINE_BREAK.findall(body)
    skipped, unplaced = [], []
    edits: list[tuple[int, int, int, str]] = []  # (line index, start, end, text)
    for fix in fixes:
        if (fix.dest, fix.url) not in here:
            skipped.append(fix)
            continue
        index = fix.dest.line - 1
        if fix.mode == "replace":
            edits.append((index, fix.dest.start, fix.dest.end, _written(fix)))
            continue
        placed = _beside(lines[index], fix)
        if placed is None:
            unplaced.append(fix)
        elif placed[1]:  # not written already
            edits.append((index, placed[0], placed[0], placed[1]))
    for index, start, end, text in sorted(edits, reverse=True):
        line = lines[index]
        lines[index] = line[:start] + text + line[end:]
    joined = "".join(part + (breaks[i] if i < len(breaks) else "") for i, part in enumerate(lines))
    return bom + joined.encode(codec), skipped, unplaced


def _beside(line: str, fix: Fix) -> tuple[int, str] | None:
    """Where on its line the snapshot goes and what is written there ("" when it is there
    already: a second run adds nothing); None when it has no place there."""
    end = fix.dest.end
    if fix.mode == "robust-links":
        close = line.find(">", end)
        if fix.kind is not Kind.HTML or close < 0:
            return None
        if "data-versionurl" in line[line.rfind("<", 0, end) : close].lower():
            return end, ""
        after = end + 1 if line[end : end + 1] in ('"', "'") else end
        url = fix.new.replace("&", "&amp;").replace('"', "%22")
        return after, f' data-versionurl="{url}" data-versiondate="{fix.day}"'
    at = _link_end(line, end, fix.kind)
    if at is None:
        return None
    text = f" ([archived {fix.day}]({quote(fix.new, safe=_URL_SAFE)}))"
    return at, "" if line[at:].startswith(" ([archived ") else text


_URL_SAFE = ":/?#[]@!$&'*+,;=%~"


def _link_end(line: str, end: int, kind: Kind) -> int | None:
    """The offset just after a link whose destination ends at `end`, when it is on the
    same line: the `)` of an inline link (past any title), the `>` of an autolink."""
    if kind is Kind.BARE:
        return end
    if kind is Kind.AUTOLINK:
        return end + 1 if line[end : end + 1] == ">" else None
    if kind is not Kind.INLINE:
        return None  # a reference's use site, an image, an HTML anchor: no place for it
    at = end + 1 if line[end : end + 1] == ">" else end
    at = len(line) - len(line[at:].lstrip(" \t"))
    if at < len(line) and line[at] in "\"'(":
        closer = ")" if line[at] == "(" else line[at]
        close = line.find(closer, at + 1)
        if close < 0:
            return None
        at = len(line) - len(line[close + 1 :].lstrip(" \t"))
    return at + 1 if line[at : at + 1] == ")" else None


def _written(fix: Fix) -> str:
    """The new URL escaped for the syntax it stands in."""
    if fix.kind is Kind.AUTOLINK:
        return quote(fix.new, safe=":/?#[]@!$&'()*+,;=%~")  # no spaces, no < >
    if fix.kind is Kind.HTML:
        # No quotes (they would end the attribute), spaces or < > (a URL has none, and a
        # tag's end is found at its first >), & as an entity.
        return quote(fix.new, safe=":/?#[]@!$&()*+,;=%~").replace("&", "&amp;")
    # Inline, image and reference destinations: no spaces or unbalanced parentheses.
    return quote(fix.new, safe=":/?#[]@!$&'*+,;=%~")


@dataclass(frozen=True, slots=True)
class FixRun:
    """What `--fix` did (or, with `--dry-run`, would do)."""

    notes: dict[Link, FixNote]
    diff: str
    warnings: list[str]
    #: Destinations written, and in how many files (0 with --dry-run).
    written: int = 0
    files: int = 0


def fix_files(
    results: Iterable[LinkResult], write: bool, *, drift: bool = False, beside: str = "none"
) -> FixRun:
    """Plan the fixes for a report's results and apply them file by file."""
    results = list(results)
    by_file: dict[str, list[Fix]] = defaultdict(list)
    for fix in plan_fixes(results, drift=drift, beside=beside):
        by_file[fix.file].append(fix)
    applied: set[tuple[str, Span]] = set()
    diffs: list[str] = []
    warnings: list[str] = []
    for file, fixes in by_file.items():
        path = Path(file)
        try:
            before = path.read_bytes()
            after, skipped, unplaced = apply_all(before, fixes, format_of(file).name)
        except (OSError, UnicodeDecodeError) as error:
            warnings.append(f"{file}: not fixed: {error}")
            continue
        if unplaced:
            warnings.append(
                f"{file}: {len(unplaced)} preserved copy(ies) not written: no place beside "
                "the link (a reference, a link across lines, or a style its syntax cannot hold)"
            )
            skipped = skipped + unplaced
        if len(skipped) > len(unplaced):
            warnings.append(
                f"{file}: {len(skipped) - len(unplaced)} link(s) not fixed: the file changed "
                "since it was read"
            )
        if after == before:
            continue
        try:
            if write and not write_atomically(path, after, before):
                warnings.append(f"{file}: not fixed: the file changed since it was read")
                continue
        except OSError as error:  # a read-only folder or file system: the others go on
            reason = (error.strerror or type(error).__name__).lower()
            warnings.append(f"{file}: not fixed: cannot write: {reason}")
            continue
        diffs.append(unified_diff(file, before, after))
        if write:
            applied.update((file, fix.dest) for fix in fixes if fix not in skipped)
    # A destination's rewrite is its note; a snapshot written beside it only when there is none.
    wanted = {
        (fix.file, fix.dest): fix
        for fixes in by_file.values()
        for fix in sorted(fixes, key=lambda f: f.mode != "replace", reverse=True)
    }
    notes = {
        r.link: FixNote(planned.new, planned.why, (planned.file, planned.dest) in applied)
        for r in results
        if r.link.dest is not None and (planned := wanted.get((r.link.file, r.link.dest)))
    }
    files = len({file for file, _ in applied})
    return FixRun(notes, "".join(diffs), warnings, len(applied), files)


def _decode(data: bytes) -> tuple[bytes, str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8, data[3:].decode("utf-8"), "utf-8"
    return b"", data.decode("utf-8"), "utf-8"


def write_atomically(path: Path, data: bytes, read: bytes) -> bool:
    """Replace `path` with `data` unless it changed since it was `read`; True if written.

    A symlinked article has its target rewritten, and stays a symlink. Ctrl-C or SIGTERM
    while the file is written waits until it is in place (or untouched), so no run leaves
    half a file or a `.tmp` behind."""
    path = Path(os.path.realpath(path))
    if path.read_bytes() != read:
        return False
    mode = path.stat().st_mode
    with _signals_held():
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return True


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM delivered after the block, not inside it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unified_diff(name: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8-sig").splitlines(keepends=True)
    new = after.decode("utf-8-sig").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
