"""Which links one CI job checks when the work is split over N jobs (`--shard I/N`).

A remote link belongs to the shard of its host: a stable hash of the lowercased host
name (not Python's `hash`, which changes per process), so a host is never split between
jobs and its politeness limits hold across the whole run. Everything decided without the
network (local files, placeholders, invalid URLs, undefined references, …) is shard 1's.
A shard's report holds only its own links; `linkcheck merge` joins the shards' reports.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._errors import LinkcheckError
from ._models import Category, Classified


class ShardError(LinkcheckError):
    """A shard that cannot be read: one line for the CLI, which exits 2."""


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard `index` (1-based) of `total`."""

    index: int
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"

    def owns(self, item: Classified) -> bool:
        if item.category is Category.REMOTE and item.target is not None:
            return shard_of_host(urlsplit(item.target).hostname or "", self.total) == self.index
        return self.index == 1


def shard_of_host(host: str, total: int) -> int:
    """The 1-based shard that checks `host`: the same on every machine and every run."""
    digest = hashlib.sha1(host.lower().encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % total + 1


_GIVEN = re.compile(r"(\d+)/(\d+)")


def parse_shard(text: str, environ: Mapping[str, str] | None = None) -> Shard:
    """`I/N`, or `auto` / `auto/N` read from the job engine's variables:
    GitLab's `parallel:` (CI_NODE_INDEX, 1-based, and CI_NODE_TOTAL) or a Kubernetes
    Indexed Job (JOB_COMPLETION_INDEX, 0-based, with N given as `auto/N`)."""
    environ = os.environ if environ is None else environ
    given = _GIVEN.fullmatch(text.strip())
    if given:
        return _checked(int(given.group(1)), int(given.group(2)), f"'{text}'")
    auto = re.fullmatch(r"auto(?:/(\d+))?", text.strip())
    if not auto:
        raise ShardError(f"'{text}' is not a shard: use I/N (e.g. 2/4), auto or auto/N")
    total = auto.group(1)
    if "CI_NODE_INDEX" in environ and total is None:
        index = _number(environ, "CI_NODE_INDEX")
        return _checked(index, _number(environ, "CI_NODE_TOTAL"), "CI_NODE_INDEX/CI_NODE_TOTAL")
    if "JOB_COMPLETION_INDEX" in environ:
        if total is None:
            raise ShardError("JOB_COMPLETION_INDEX is set but not the total: use auto/N")
        index = _number(environ, "JOB_COMPLETION_INDEX") + 1
        return _checked(index, int(total), "JOB_COMPLETION_INDEX")
    if "CI_NODE_INDEX" in environ:
        index = _number(environ, "CI_NODE_INDEX")
        return _checked(index, int(total or 0), "CI_NODE_INDEX")
    raise ShardError(
        "auto needs CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel:) "
        "or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job, with auto/N)"
    )


def _number(environ: Mapping[str, str], name: str) -> int:
    value = environ.get(name, "")
    if not value.strip().isdigit():
        shown = value if len(value) <= 20 and value.isprintable() else value[:20].encode()
        raise ShardError(f"{name} must be a whole number, not {shown!r}")
    return int(value)


def _checked(index: int, total: int, source: str) -> Shard:
    if total < 1:
        raise ShardError(f"{source}: the number of shards must be at least 1, not {total}")
    if not 1 <= index <= total:
        raise ShardError(f"{source}: shard {index} is not between 1 and {total}")
    return Shard(index, total)
