"""A package's public names imported when first asked for (PEP 562's `__getattr__`): a
run that never uses a name never pays for its module (the parsers, httpx, rich)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, MutableMapping


def attribute(
    package: str, homes: Mapping[str, str], namespace: MutableMapping[str, object], name: str
) -> object:
    """`name` from its module in `homes` (relative to `package`), kept in `namespace`
    (the package's globals) so that the next use is a plain look-up."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, package), name)
    namespace[name] = value
    return value
