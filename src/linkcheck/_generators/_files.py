"""Reading generators' config files and pages' front matter, with real parsers only.

YAML is read with PyYAML's safe loader: configs and front matter come from strangers'
repositories, and only plain data (no tags that build objects) may come out of them.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from typing import Any

from .._regular import open_regular
from ._site import ConfigProblem

_FRONT_LIMIT = 64 * 1024
_YAML_FRONT = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*$", re.S | re.M)
_TOML_FRONT = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*$", re.S | re.M)


def load_yaml(text: str) -> Any:
    import yaml  # only sites with YAML configs pay for the import

    class _Loader(yaml.SafeLoader):
        """Safe, and lenient about tags it does not know (`!ENV`, `!!python/name:…`
        in mkdocs.yml): their values are read as plain data, never constructed."""

    def plain(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        assert isinstance(node, yaml.ScalarNode)
        # `!!python/name:pkg.function` has no value: the tag is what it says.
        return loader.construct_scalar(node) or suffix

    _Loader.add_multi_constructor("", plain)
    return yaml.load(text, Loader=_Loader)


def read_config(path: str) -> dict[str, Any]:
    """A TOML, YAML or JSON config as a table; ConfigProblem when it is not one."""
    name = os.path.basename(path)
    try:
        with open_regular(path) as file:  # a FIFO would hang the run
            text = file.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigProblem(f"cannot read {name}: {error}") from None
    try:
        if name.endswith(".toml"):
            data: Any = tomllib.loads(text)
        elif name.endswith(".json"):
            data = json.loads(text)
        else:
            data = load_yaml(text)
    except Exception as error:  # every parser's own error types: one line, never a traceback
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigProblem(f"{name} is not valid: {first}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigProblem(f"{name} is not a table of settings")
    return data


def read_text(path: str) -> str:
    """A file's text (undecodable bytes replaced); OSError when it is not a regular
    file that can be read (a FIFO would hang the run)."""
    with open_regular(path) as file:
        return file.read().decode("utf-8", errors="replace")


def folder_setting(data: dict[str, Any], key: str, default: str, config: str) -> str:
    """A config's folder (`src`, `docs_dir`, `source`…) as an absolute real path."""
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ConfigProblem(f"{os.path.basename(config)}: {key} must be a path")
    return os.path.realpath(os.path.join(os.path.dirname(config), value))


def front_matter(path: str) -> dict[str, Any]:
    """A page's front matter (YAML `---` or TOML `+++`), or {} when it has none or it
    cannot be read: a page with bad front matter is still a page."""
    try:
        with open_regular(path) as file:
            head = file.read(_FRONT_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return {}
    try:
        yaml_match = _YAML_FRONT.match(head)
        if yaml_match is not None:
            data = load_yaml(yaml_match.group(1))
        else:
            toml_match = _TOML_FRONT.match(head)
            data = tomllib.loads(toml_match.group(1)) if toml_match is not None else None
    except Exception:  # malformed front matter: the generator would complain, not us
        return {}
    return data if isinstance(data, dict) else {}


def text(value: Any) -> str | None:
    """A config or front matter value that should be a string."""
    return value if isinstance(value, str) else None


# An attribute list's id anywhere in the text: kramdown's IAL `{: #id}`, attr_list's
# `{ #id }` on an inline element (`**locale**{ #mkdocs-locale }`).
# attr_list's `{ id="x" }` (or `id='x'`, `id=x`) says the same.
_ATTRIBUTE_ID = re.compile(
    r"\{:?[^{}\n]*?(?:(?<=[{:\s])#([A-Za-z][\w:.-]*)|\bid=[\"']?([^\"'\s{}]+))[^{}\n]*\}"
)


def attribute_ids(path: str) -> frozenset[str]:
    """Every id an attribute list gives an element of the page (blocks and inline)."""
    try:
        with open_regular(path) as file:
            found = _ATTRIBUTE_ID.findall(file.read().decode("utf-8", "replace"))
    except OSError:
        return frozenset()
    return frozenset(hash_id or named for hash_id, named in found)
