"""The GitHub Action (action.yml), the pre-commit hooks and the CI docs that use them:
valid YAML, every input declared and used, no input pasted into a shell script, every
script valid bash, and the run step run for real against a folder of articles."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def step(name: str) -> dict[str, Any]:
    (found,) = (s for s in STEPS if s["name"] == name)
    return found


def expressions(node: Any) -> list[str]:
    if isinstance(node, dict):  # an `if:` is an expression without ${{ }}
        condition = [node["if"]] if isinstance(node.get("if"), str) else []
        return condition + [e for value in node.values() for e in expressions(value)]
    if isinstance(node, list):
        return [e for value in node for e in expressions(value)]
    return EXPRESSION.findall(node) if isinstance(node, str) else []


def test_every_input_is_declared_and_used() -> None:
    used = {m for e in expressions(ACTION["runs"]) for m in re.findall(r"inputs\.([\w-]+)", e)}
    used |= {m for e in expressions(ACTION["outputs"]) for m in re.findall(r"inputs\.([\w-]+)", e)}
    assert used == set(ACTION["inputs"])
    for name in ("args", "paths", "fail", "format", "output", "job-summary", "token",
                 "working-directory", "changed-only", "sarif"):  # fmt: skip
        assert name in ACTION["inputs"], name
    assert ACTION["inputs"]["token"]["default"] == "${{ github.token }}"


def test_the_format_input_names_every_report_format() -> None:
    from linkcheck._report import WRITERS

    described = ACTION["inputs"]["format"]["description"]
    named = set(re.search(r"\(([^)]*)\)", described).group(1).split(", "))
    assert set(WRITERS) <= named


def test_outputs_come_from_steps_that_exist() -> None:
    ids = {s.get("id") for s in STEPS}
    for output in ACTION["outputs"].values():
        (step_id,) = re.findall(r"steps\.([\w-]+)\.outputs", output["value"])
        assert step_id in ids
    assert {"exit-code", "report"} <= set(ACTION["outputs"])


def test_no_expression_is_pasted_into_a_shell_script() -> None:
    """`${{ inputs.args }}` in a run: script would run whatever a pull request puts there;
    inputs reach the scripts only as environment variables."""
    scripts = [s["run"] for s in STEPS if "run" in s]
    assert len(scripts) == 3
    assert all("${{" not in script for script in scripts)


@pytest.mark.parametrize("name", [s["name"] for s in STEPS if "run" in s])
def test_every_script_is_valid_bash(name: str) -> None:
    done = subprocess.run(["bash", "-n"], input=step(name)["run"], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")


def test_the_cache_is_saved_even_when_links_fail_and_python_is_left_alone() -> None:
    uses = [s.get("uses", "") for s in STEPS]
    assert not any("setup-python" in u for u in uses)
    assert "actions/cache/restore@v4" in uses and "actions/cache/save@v4" in uses
    save = step("Save the result cache")
    assert save["if"].startswith("always()")
    assert save["with"]["key"] == "${{ steps.restore.outputs.cache-primary-key }}"
    restore = step("Restore the result cache")
    assert "github.run_id" in restore["with"]["key"]  # a new key each run, so each run saves
    assert restore["with"]["restore-keys"] in restore["with"]["key"]
    # The run step never fails the job itself: the cache is saved before the verdict.
    names = [s["name"] for s in STEPS]
    assert names.index("Save the result cache") < names.index("Fail on failing links")
    assert "runner.temp" in step("Install linkcheck")["env"]["LINKCHECK_VENV"]


def run_step(
    tmp_path: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The "Run linkcheck" step as the runner runs it, with this venv's linkcheck."""
    env_of_step = step("Run linkcheck")["env"]
    defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    values = defaults | inputs
    env = {
        k: EXPRESSION.sub(lambda m: values.get(m.group(1).strip().removeprefix("inputs."), ""), v)
        for k, v in env_of_step.items()
    }
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    env |= {
        "LINKCHECK_VENV": sys.prefix, "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary), "BASE_REF": "", "GITHUB_TOKEN": "",
        "PATH": os.environ["PATH"], "HOME": str(tmp_path),
    }  # fmt: skip
    done = subprocess.run(
        ["bash", "-c", step("Run linkcheck")["run"]],
        cwd=tmp_path / "repo", env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done, outputs


def test_the_run_step_reports_annotates_and_summarises(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "my articles").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("[READ MORE](#)\n")
    (repo / "my articles" / "b.md").write_text("[b](../docs/a.md) and [c](nope.md)\n")
    # Quotes group a path with a space; $(…) and ; are text, not commands.
    done, outputs = run_step(
        tmp_path,
        paths="docs 'my articles'",
        args="--offline --no-cache --exclude '$(touch pwned); touch pwned2'",
    )
    assert done.returncode == 0, done.stderr
    assert outputs == {
        "exit-code": "1",
        "report": str(repo / "linkcheck-report.json"),
        "sarif-file": "",
    }
    assert not list(tmp_path.rglob("pwned*"))
    assert done.stdout.splitlines() == [
        "::error file=docs/a.md,line=1,col=1,title=linkcheck%3A placeholder::placeholder link #: link target is only '#' (link text: READ MORE)",
        "::error file=my articles/b.md,line=1,col=23,title=linkcheck%3A broken::broken link nope.md: file not found: my articles/nope.md (link text: c)",
    ]
    report = json.loads((repo / "linkcheck-report.json").read_text())
    assert report["files"] == ["docs/a.md", "my articles/b.md"]
    assert (tmp_path / "summary.md").read_text().startswith("## linkcheck: ❌ failed\n")


def test_the_run_step_writes_sarif_and_passes_a_clean_folder(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "a.md").write_text("# A\n\n[self](#a)\n")
    done, outputs = run_step(
        tmp_path, args="--offline --no-cache", sarif="true", format="junit", output="j.xml",
        **{"job-summary": "false"},
    )  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert outputs["exit-code"] == "0"
    assert json.loads(Path(outputs["sarif-file"]).read_text())["version"] == "2.1.0"
    assert Path(outputs["report"]).read_text().startswith("<?xml")
    assert not (tmp_path / "summary.md").exists()
    # A folder that does not exist: linkcheck says so before the run, exit 2.
    done, outputs = run_step(tmp_path, args="--offline", output="out/j.xml")
    assert (outputs["exit-code"], done.stderr) == (
        "2",
        "linkcheck: error: cannot write out/j.xml: No such file or directory\n",
    )


def test_a_bad_input_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    done = subprocess.run(
        ["bash", "-c", step("Run linkcheck")["run"]],
        cwd=tmp_path / "repo", capture_output=True, text=True, timeout=60,
        env={"LINKCHECK_VENV": sys.prefix, "LINKCHECK_ARGS": "--exclude 'unclosed",
             "GITHUB_OUTPUT": str(tmp_path / "o"), "PATH": os.environ["PATH"]},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        1,
        "::error title=linkcheck::input args: No closing quotation\n",
    )


@pytest.mark.parametrize(
    ("code", "fail", "job"),
    [("1", "true", 1), ("1", "false", 0), ("2", "false", 2), ("2", "true", 2)],
)
def test_the_verdict_step(code: str, fail: str, job: int) -> None:
    verdict = step("Fail on failing links")
    assert verdict["if"].startswith("always()")
    done = subprocess.run(
        ["bash", "-c", verdict["run"]], capture_output=True, text=True, timeout=10,
        env={"LINKCHECK_EXIT": code, "LINKCHECK_FAIL": fail, "PATH": os.environ["PATH"]},
    )  # fmt: skip
    assert done.returncode == job


# --- the docs use the Action and the hooks as they are ----------------------------------


def yaml_blocks(markdown: str) -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", markdown, re.S)]


def uses_of_the_action(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if str(node.get("uses", "")).startswith("OWNER/linkcheck@") else []
        return found + [u for value in node.values() for u in uses_of_the_action(value)]
    if isinstance(node, list):
        return [u for value in node for u in uses_of_the_action(value)]
    return []


def test_the_workflows_in_the_docs_use_only_inputs_the_action_has() -> None:
    uses = [u for doc in ("README.md", "docs/ci.md") for block in yaml_blocks((ROOT / doc).read_text()) for u in uses_of_the_action(block)]  # fmt: skip
    assert len(uses) >= 3
    for use in uses:
        assert set(use.get("with", {})) <= set(ACTION["inputs"]), use


def test_the_pre_commit_hooks_run_the_installed_command() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    ids = {hook["id"] for hook in hooks}
    assert {"linkcheck-offline", "linkcheck"} <= ids
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].split()[0] in scripts
    used = [h["id"] for block in yaml_blocks((ROOT / "docs/ci.md").read_text()) if isinstance(block, dict) for repo in block.get("repos", []) for h in repo["hooks"]]  # fmt: skip
    assert used and set(used) <= ids


def shell_lines(node: Any, key: str | None = None) -> list[str]:
    """The shell commands in CI YAML: `run:` (GitHub), `script:` (GitLab), container args."""
    if isinstance(node, dict):
        return [line for k, value in node.items() for line in shell_lines(value, k)]
    if isinstance(node, list):
        return [line for value in node for line in shell_lines(value, key)]
    return [node] if isinstance(node, str) and key in ("run", "script", "args") else []


def test_the_docs_shell_lines_are_valid_and_use_real_options() -> None:
    from click.testing import CliRunner

    from linkcheck._cli import command

    helps = {
        "check": CliRunner().invoke(command, ["--help"]).stdout,
        "merge": CliRunner().invoke(command, ["merge", "--help"]).stdout,
    }
    lines = [line for block in yaml_blocks((ROOT / "docs/ci.md").read_text()) for line in shell_lines(block)]  # fmt: skip
    assert len(lines) >= 8
    invocations = 0
    for line in lines:
        if "${{" in line:  # GitHub fills these in before the shell sees them
            line = EXPRESSION.sub("X", line)
        done = subprocess.run(["bash", "-n"], input=line, capture_output=True, text=True)
        assert done.returncode == 0, (line, done.stderr)
        for call in re.findall(r"linkcheck( merge)?((?: [^|;&]+)?)", line):
            options = re.findall(r"(?<![\w-])(--[a-z][\w-]*)", call[1])
            invocations += bool(options)
            for option in options:
                assert option in helps["merge" if call[0] else "check"], (option, line)
    assert invocations >= 4
