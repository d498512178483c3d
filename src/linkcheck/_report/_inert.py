"""Untrusted text made safe for a terminal, on its own: the CLI's one-line messages
need it before any report is written (and without the writers' imports)."""

from __future__ import annotations

import re

# Anything that could move the cursor, recolour the terminal or reorder text on screen:
# C0 and C1 controls, DEL, and the Unicode bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Untrusted text made safe to print: every control character shown as an escape."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
