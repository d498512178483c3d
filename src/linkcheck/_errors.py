"""The one base class of every error linkcheck raises on purpose.

A library caller catches `linkcheck.LinkcheckError` and gets each of them (a bad config,
path, pattern, git ref, report or merge), always with a one-line message meant for a
person; the CLI prints that line and exits 2. Anything else is a bug.
"""

from __future__ import annotations


class LinkcheckError(Exception):
    """Something the caller asked for cannot be done; the message says why in one line."""
