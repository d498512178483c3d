"""User regexes (`--exclude`, `--include`) compiled for linear-time matching.

URLs come from strangers, and Python's backtracking `re` takes minutes on a pattern like
`(a+)+$` against a long enough one. RE2 matches in time linear in the URL's length, so
no article can stall a run through a user's pattern; it refuses what it cannot match
that way (backreferences, lookaround), and so do we, with the reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import re2


class Pattern(Protocol):
    pattern: str

    def search(self, text: str) -> object | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why in a few words."""


def _options() -> re2.Options:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would log every bad pattern to stderr itself
    return options


def user_pattern(pattern: str) -> Pattern:
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
