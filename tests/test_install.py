"""The install story: a distribution name of our own, the `linkcheck` import and command."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

from click.testing import CliRunner

import linkcheck
from linkcheck._cli import command

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_one_version_everywhere() -> None:
    assert PROJECT["dynamic"] == ["version"]  # read from _version.py by setuptools
    assert importlib.metadata.version(PROJECT["name"]) == linkcheck.__version__
    result = CliRunner().invoke(command, ["--version"])
    assert result.stdout == f"linkcheck, version {linkcheck.__version__}\n"


def test_installed_as_linkcheck_markdown_imported_and_run_as_linkcheck() -> None:
    # "linkcheck" on PyPI is another project; the docs install this one by its own name.
    assert PROJECT["name"] == "linkcheck-markdown"
    assert PROJECT["scripts"] == {"linkcheck": "linkcheck._cli:main"}
    assert importlib.metadata.distribution(PROJECT["name"]).entry_points["linkcheck"].value == (
        "linkcheck._cli:main"
    )
