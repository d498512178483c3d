"""The redirect rules of the host that serves a built site, declared beside it: a link
to a URL the site has no page for still works where such a rule sends the reader on.

- **Netlify** (docs.netlify.com/manage/routing/redirects/overview, redirect-options and
  rewrites-proxies; its engine's inputs in netlify/primitives `packages/redirects`):
  `[[redirects]]` tables of `netlify.toml` (`from`, `to`, `status`, `force`, `query`,
  `conditions`, `signed`) and the `_redirects` file of the publish folder, one rule a
  line (`from [query=:x …] to [status[!]] [Country=… Language=… Role=… Cookie=…]`).
  The `_redirects` rules come first, then the toml's; the first rule that matches wins.
  `*` is a splat (anything, `:splat` in `to`), `:name` one path segment; paths are
  case-sensitive and a trailing slash is ignored; status 301 by default, 200 a rewrite
  (or a proxy to another address), 404 (and any other 4xx) not found. A rule only
  applies where no file is served (`force`/`!` shadows one that is: linkcheck then
  judges the page that exists). Cloudflare Pages reads the same `_redirects` format.
- **Vercel** (vercel.com/docs/project-configuration#redirects and #rewrites):
  `vercel.json` `redirects` (308 or `permanent: false` 307, `statusCode`) then
  `rewrites` (200); `source` is a path-to-regexp pattern (`:name`, `:name*`, `:name+`,
  `:name?`, `:name(regex)`, `(regex)`), matched without case and with an optional
  trailing slash, as path-to-regexp does by default; `destination` gets the values.

A rule that depends on the request (a country, a language, a role, a cookie, a query
parameter, Vercel's `has`/`missing`) decides a link linkcheck cannot: `unverified`,
naming the rule. A malformed file is one warning, and its rules are not used.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .._regular import open_regular

#: Netlify's placeholders: `:name` (letters, digits, `_`), and its splat `*`.
_NETLIFY_TOKEN = re.compile(r"(\*|:[A-Za-z_]\w*)")
_STATUS = re.compile(r"^([0-9]{3})(!?)$")
_CONDITIONS = ("Country", "Language", "Role", "Cookie")
_PLACEHOLDER = re.compile(r":([A-Za-z_]\w*)[*+?]?")
_LIMIT = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class HostRule:
    """One redirect or rewrite rule of a host's file."""

    host: str  # "Netlify", "Vercel"
    source: str  # as written: `/docs/:lang/usage.html`, `/blog/*`
    pattern: re.Pattern[str]
    to: str  # as written, placeholders unfilled
    status: int  # 301, 302…: a redirect; 200: a rewrite or proxy; 404: not found
    file: str  # absolute
    line: int  # 1-based, 0 when unknown
    #: What the rule depends on that linkcheck cannot know (`Country=us`, `has`): a
    #: link it may decide is `unverified`.
    condition: str | None = None

    def where(self) -> str:
        shown = os.path.relpath(self.file).replace(os.sep, "/")
        return f"{shown} line {self.line}" if self.line else shown

    def fill(self, url: str) -> str | None:
        """Where the rule sends `url` (placeholders filled), or None when it does not
        match."""
        found = self.pattern.fullmatch(url)
        if found is None:
            return None
        values = {k: v or "" for k, v in found.groupdict().items()}
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), self.to)

    def fixed(self) -> bool:
        """Whether many URLs are rewritten to one page (`/* /index.html 200`, a single
        page app's fallback): what the reader sees there is the page's scripts' doing."""
        return (
            self.status == 200
            and bool(self.pattern.groupindex)
            and not (_PLACEHOLDER.search(self.to))
        )


@dataclass(frozen=True, slots=True)
class HostRules:
    """A site's host rules, in the order the host tries them."""

    rules: tuple[HostRule, ...] = ()

    def match(self, url: str) -> tuple[HostRule, str] | None:
        """The first rule that matches the server path `url`, and where it sends it."""
        for rule in self.rules:
            to = rule.fill(url)
            if to is not None:
                return rule, to
        return None


def read(
    folders: tuple[str, ...], redirect_folders: tuple[str, ...]
) -> tuple[HostRules, list[tuple[str, str]]]:
    """The rules of the host files in `folders` (the site's folder up to the repository's
    top, nearest first: the first `netlify.toml` and the first `vercel.json` found) and
    of the `_redirects` files in `redirect_folders` (what the build copies to the publish
    folder), with one (file, why) per file that could not be read."""
    rules: list[HostRule] = []
    problems: list[tuple[str, str]] = []
    toml = next((p for f in folders if os.path.isfile(p := os.path.join(f, "netlify.toml"))), None)
    base: tuple[str, ...] = ()
    netlify: list[HostRule] = []
    if toml is not None:
        try:
            netlify, base = _netlify_toml(toml)
        except ValueError as error:
            problems.append((toml, str(error)))
    seen: set[str] = set()
    for folder in (*redirect_folders, *base):
        path = os.path.realpath(os.path.join(folder, "_redirects"))
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        try:
            rules += _redirects_file(path)
        except ValueError as error:
            problems.append((path, str(error)))
    rules += netlify  # after every `_redirects` rule, as Netlify reads them
    vercel = next((p for f in folders if os.path.isfile(p := os.path.join(f, "vercel.json"))), None)
    if vercel is not None:
        try:
            rules += _vercel_json(vercel)
        except ValueError as error:
            problems.append((vercel, str(error)))
    return HostRules(tuple(rules)), problems


def _text(path: str) -> str:
    try:
        with open_regular(path) as file:  # a FIFO would hang the run
            return file.read(_LIMIT).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read {os.path.basename(path)}: {error}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# --- Netlify


def _netlify_pattern(source: str) -> re.Pattern[str]:
    """`/news/*` matches `/news` and everything under it; `:name` one segment; a trailing
    slash is ignored (Netlify normalizes it away before its rules are read)."""
    path = source.rstrip("/") or "/"
    parts: list[str] = []
    names: set[str] = set()
    tokens = _NETLIFY_TOKEN.split(path)
    for index, token in enumerate(tokens):
        if token == "*":
            splat = "splat" not in names
            names.add("splat")
            group = "(?P<splat>.*)" if splat else ".*"
            last = not "".join(tokens[index + 1 :])
            if last and parts and parts[-1].endswith("/"):  # `/news/*` matches `/news` too
                parts[-1] = parts[-1][:-1]
                group = f"(?:/{group})?"
            parts.append(group)
        elif token.startswith(":") and len(token) > 1:
            name = token[1:]
            parts.append(f"(?P<{name}>[^/]+)" if name not in names else "[^/]+")
            names.add(name)
        else:
            parts.append(re.escape(token).replace("\\/", "/"))
    return re.compile("".join(parts) + "/?")


def _netlify_rule(
    source: str, to: str, status: int, file: str, line: int, condition: str | None
) -> HostRule | None:
    if not source.startswith("/"):
        return None  # a domain rule (`https://old.example/*`): not a path of this site
    return HostRule("Netlify", source, _netlify_pattern(source), to, status, file, line, condition)


def _redirects_file(path: str) -> Iterator[HostRule]:
    for number, raw in enumerate(_text(path).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = line.split()
        source, rest = tokens[0], tokens[1:]
        query = []
        while rest and "=" in rest[0] and not rest[0].startswith(("/", "http:", "https:")):
            query.append(rest.pop(0))  # `/store id=:id /blog/:id`: a query parameter
        to = rest.pop(0) if rest and not _STATUS.match(rest[0]) else source
        status = 301
        if rest and (found := _STATUS.match(rest[0])):
            status = int(found.group(1))
            rest.pop(0)
        conditions = [t for t in rest if t.partition("=")[0] in _CONDITIONS]
        condition = " ".join(query + conditions) or None
        rule = _netlify_rule(source, to, status, path, number, condition)
        if rule is not None:
            yield rule


def _netlify_toml(path: str) -> tuple[list[HostRule], tuple[str, ...]]:
    """The `[[redirects]]` rules, and the folder `[build] base` names (where Netlify
    looks for `_redirects` too)."""
    text = _text(path)
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"netlify.toml is not valid: {_first_line(error)}") from None
    build = data.get("build")
    top = os.path.dirname(path)
    base: tuple[str, ...] = ()
    if isinstance(build, dict) and isinstance(build.get("base"), str):
        base = (os.path.join(top, *build["base"].strip("/").split("/")),)
    redirects = data.get("redirects", [])
    if not isinstance(redirects, list):
        raise ValueError("netlify.toml is not valid: redirects is not a list of tables")
    rules = []
    lines = _lines_of(text, r"^\s*from\s*=\s*")
    for table in redirects:
        source, to = table.get("from"), table.get("to") if isinstance(table, dict) else None
        if not isinstance(source, str) or not isinstance(table, dict):
            raise ValueError("netlify.toml is not valid: a [[redirects]] table has no 'from'")
        status = table.get("status", 301)
        status = status if isinstance(status, int) else 301
        query = table.get("query")
        conditions = table.get("conditions")
        condition = " ".join(
            f"{k}={_listed(v)}"
            for table in (query, conditions)
            for k, v in (table.items() if isinstance(table, dict) else ())
        )
        line = next((n for n, value in lines if value == source), 0)
        rule = _netlify_rule(
            source, to if isinstance(to, str) else source, status, path, line, condition or None
        )
        if rule is not None:
            rules.append(rule)
    return rules, base


def _listed(value: object) -> str:
    """A condition's value as `_redirects` writes it: `Country=us,ca`."""
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def _lines_of(text: str, key: str) -> list[tuple[int, str]]:
    """(line number, string value) of each `key = "value"` line: where a rule is written
    (the parsers say no line)."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        head = re.match(key + r"""(?:"((?:[^"\\]|\\.)*)"|'([^']*)')""", line)
        if head is not None:
            value = head.group(2) if head.group(1) is None else head.group(1)
            found.append((number, value))
    return found


# --- Vercel


def _vercel_pattern(source: str) -> re.Pattern[str]:
    """path-to-regexp's syntax (the version Vercel documents): `:name` one segment,
    `:name*`/`:name+`/`:name?` with the `/` before it, `:name(regex)`, `(regex)`;
    without case and with an optional trailing slash, its defaults."""
    parts: list[str] = []
    i, unnamed = 0, 0
    while i < len(source):
        char = source[i]
        name = None
        custom = "[^/#?]+?"
        if char == ":" and (found := re.match(r":(\w+)", source[i:])):
            name = found.group(1)
            i += found.end()
        elif char == "\\" and i + 1 < len(source):
            parts.append(re.escape(source[i + 1]))
            i += 2
            continue
        elif char != "(":
            parts.append(re.escape(char).replace("\\/", "/"))
            i += 1
            continue
        if i < len(source) and source[i] == "(":
            end = _closing(source, i)
            custom, i = source[i + 1 : end], end + 1
        if name is None:
            name, unnamed = f"_{unnamed}", unnamed + 1
        modifier = source[i] if i < len(source) and source[i] in "*+?" else ""
        i += 1 if modifier else 0
        prefix = ""
        if modifier and parts and parts[-1] == "/":
            prefix = parts.pop()
        group = f"(?P<{name}>{custom})"
        if modifier in "*+" and modifier:
            group = f"(?P<{name}>(?:{custom})(?:/(?:{custom}))*)"
        optional = "?" if modifier in ("*", "?") else ""
        parts.append(f"(?:{prefix}{group}){optional}" if prefix or optional else group)
    pattern = "".join(parts).rstrip("/")
    return re.compile(pattern + "/?", re.I)


def _closing(text: str, start: int) -> int:
    """The index of the `)` that closes the `(` at `start`; an escaped character
    (`\\)`, `\\(`) is a character, never a parenthesis."""
    depth, index = 0, start
    while index < len(text):
        if text[index] == "\\":
            index += 2  # the backslash and the character it escapes
            continue
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
        index += 1
    raise re.error(f"unbalanced parenthesis in {text!r}")


def _vercel_json(path: str) -> list[HostRule]:
    text = _text(path)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"vercel.json is not valid: {_first_line(error)}") from None
    if not isinstance(data, dict):
        raise ValueError("vercel.json is not valid: not an object")
    lines = _lines_of(text, r'^\s*"source"\s*:\s*')
    rules = []
    for key in ("redirects", "rewrites"):  # Vercel tries its redirects first
        entries = data.get(key, [])
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            source, to = entry.get("source"), entry.get("destination")
            if not isinstance(source, str) or not isinstance(to, str):
                continue
            if key == "rewrites":
                status = 200
            else:
                code = entry.get("statusCode")
                status = (
                    code
                    if isinstance(code, int)
                    else (308 if entry.get("permanent", True) else 307)
                )
            condition = " ".join(
                f"{k}: {json.dumps(entry[k])}" for k in ("has", "missing") if k in entry
            )
            try:
                pattern = _vercel_pattern(source)
            except re.error as error:
                raise ValueError(f"vercel.json: {source!r} is no pattern: {error}") from None
            line = next((n for n, value in lines if value == source), 0)
            rules.append(
                HostRule("Vercel", source, pattern, to, status, path, line, condition or None)
            )
    return rules
