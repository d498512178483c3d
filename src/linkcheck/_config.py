"""Settings from linkcheck.toml / pyproject.toml / --config, merged with the command line.

A config key is the long option's name with underscores. Every field of `Options` is a
key; the command line wins over the file. Mistakes are one-line `ConfigError`s naming
the file and the key.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ._cache import parse_duration
from ._models import Status
from ._options import HostRule, Options

#: Keys that configure the command line itself rather than the check.
CLI_KEYS = frozenset(
    {"format", "output", "report", "quiet", "verbose", "progress", "no_cache", "fix", "dry_run"}
)
_OPTION_NAMES = frozenset(f.name for f in dataclasses.fields(Options))


class ConfigError(Exception):
    """Bad config: one line naming the file and the key. The CLI exits 2."""


def find_config(start: Path) -> Path | None:
    """linkcheck.toml, or a pyproject.toml with [tool.linkcheck], from `start` upward."""
    for folder in (start, *start.parents):
        candidate = folder / "linkcheck.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if (
            pyproject.is_file()
            and "tool" in (table := _load(pyproject))
            and ("linkcheck" in table["tool"])
        ):
            return pyproject
    return None


def display_path(path: Path) -> str:
    """A config file's name as a person would type it: relative below the current folder."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def read_config(path: Path) -> dict[str, Any]:
    """The raw settings table of a config file (`[tool.linkcheck]` for a pyproject.toml)."""
    table = _load(path)
    if path.name == "pyproject.toml":
        table = table.get("tool", {}).get("linkcheck", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{display_path(path)}: [tool.linkcheck] must be a table")
    for key in table:
        if key not in _OPTION_NAMES and key not in CLI_KEYS:
            hint = difflib.get_close_matches(key, sorted(_OPTION_NAMES | CLI_KEYS), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"{display_path(path)}: unknown key '{key}'{suggestion}")
    return table


def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{display_path(path)}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{display_path(path)}: cannot read: {error.strerror}") from None


def build_options(settings: Mapping[str, Any], source: str, base: Path) -> Options:
    """Options from a table of settings (config file and command line merged).

    `source` names where a bad value came from; relative paths are taken from `base`.
    """
    values: dict[str, Any] = {}
    for name, raw in settings.items():
        if name in CLI_KEYS:
            continue
        values[name] = _convert(name, raw, source, base)
    return Options(**values)


def _convert(name: str, raw: Any, source: str, base: Path) -> Any:
    def wrong(expected: str) -> ConfigError:
        return ConfigError(f"{source}: '{name}' must be {expected}, not {raw!r}")

    default = _DEFAULTS[name]
    if name == "fail_on":
        return parse_statuses(raw, source)
    if name == "accept":
        return parse_accept(raw, source)
    if name in ("headers",):
        return _headers(raw, source, name)
    if name == "hosts":
        return _hosts(raw, source)
    if name == "cache_max_age" and isinstance(raw, str):
        try:
            return parse_duration(raw)
        except ValueError as error:
            raise ConfigError(f"{source}: 'cache_max_age' {error}") from None
    if name == "article_date":
        try:
            date.fromisoformat(str(raw))
        except ValueError:
            raise ConfigError(f"{source}: 'article_date' must be YYYY-MM-DD, not {raw!r}") from None
        return str(raw)
    if name == "date_order" and raw not in ("dmy", "mdy"):
        raise ConfigError(f"{source}: 'date_order' must be dmy or mdy, not {raw!r}")
    if name in ("root_dir", "cache_path"):
        if not isinstance(raw, str):
            raise wrong("a path")
        return str(base / raw) if not os.path.isabs(raw) else raw
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise wrong("true or false")
        return raw
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            raise wrong("a whole number ≥ 0")
        return raw
    if isinstance(default, float):
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            raise wrong("a number ≥ 0")
        return float(raw)
    if isinstance(default, tuple):
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise wrong("a list of strings")
        if name in ("exclude", "include"):
            for pattern in raw:
                _check_regex(pattern, source, name)
        return tuple(raw)
    if default is None or isinstance(default, str):
        if not isinstance(raw, str):
            raise wrong("a string")
        return raw
    raise wrong("something else")  # pragma: no cover - every field is handled above


_DEFAULTS = {f.name: getattr(Options(), f.name) for f in dataclasses.fields(Options)}


def _check_regex(pattern: str, source: str, name: str) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ConfigError(f"{source}: '{name}' has a bad regex {pattern!r}: {error}") from None


def parse_statuses(raw: Any, source: str) -> frozenset[Status]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{source}: 'fail_on' must be a list of statuses, not {raw!r}")
    statuses = set()
    for item in items:
        name = str(item).strip()
        if not name:
            continue
        try:
            statuses.add(Status(name))
        except ValueError:
            known = ", ".join(s.value for s in Status)
            raise ConfigError(
                f"{source}: 'fail_on' has unknown status {name!r} (one of: {known})"
            ) from None
    return frozenset(statuses)


def parse_accept(raw: Any, source: str) -> tuple[tuple[int, int], ...]:
    """`"200..299,403"`, or a list of codes and ranges."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{source}: 'accept' must be codes and ranges like 200..299,403")
    ranges = []
    for item in items:
        text = str(item).strip()
        match = re.fullmatch(r"(\d{3})(?:\s*\.\.\s*(\d{3}))?", text)
        if not match:
            raise ConfigError(
                f"{source}: 'accept' has {text!r}; use codes and ranges like 200..299,403"
            )
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low > high:
            raise ConfigError(f"{source}: 'accept' range {text!r} runs backwards")
        ranges.append((low, high))
    return tuple(ranges)


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _headers(raw: Any, source: str, name: str) -> tuple[tuple[str, str], ...]:
    if isinstance(raw, list):  # from the command line: "Name: value"
        pairs = []
        for item in raw:
            header, sep, value = str(item).partition(":")
            if not sep or not header.strip():
                raise ConfigError(f"{source}: header {item!r} must look like 'Name: value'")
            pairs.append((header.strip(), value.strip()))
        return tuple(pairs)
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ConfigError(f"{source}: '{name}' must be a table of strings")
    return tuple((k, _expand(v, source, k)) for k, v in raw.items())


def _expand(value: str, source: str, header: str) -> str:
    def variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            # Name the variable, never the value: headers carry secrets.
            raise ConfigError(f"{source}: header '{header}' uses ${{{name}}}, which is not set")
        return os.environ[name]

    return _VARIABLE.sub(variable, value)


_HOST_KEYS = {"match", "headers", "max_concurrency", "interval"}


def _hosts(raw: Any, source: str) -> tuple[HostRule, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ConfigError(f"{source}: 'hosts' must be an array of tables ([[hosts]])")
    rules = []
    for table in raw:
        unknown = set(table) - _HOST_KEYS
        if unknown:
            raise ConfigError(f"{source}: unknown key '{sorted(unknown)[0]}' in [[hosts]]")
        match = table.get("match")
        if not isinstance(match, str) or not match:
            raise ConfigError(f'{source}: every [[hosts]] needs match = "host"')
        concurrency = table.get("max_concurrency")
        if concurrency is not None and (not isinstance(concurrency, int) or concurrency < 1):
            raise ConfigError(f"{source}: [[hosts]] max_concurrency must be a whole number ≥ 1")
        interval = table.get("interval")
        if interval is not None and (not isinstance(interval, int | float) or interval < 0):
            raise ConfigError(f"{source}: [[hosts]] interval must be a number of seconds")
        headers = _headers(table.get("headers", {}), source, "headers")
        rules.append(
            HostRule(
                match.lower(),
                headers,
                concurrency,
                float(interval) if interval is not None else None,
            )
        )
    return tuple(rules)
