"""Settings from linkcheck.toml / pyproject.toml / --config, merged with the command line.
(Owner: CLI/report helper.)"""

from __future__ import annotations


class ConfigError(Exception):
    """Bad config: one line naming the file and the key. The CLI exits 2."""
