"""The examples a reader copies run: the package docstring's and the README's, as doctests
from the top of the checkout (where their `fixtures/` is)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import linkcheck

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def at_the_top(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_package_docstring_runs() -> None:
    failed, tried = doctest.testmod(linkcheck, report=True, raise_on_error=False)
    assert tried >= 5 and failed == 0


def test_the_readme_examples_run() -> None:
    """Every ```python block of the README, as one doctest each (the fence is no output)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", readme, re.M | re.S)
    runner = doctest.DocTestRunner()
    parser = doctest.DocTestParser()
    for number, block in enumerate(blocks, 1):
        test = parser.get_doctest(block, {}, f"README.md, python block {number}", None, 0)
        runner.run(test)
    failed, tried = runner.summarize(verbose=False)
    assert blocks and tried >= 3 and failed == 0
