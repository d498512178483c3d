"""Durations as config and flags write them (`3600`, `30m`, `12h`, `1d`) and back.

Their own module: the config reader, the CLI help and the HTML report's run section need them,
and the config reader imports the report writers.
"""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in `3600`, `45s`, `30m`, `12h`, `1d` or `2w`; ValueError otherwise."""
    match = _DURATION.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration like 3600, 30m, 12h or 1d")
    return float(match.group(1)) * _UNIT[match.group(2).lower()]


def format_duration(seconds: float) -> str:
    """The shortest way parse_duration reads back as `seconds` (86400 -> 1d)."""
    for unit in "wdhm":
        if seconds >= _UNIT[unit] and seconds % _UNIT[unit] == 0:
            return f"{int(seconds // _UNIT[unit])}{unit}"
    return f"{seconds:g}"
