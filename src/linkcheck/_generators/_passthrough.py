"""Goldmark's passthrough extension (Hugo's `markup.goldmark.extensions.passthrough`):
text between configured delimiters (`\\[ … \\]`, `$$ … $$`, `\\( … \\)`) is handed to the
page as it is, for a math renderer; nothing in it is markdown, so what reads as a link
or a reference there (`<=>[+ 2OH-][+ 2H+]` in a chemical equation) is no link."""

from __future__ import annotations

import re
from typing import Any

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)

#: Delimiter pairs: (opening, closing, may span a blank line).
Delimiters = tuple[tuple[str, str, bool], ...]


def delimiters(goldmark: Any) -> Delimiters:
    """The pairs `markup.goldmark.extensions.passthrough` turns on (none unless
    `enable` is true): block ones may hold blank lines, inline ones not."""
    settings = goldmark.get("extensions", {}) if isinstance(goldmark, dict) else {}
    settings = settings.get("passthrough", {}) if isinstance(settings, dict) else {}
    if not isinstance(settings, dict) or settings.get("enable") is not True:
        return ()
    found: list[tuple[str, str, bool]] = []
    pairs = settings.get("delimiters", {})
    for kind in ("block", "inline"):
        listed = pairs.get(kind) if isinstance(pairs, dict) else None
        for pair in listed if isinstance(listed, list) else []:
            pair = pair if isinstance(pair, list) else []
            if len(pair) == 2 and all(isinstance(d, str) and d for d in pair):
                found.append((pair[0], pair[1], kind == "block"))
    return tuple(found)


def spans(text: str, pairs: Delimiters) -> list[tuple[int, int]]:
    """The character ranges of `text` between passthrough delimiters (outside code)."""
    masked = _without_code(text)
    found: list[tuple[int, int]] = []
    at = 0
    while True:
        opening = [(masked.find(o, at), o, c, b) for o, c, b in pairs]
        opening = [o for o in opening if o[0] >= 0]
        if not opening:
            return found
        start, open_, close, block = min(opening, key=lambda o: (o[0], -len(o[1])))
        end = masked.find(close, start + len(open_))
        if end < 0 or (not block and "\n\n" in masked[start:end]):
            at = start + len(open_)
            continue
        found.append((start, end + len(close)))
        at = end + len(close)


def _without_code(text: str) -> str:
    """`text` with fenced code blocks and code spans blanked (same length): their
    delimiters are code, not passthrough."""
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            lines[index] = " " * len(line)
        elif fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            lines[index] = " " * len(line)
    joined = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)
