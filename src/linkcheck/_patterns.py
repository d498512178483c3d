"""User regexes (`--exclude`, `--include`, `remap`) compiled for linear-time matching.

URLs come from strangers, and Python's backtracking `re` takes minutes on a pattern like
`(a+)+$` against a long enough one. RE2 matches in time linear in the URL's length, so
no article can stall a run through a user's pattern; it refuses what it cannot match
that way (backreferences, lookaround), and so do we, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ._errors import LinkcheckError

if TYPE_CHECKING:
    import re2


class Pattern(Protocol):
    pattern: str
    groups: int
    groupindex: Mapping[str, int]

    def search(self, text: str) -> object | None: ...

    def sub(self, replacement: Any, text: str) -> str: ...


class PatternError(LinkcheckError, ValueError):
    """A pattern RE2 cannot compile; the message says why in a few words. (A ValueError
    too, as `Options` raises for any value it refuses.)"""


def _options() -> re2.Options:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would log every bad pattern to stderr itself
    return options


def user_pattern(pattern: str) -> Pattern:  # an re2._Regexp
    """`pattern` compiled by RE2 (Python `re` syntax, less backreferences and lookaround)."""
    import re2  # 4 ms of start-up, paid only by runs that have a pattern

    try:
        return re2.compile(pattern, options=_options())
    except re2.error as error:
        try:
            re.compile(pattern)
        except re.error as python_error:  # wrong in any syntax: Python's words are clearer
            raise PatternError(str(python_error)) from None
        reason = error.args[0] if error.args else "not supported"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            f"{reason} (patterns are matched in linear time by RE2: no backreferences "
            "or lookaround)"
        ) from None


_REFERENCE = re.compile(r"\\(?:g<([^>]*)>|(\d{1,2})|(.))", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def user_substitution(pattern: str, template: str) -> Callable[[str], str]:
    """`lambda text: re.sub(pattern, template, text)`, matched by RE2 (`remap`).

    The template is Python's: `\\1`, `\\g<1>`, `\\g<name>`, `\\\\`; a group that did not
    take part in the match is empty. RE2's own expansion differs on these edges, so the
    template is read here, once, into literal pieces and group numbers."""
    compiled = user_pattern(pattern)
    pieces: list[str | int] = []
    position = 0
    for match in _REFERENCE.finditer(template):
        pieces.append(template[position : match.start()])
        position = match.end()
        name, number, other = match.groups()
        if other is not None:
            pieces.append(_ESCAPES.get(other, "\\" + other))
            continue
        key = name if name is not None else number
        group = int(key) if key.isdigit() else compiled.groupindex.get(key)
        if group is None or group > compiled.groups:
            raise PatternError(f"the replacement refers to group {key!r}, which {pattern!r} lacks")
        pieces.append(group)
    pieces.append(template[position:])

    def expand(found: Any) -> str:
        return "".join(
            piece if isinstance(piece, str) else (found.group(piece) or "") for piece in pieces
        )

    return lambda text: compiled.sub(expand, text)


class Exclusions:
    """--exclude and --include, compiled once: whether a URL is excluded, and why. Both
    classification (a link) and the crawl (a page to read) ask it."""

    def __init__(self, exclude: Sequence[str], include: Sequence[str]) -> None:
        self._exclude = [user_pattern(pattern) for pattern in exclude]
        self._include = [user_pattern(pattern) for pattern in include]

    def why(self, *candidates: str) -> str | None:
        """The reason if an --exclude pattern matches a candidate and no --include does."""
        for pattern in self._exclude:
            if any(pattern.search(c) for c in candidates):
                if any(inc.search(c) for inc in self._include for c in candidates):
                    return None
                return f"matches --exclude '{pattern.pattern}'"
        return None
