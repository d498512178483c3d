"""Settings from linkcheck.toml / pyproject.toml / --config, merged with the command line.

A config key is the long option's name with underscores. Every field of `Options` is a
key, read according to its type, so a field added to `Options` is a key without more
code here; the command line wins over the file. Mistakes are one-line `ConfigError`s
naming the file (or the flag) and the key.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import ssl
import tomllib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ._durations import parse_duration
from ._errors import LinkcheckError
from ._models import Status
from ._options import FIX_PRESERVED_STYLES, MINIMUM, HostRule, Options
from ._patterns import PatternError, user_pattern, user_substitution
from ._report import WRITERS, ReportFormat, report_format
from ._shard import Shard, ShardError, parse_shard

#: Keys that configure the command line itself rather than the check, and their types.
CLI_KEYS: dict[str, str] = {
    "format": "format",
    "output": "output",
    "report": "reports",
    "quiet": "bool",
    "verbose": "bool",
    "progress": "bool",
    "no_cache": "bool",
    "fix": "bool",
    "dry_run": "bool",
    "dump": "bool",  # list the links found, check nothing
}
_OPTION_NAMES = frozenset(f.name for f in dataclasses.fields(Options))
_HINTS = typing.get_type_hints(Options)
#: Where a smaller value would stall or empty the run (a limit of 0 requests in flight).
#: Flags whose name is not the key's (`--header` fills `headers`).
_FLAG_OF = {"headers": "--header", "shorteners": "--shortener", "report": "--report"}
COMMAND_LINE = "command line"


class ConfigError(LinkcheckError):
    """Bad config: one line naming the file and the key. The CLI exits 2."""


@dataclass(frozen=True, slots=True)
class Settings:
    """A run's settings: what to check (`options`) and how the CLI reports it (`cli`)."""

    options: Options
    #: The CLI_KEYS that were set, converted: paths absolute, booleans checked.
    cli: dict[str, Any]
    #: The config file used, as a person would type it; None when there was none.
    config_file: str | None


def load_settings(flags: Mapping[str, Any], config_file: str | None, cwd: Path) -> Settings:
    """The command line's `flags` (config keys, only those the user gave) over the config
    file: `config_file` if given, else the first one found from `cwd` upward.

    Relative paths in flags are taken from `cwd`, in a file from the file's folder.
    """
    # Flags are read on their own, so an error names the flag rather than the file they
    # are merged with; the file is read whole too: a bad value is an error even where a
    # flag wins over it.
    from_flags = _build(flags, COMMAND_LINE, cwd)
    path = (cwd / config_file) if config_file else find_config(cwd)
    source = None
    from_file: dict[str, Any] = {}
    if path is not None:
        source = display_path(path, cwd)
        from_file = _build(read_config(path, cwd), source, path.parent)
    merged = from_file | from_flags
    options = Options(**{k: v for k, v in merged.items() if k in _OPTION_NAMES})
    cli = {k: v for k, v in merged.items() if k in CLI_KEYS}
    return Settings(options, cli, source)


def find_config(start: Path) -> Path | None:
    """linkcheck.toml, or a pyproject.toml with [tool.linkcheck], from `start` upward."""
    for folder in (start, *start.parents):
        candidate = folder / "linkcheck.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _load(pyproject, start).get("tool")
            if isinstance(tool, dict) and "linkcheck" in tool:
                return pyproject
    return None


def display_path(path: Path, cwd: Path | None = None) -> str:
    """A config file's name as a person would type it: relative below the current folder."""
    relative = os.path.relpath(path, cwd if cwd is not None else Path.cwd())
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def _did_you_mean(key: str, known: Sequence[str]) -> str:
    hint = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def read_config(path: Path, cwd: Path | None = None) -> dict[str, Any]:
    """The raw settings table of a config file (`[tool.linkcheck]` for a pyproject.toml),
    with every key known."""
    where = display_path(path, cwd)
    table = _load(path, cwd)
    if path.name == "pyproject.toml":
        tool = table.get("tool", {})
        table = tool.get("linkcheck", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [tool.linkcheck] must be a table")
    known = sorted(_OPTION_NAMES | CLI_KEYS.keys())
    for key in table:
        if key not in known:
            hint = _did_you_mean(key, known)
            if key == "tool" and isinstance(table[key], dict) and "linkcheck" in table[key]:
                hint = (
                    " ([tool.linkcheck] is read from a pyproject.toml only; "
                    "elsewhere, write its keys at the top level)"
                )
            raise ConfigError(f"{where}: unknown key '{key}'{hint}")
    return table


def _load(path: Path, cwd: Path | None) -> dict[str, Any]:
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{display_path(path, cwd)}: invalid TOML: {error}") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"{display_path(path, cwd)}: cannot read: {reason}") from None


def _build(settings: Mapping[str, Any], source: str, base: Path) -> dict[str, Any]:
    return {name: _convert(name, raw, source, base) for name, raw in settings.items()}


def _label(source: str, name: str) -> str:
    """How an error names a setting: the flag on the command line, file and key in a file."""
    if source == COMMAND_LINE:
        return _FLAG_OF.get(name, "--" + name.replace("_", "-"))
    return f"{source}: '{name}'"


def _convert(name: str, raw: Any, source: str, base: Path) -> Any:
    label = _label(source, name)
    if name in CLI_KEYS:
        return _CLI_READERS[CLI_KEYS[name]](raw, label, base)
    if name not in _OPTION_NAMES:
        raise ConfigError(f"{source}: unknown key '{name}'")
    special = _SPECIAL.get(name)
    if special is not None:
        return special(raw, label, base)
    return _by_type(_HINTS[name], name, raw, label)


def _by_type(hint: Any, name: str, raw: Any, label: str) -> Any:
    """Read a value by the type of its Options field: the generic path for every field
    without a reader of its own."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        # `X | None`: None is the default, and TOML has no null, so only X is written.
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is typing.Literal:  # a closed set: generator, date_order
        if raw not in typing.get_args(hint):
            shown = ", ".join(typing.get_args(hint))
            raise ConfigError(f"{label} must be one of {shown}, not {raw!r}")
        return raw
    reader = _BY_TYPE.get(hint)
    if reader is None:
        # A new Options field of a type nothing here reads: tests/test_config.py says so.
        raise ConfigError(f"{label} cannot be set from a config file")
    return reader(name, raw, label)


def _a_bool(name: str, raw: Any, label: str) -> bool:
    if not isinstance(raw, bool):
        raise ConfigError(f"{label} must be true or false, not {raw!r}")
    return raw


def _an_int(name: str, raw: Any, label: str) -> int:
    low = MINIMUM.get(name, 0)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
        raise ConfigError(f"{label} must be a whole number ≥ {low}, not {raw!r}")
    return raw


def _a_float(name: str, raw: Any, label: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ConfigError(f"{label} must be a number, not {raw!r}")
    # A timeout of 0 would fail every request; other durations may be 0.
    if raw < 0 or (raw == 0 and name == "timeout"):
        least = "> 0" if name == "timeout" else "≥ 0"
        raise ConfigError(f"{label} must be a number {least}, not {raw!r}")
    return float(raw)


def _a_str(name: str, raw: Any, label: str) -> str:
    if not isinstance(raw, str):
        raise ConfigError(f"{label} must be a string, not {raw!r}")
    return raw


def _strings(name: str, raw: Any, label: str) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
        raise ConfigError(f"{label} must be a list of strings, not {raw!r}")
    return tuple(items)


#: How a value is read, by the type of its Options field.
_BY_TYPE: dict[Any, Callable[[str, Any, str], Any]] = {
    bool: _a_bool,
    int: _an_int,
    float: _a_float,
    str: _a_str,
    tuple[str, ...]: _strings,
}


def _regexes(raw: Any, label: str, base: Path) -> tuple[str, ...]:
    patterns = _by_type(tuple[str, ...], "", raw, label)
    for pattern in patterns:
        try:
            user_pattern(pattern)
        except PatternError as error:
            raise ConfigError(f"{label} has a bad regex {pattern!r}: {error}") from None
    return patterns


def _output(raw: Any, label: str, base: Path) -> str:
    return "-" if raw == "-" else _path(raw, label, base)  # -: stdout


def _path(raw: Any, label: str, base: Path) -> str:
    if not isinstance(raw, str) or not raw:
        raise ConfigError(f"{label} must be a path, not {raw!r}")
    return raw if os.path.isabs(raw) else os.path.normpath(base / raw)


def _certificates(raw: Any, label: str, base: Path) -> str:
    """A PEM file of CA certificates, loaded once here so that a wrong one is exit 2."""
    path = _path(raw, label, base)
    try:
        ssl.create_default_context().load_verify_locations(cafile=path)
    except ssl.SSLError:  # (an OSError too)
        raise ConfigError(f"{label}: {raw} holds no PEM certificate") from None
    except OSError as error:
        raise ConfigError(f"{label}: cannot read {raw}: {error.strerror or error}") from None
    return path


def _cookie_jar(raw: Any, label: str, base: Path) -> str:
    """A cookies.txt: read now, so that a wrong one is exit 2; it need not exist yet."""
    from ._remote import CookieFile, CookieFileError

    path = _path(raw, label, base)
    try:
        CookieFile(path)
    except CookieFileError as error:
        raise ConfigError(f"{label}: {raw} is not a cookies.txt file: {error}") from None
    except OSError as error:
        raise ConfigError(f"{label}: cannot read {raw}: {error.strerror or error}") from None
    if not os.path.isdir(os.path.dirname(path) or "."):
        raise ConfigError(f"{label}: cannot write {raw}: No such file or directory")
    return path


def _folder(raw: Any, label: str, base: Path) -> str:
    path = _path(raw, label, base)
    if not os.path.isdir(path):
        raise ConfigError(f"{label} is not a folder: {raw}")
    return path


def _duration(raw: Any, label: str, base: Path) -> float:
    if isinstance(raw, str):
        try:
            return parse_duration(raw)
        except ValueError as error:
            raise ConfigError(f"{label}: {error}") from None
    return _by_type(float, "cache_max_age", raw, label)


def _date(raw: Any, label: str, base: Path) -> str:
    try:
        date.fromisoformat(raw if isinstance(raw, str) else "")
    except ValueError:
        raise ConfigError(f"{label} must be a date YYYY-MM-DD, not {raw!r}") from None
    return raw


def _fraction(raw: Any, label: str, base: Path) -> float:
    """A number from 0 to 1 (--drift-threshold)."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise ConfigError(f"{label} must be a number from 0 to 1, not {raw!r}")
    return float(raw)


def _fix_preserved(raw: Any, label: str, base: Path) -> str:
    if raw not in FIX_PRESERVED_STYLES:
        raise ConfigError(f"{label} must be one of {', '.join(FIX_PRESERVED_STYLES)}, not {raw!r}")
    return raw


def _statuses(raw: Any, label: str, base: Path) -> frozenset[Status]:
    return parse_statuses(raw, label)


def parse_statuses(raw: Any, label: str = "'fail_on'") -> frozenset[Status]:
    """`"broken,timeout"` or a list of status names."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{label} must be a list of statuses, not {raw!r}")
    statuses = set()
    for item in items:
        name = str(item).strip()
        if not name:
            continue
        try:
            statuses.add(Status(name))
        except ValueError:
            known = ", ".join(s.value for s in Status)
            raise ConfigError(f"{label} has unknown status {name!r} (one of: {known})") from None
    return frozenset(statuses)


def _accept(raw: Any, label: str, base: Path) -> tuple[tuple[int, int], ...]:
    return parse_accept(raw, label)


def parse_accept(raw: Any, label: str = "'accept'") -> tuple[tuple[int, int], ...]:
    """`"200..299,403"`, or a list of codes and ranges (`[200, "300..308"]`)."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{label} must be codes and ranges like 200..299,403, not {raw!r}")
    ranges = []
    for item in items:
        text = str(item).strip()
        match = re.fullmatch(r"([1-9]\d\d)(?:\s*\.\.\s*([1-9]\d\d))?", text)
        if isinstance(item, bool) or not match:
            raise ConfigError(f"{label} has {text!r}; use codes and ranges like 200..299,403")
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low > high:
            raise ConfigError(f"{label} range {text!r} runs backwards")
        ranges.append((low, high))
    return tuple(ranges)


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token


def _headers(
    raw: Any, label: str, base: Path, unset: list[str] | None = None
) -> tuple[tuple[str, str], ...]:
    """A table `{Name = "value"}` from a file (`${VAR}` expanded; see `_expand` for
    `unset`), or a list of `"Name: value"` from `--header` (the shell has expanded it)."""
    if isinstance(raw, list | tuple):
        pairs = []
        for number, item in enumerate(raw, 1):
            header, sep, value = str(item).partition(":")
            # Never the value, nor the whole item: a header without its colon is still
            # `Authorization Bearer SECRET`, and CI logs are public.
            if not sep:
                raise ConfigError(
                    f"{label} #{number} has no ':'; use 'Name: value' (the value is not shown)"
                )
            name = header.strip()
            if not _HEADER_NAME.fullmatch(name):
                raise ConfigError(f"{label} #{number} has a bad header name; use 'Name: value'")
            pairs.append((name, _one_line_value(value.strip(), label, name)))
        return tuple(pairs)
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ConfigError(f'{label} must be a table of strings, like {{ X-Token = "…" }}')
    for header in raw:
        if not _HEADER_NAME.fullmatch(header):
            raise ConfigError(f"{label} has a bad header name {header!r}")
    return tuple((name, _expand(value, label, name, unset)) for name, value in raw.items())


def _expand(value: str, label: str, header: str, unset: list[str] | None = None) -> str:
    """`value` with each `${VAR}` replaced; a variable that is not set is an error, or,
    given `unset` (a host's headers: needed only if that host is asked), added to it."""

    def variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            if unset is not None:
                unset.append(name)
                return ""
            # Name the variable, never the value: headers carry secrets.
            raise ConfigError(f"{label}: header '{header}' uses ${{{name}}}, which is not set")
        return os.environ[name]

    return _one_line_value(_VARIABLE.sub(variable, value), label, header)


def _one_line_value(value: str, label: str, header: str) -> str:
    """A header value as HTTP allows it: a line break would end the header (or, sent raw,
    start another one), and every request would fail."""
    if any(ch in value for ch in "\r\n\0"):
        raise ConfigError(f"{label}: header '{header}' has a line break in its value")
    return value


def _user_agent(raw: Any, label: str, base: Path) -> str:
    return _one_line_value(_by_type(str, "user_agent", raw, label), label, "User-Agent")


_HOST_KEYS = ("match", "headers", "max_concurrency", "interval")


def _hosts(raw: Any, label: str, base: Path) -> tuple[HostRule, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ConfigError(f"{label} must be an array of tables ([[hosts]])")
    where = label.removesuffix(": 'hosts'")
    rules = []
    for table in raw:
        for key in table:
            if key not in _HOST_KEYS:
                hint = _did_you_mean(key, _HOST_KEYS)
                raise ConfigError(f"{where}: unknown key '{key}' in [[hosts]]{hint}")
        match = table.get("match")
        if not isinstance(match, str) or not match:
            raise ConfigError(f'{where}: every [[hosts]] needs match = "host"')
        concurrency = table.get("max_concurrency")
        if concurrency is not None and (
            isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1
        ):
            raise ConfigError(
                f"{where}: [[hosts]] '{match}': 'max_concurrency' must be a whole number ≥ 1"
            )
        interval = table.get("interval")
        if interval is not None and (
            isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0
        ):
            raise ConfigError(f"{where}: [[hosts]] '{match}': 'interval' must be seconds ≥ 0")
        unset: list[str] = []
        headers = _headers(table.get("headers", {}), f"{where}: [[hosts]] '{match}'", base, unset)
        rules.append(
            HostRule(
                match.lower(),
                headers if not unset else (),  # never sent half-made
                concurrency,
                float(interval) if interval is not None else None,
                tuple(dict.fromkeys(unset)),
            )
        )
    return tuple(rules)


def _remap(raw: Any, label: str, base: Path) -> tuple[tuple[str, str], ...]:
    """`["REGEX REPLACEMENT", …]` (lychee's form) or `[["REGEX", "REPLACEMENT"], …]`."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{label} must be a list of 'REGEX REPLACEMENT', not {raw!r}")
    pairs = []
    for item in items:
        if isinstance(item, str):
            pattern, _, replacement = item.strip().partition(" ")
            pair = [pattern, replacement.strip()]
        else:
            pair = item
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(x, str) for x in pair)
            or not pair[0]
        ):
            raise ConfigError(f"{label} takes 'REGEX REPLACEMENT' pairs, not {item!r}")
        try:
            user_substitution(pair[0], pair[1])
        except PatternError as error:
            raise ConfigError(f"{label} has a bad regex {pair[0]!r}: {error}") from None
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _extensions(raw: Any, label: str, base: Path) -> tuple[str, ...]:
    """A comma list (`md,txt`) or a list of names, each with or without its dot."""
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
        raise ConfigError(f"{label} must be a comma list of extensions, not {raw!r}")
    names = tuple(dict.fromkeys(x.strip().lstrip(".").lower() for x in items if x.strip()))
    if not names or not all(re.fullmatch(r"[a-z0-9_+-]+(\.[a-z0-9_+-]+)*", n) for n in names):
        raise ConfigError(f"{label} must be a comma list of extensions like md,txt, not {raw!r}")
    return names


def _shard(raw: Any, label: str, base: Path) -> Shard:
    try:
        return parse_shard(raw if isinstance(raw, str) else repr(raw))
    except ShardError as error:
        raise ConfigError(f"{label}: {error}") from None


_Reader = Callable[[Any, str, Path], Any]

#: Options fields whose values need more than their type says.
_SPECIAL: dict[str, _Reader] = {
    "fail_on": _statuses,
    "accept": _accept,
    "headers": _headers,
    "hosts": _hosts,
    "exclude": _regexes,
    "include": _regexes,
    "root_dir": _folder,
    "cache_path": _path,
    "ca_cert": _certificates,
    "cookie_jar": _cookie_jar,
    "cache_max_age": _duration,
    "article_date": _date,
    "fix_preserved": _fix_preserved,
    "drift_threshold": _fraction,
    "user_agent": _user_agent,
    "remap": _remap,
    "shard": _shard,
    "extensions": _extensions,
    "site": _folder,
}


def _format(raw: Any, label: str, base: Path) -> str:
    if raw not in WRITERS:
        raise ConfigError(f"{label} must be one of {', '.join(sorted(WRITERS))}, not {raw!r}")
    return raw


def _reports(raw: Any, label: str, base: Path) -> list[tuple[ReportFormat, str]]:
    """`FORMAT:PATH` each: extra reports written in the same run."""
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{label} must be a list of FORMAT:PATH, not {raw!r}")
    reports = []
    for item in items:
        written, sep, path = str(item).partition(":")
        name = report_format(written)
        if not sep or not path or name is None:
            known = ", ".join(sorted(WRITERS))
            raise ConfigError(f"{label} takes FORMAT:PATH with FORMAT one of {known}: {item!r}")
        reports.append((name, _path(path, label, base)))
    return reports


def parse_reports(raw: list[str], cwd: Path) -> list[tuple[ReportFormat, str]]:
    """`--report FORMAT:PATH` values, for a command that reads no config file."""
    return _reports(raw, "--report", cwd)


def _bool(raw: Any, label: str, base: Path) -> bool:
    return _by_type(bool, "", raw, label)


_CLI_READERS: dict[str, _Reader] = {
    "format": _format,
    "output": _output,
    "reports": _reports,
    "bool": _bool,
}
