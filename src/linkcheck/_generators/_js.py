"""Reading JavaScript configs (VitePress, Astro, Docusaurus) as far as static patterns go:
a string literal set for a key, an object of string pairs, and the plugins a config
hands the markdown pipeline. Nothing is evaluated: a value computed at run time is
simply not found, and the generator's default stands."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._site import Extension

_QUOTED = r"""(['"`])((?:(?!\1)[^\\$\n]|\\.)*)\1"""
_PAIR = re.compile(rf"""(?:{_QUOTED}|([\w$]+))\s*:\s*(['"`])((?:(?!\4)[^\\$\n]|\\.)*)\4""")
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_PLUGIN_LISTS = re.compile(r"\b(remarkPlugins|rehypePlugins|beforeDefaultRemarkPlugins)\s*:\s*\[")
_MD_USE = re.compile(r"\bmd\s*\.\s*use\s*\(\s*([A-Za-z_$][\w$.]*)")
#: `require('module')` / `import('module')` written in place of a plugin's name.
_REQUIRE = re.compile(
    r"""\b(?:require|import)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)(?:\s*\.\s*[\w$]+)*"""
)
#: `import name from 'module'`, `const name = require('module')`: where a name comes from.
_IMPORTED = re.compile(
    r"""\bimport\s+([\w$]+)\s*(?:,\s*\{[^}]*\})?\s+from\s+['"]([^'"]+)['"]"""
    r"""|\b(?:const|let|var)\s+([\w$]+)\s*=\s*require\s*\(\s*['"]([^'"]+)['"]"""
)
#: Markdown plugins known to add no link and no anchor (read from their source): code
#: block tabs and icons, math, image sizes, emoji, typography.
HARMLESS_MODULES = frozenset(
    {"@docusaurus/remark-plugin-npm2yarn", "docusaurus-remark-plugin-tab-blocks",
     "remark-math", "rehype-katex", "rehype-mathjax", "remark-emoji", "remark-smartypants",
     "vitepress-plugin-group-icons", "vitepress-plugin-tabs", "markdown-it-image-size",
     "markdown-it-mathjax3", "markdown-it-footnote", "markdown-it-task-lists",
     "vitepress-plugin-llms"}
)  # fmt: skip


def uncommented(source: str) -> str:
    """`source` with its `// …` and `/* … */` comments blanked (line breaks and every
    offset kept): a quote or a bracket in a comment (`// it doesn't [check]`) is no
    string and no bracket."""
    out = list(source)
    i, quote = 0, ""
    while i < len(source):
        ch = source[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote or (ch == "\n" and quote != "`"):
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif source.startswith(("//", "/*"), i):
            end = source.find("\n" if source[i + 1] == "/" else "*/", i + 2)
            end = len(source) if end < 0 else end + (0 if source[i + 1] == "/" else 2)
            for j in range(i, end):
                out[j] = "\n" if source[j] == "\n" else " "
            i = end
            continue
        i += 1
    return "".join(out)


def js_string(source: str, key: str) -> str | None:
    """The first string literal given to `key` (`srcDir: './docs'`), or None."""
    found = re.search(rf"""\b{re.escape(key)}\s*:\s*{_QUOTED}""", source)
    return found.group(2) if found else None


def balanced(source: str, start: int) -> str:
    """The text from `start` (just after an opening `{` or `[`) to its closing bracket,
    strings skipped over."""
    return "".join(ch for ch, _ in _scan(source, start))


def top_level(source: str, start: int) -> str:
    """`balanced`, with what nested brackets hold blanked out (line breaks kept): an
    object's own keys, not those of the objects and functions inside it."""
    return "".join(ch if depth == 1 or ch == "\n" else " " for ch, depth in _scan(source, start))


def _scan(source: str, start: int) -> Iterator[tuple[str, int]]:
    """Each character from `start` to its closing bracket, with its bracket depth;
    quoted strings (with their escapes) are never brackets."""
    depth, quote, escaped = 1, "", False
    for ch in source[start:]:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch in "{[(":
            depth += 1
        elif ch in "}])":
            depth -= 1
            if depth == 0:
                return
        yield ch, depth


def js_strings_of(source: str, key: str) -> Iterator[tuple[str, str]]:
    """The string pairs of the object given to `key` (`rewrites: {'a': 'b'}`)."""
    found = re.search(rf"\b{re.escape(key)}\s*:\s*\{{", source)
    if found is None:
        return
    for pair in _PAIR.finditer(balanced(source, found.end())):
        yield (pair.group(2) if pair.group(1) else pair.group(3)), pair.group(5)


def js_extensions(
    source: str, config: str, kind: str, harmless: frozenset[str]
) -> tuple[Extension, ...]:
    """The markdown plugins a config turns on (`remarkPlugins: [a, [b, {…}]]`,
    `md.use(c)`), but those known to add no link nor anchor: each may write what
    linkcheck does not see."""
    modules = {m[0] or m[2]: m[1] or m[3] for m in _IMPORTED.findall(source)}

    def deciding(name: str) -> str | None:
        """The plugin's module (or name) when it may decide, else None."""
        module = modules.get(name, name)
        return None if name in harmless or module in HARMLESS_MODULES else module

    found: list[Extension] = []
    for plugins in _PLUGIN_LISTS.finditer(source):
        kind_here = "rehype plugin" if plugins.group(1) == "rehypePlugins" else "remark plugin"
        body = balanced(source, plugins.end())
        named = [(m.start(), m.group(1)) for m in _REQUIRE.finditer(body)]
        blank = _REQUIRE.sub(lambda m: " " * len(m.group()), body)
        named += [(m.start(), m.group()) for m in _IDENTIFIER.finditer(_top_level(blank))]
        for start, name in sorted(named):
            module = deciding(name)
            if module is not None:
                line = source.count("\n", 0, plugins.end() + start) + 1
                found.append(Extension(kind_here, module, config, line))
    for use in _MD_USE.finditer(source):
        module = deciding(use.group(1))
        if module is not None:
            line = source.count("\n", 0, use.start()) + 1
            found.append(Extension(kind, module, config, line))
    return tuple(found)


def imported_modules(source: str) -> dict[str, str]:
    """Each imported name and the module it comes from."""
    return {m[0] or m[2]: m[1] or m[3] for m in _IMPORTED.findall(source)}


def called_in_list(source: str, start: int) -> list[tuple[int, str]]:
    """The names called at the top level of the array opening at `start` (just after
    `[`): `[a(), b({…})]` → a, b, with their offsets in `source`."""
    body = _top_level(balanced(source, start))
    return [(start + m.start(), m.group()) for m in _IDENTIFIER.finditer(body)]


def _top_level(body: str) -> str:
    """`body` with what nested objects and calls hold blanked, and the first element of
    each nested array kept (`[plugin, {options}]`): the plugins' names, in place."""
    kept, depth, quote = [], 0, ""
    first_of_array = False
    for ch in body:
        if quote:
            kept.append(" ")
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
            kept.append(" ")
        elif ch in "{[(":
            depth += 1
            first_of_array = ch == "[" and depth == 1
            kept.append(" ")
        elif ch in "}])":
            depth -= 1
            first_of_array = False
            kept.append(" ")
        elif ch == ",":
            first_of_array = False
            kept.append(" ")
        else:
            kept.append(ch if depth == 0 or (depth == 1 and first_of_array) else " ")
    return "".join(kept)
