"""Mutation testing of the pipeline's decisions: do the tests tell a bug from a fix?

One small bug at a time is planted in a function that decides something a user sees —
how a link is classified, its severity (`level`), how a local target is resolved, the
resolver's verdict, what is redacted, which lines an ignore comment switches off — and
the tests that guard that stage are run against it. A mutant the tests do not notice
("survived") is a behaviour nothing checks: kill it with a test, or say why it cannot
matter (an equivalent mutant) in CONTRIBUTING.md ("Mutation testing").

    .venv/bin/python bench/mutants.py --sample 80 --seed 20      # a stated sample
    .venv/bin/python bench/mutants.py --list                     # every site, no run
    .venv/bin/python bench/mutants.py --only _redact.py          # one module, every site

Each mutant runs in a copy of `src/` put first on PYTHONPATH (the work tree is never
touched), with `pytest -x` over its stage's tests and a time bound (three times the
unmutated run, plus 30 s); a mutant that runs out of time counts as killed, as it
would fail CI. Operators: comparison flipped (`==`/`!=`, `<`/`<=`, `in`/`not in`,
`is`/`is not`), `and`/`or` swapped, an `if`/`while`/conditional test negated, a `not`
dropped, a number moved by one, `True`/`False` swapped, `+`/`-` swapped.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
#: The test runs under way (their process groups), to stop with this script.
_RUNNING: set[int] = set()


@dataclass(frozen=True)
class Target:
    """Functions of one module (qualified names) and the tests that guard them."""

    module: str  # relative to src/linkcheck
    functions: tuple[str, ...]
    tests: tuple[str, ...]


TARGETS = (
    Target(
        "_classify.py",
        ("Classifier.classify_all", "Classifier._decide", "Classifier._remote",
         "Classifier._relative", "Classifier._local", "_placeholder_reason", "_url_problem"),
        ("tests/test_classify.py", "tests/test_api.py"),
    ),
    Target(
        "_models.py",
        ("LinkResult.level",),
        ("tests/test_report_text.py", "tests/test_report_formats.py", "tests/test_api.py"),
    ),
    Target(
        "_local/_resolver.py",
        ("LocalResolver.check", "LocalResolver.fragment", "TargetRewrite.__call__",
         "TargetRewrite.changes"),
        ("tests/test_local.py", "tests/test_files.py"),
    ),
    Target(
        "_remote/_resolver.py",
        ("Resolver._verdict", "Resolver._accepted", "Resolver._refused",
         "Resolver._unaccepted", "Resolver._chain_problem", "Resolver._fetch_uncached",
         "Resolver._wait_after"),
        # Not test_http_server.py: its wall-clock bounds fail on a loaded machine, and a
        # flaky failure would count as a kill.
        ("tests/test_http.py", "tests/test_web_fidelity.py", "tests/test_remote_walls.py",
         "tests/test_soft404.py"),
    ),
    Target(
        "_remote/_hosts.py",
        ("retry_after", "rule_for"),
        ("tests/test_http.py", "tests/test_trust_secrets.py"),
    ),
    Target(
        "_redact.py",
        ("redact", "_user", "_parameter"),
        ("tests/test_trust_secrets.py",),
    ),
    Target(
        "_extract/_ignore.py",
        ("ignored_lines",),
        ("tests/test_extract.py", "tests/test_api.py"),
    ),
)  # fmt: skip

_FLIPPED: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
    ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One mutant: the `index`-th mutable node (in `ast.walk` order) of `function`."""

    target: Target
    function: str
    index: int
    line: int
    what: str

    @property
    def name(self) -> str:
        return f"{self.target.module}:{self.line} {self.function}: {self.what}"


_SOURCES: dict[str, str] = {}


def _source(module: str) -> str:
    """The module as it was when first read: edits to the work tree during a run change
    neither the mutants nor what each worker's copy is restored to."""
    if module not in _SOURCES:
        _SOURCES[module] = (SRC / "linkcheck" / module).read_text()
    return _SOURCES[module]


def _function(tree: ast.Module, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    scope: list[ast.stmt] = tree.body
    *outer, name = qualname.split(".")
    for part in outer:
        scope = next(n for n in scope if isinstance(n, ast.ClassDef) and n.name == part).body
    for node in scope:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    raise LookupError(f"no function {qualname}")


def _docstrings(function: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(function)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _mutations(node: ast.AST) -> Iterator[tuple[str, Callable[[], None]]]:
    """Each way to mutate `node` in place: (what it does, how)."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            flipped = _FLIPPED.get(type(op))
            if flipped is not None:

                def flip(i: int = i, flipped: type[ast.cmpop] = flipped) -> None:
                    node.ops[i] = flipped()

                yield f"{type(op).__name__} -> {flipped.__name__}", flip
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And

        def swap() -> None:
            node.op = other()

        yield f"{type(node.op).__name__} -> {other.__name__}", swap
    elif isinstance(node, ast.If | ast.While | ast.IfExp):

        def negate() -> None:
            node.test = ast.UnaryOp(ast.Not(), node.test)

        yield f"{type(node).__name__} condition negated", negate
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):

        def drop() -> None:  # `not x` -> `not not x`, which is `bool(x)`
            node.operand = ast.UnaryOp(ast.Not(), node.operand)

        yield "not dropped", drop
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):

        def toggle() -> None:
            node.value = not node.value

        yield f"{node.value} -> {not node.value}", toggle
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):

        def bump() -> None:
            node.value = node.value + 1

        yield f"{node.value!r} -> {node.value + 1!r}", bump
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        other_op = ast.Sub if isinstance(node.op, ast.Add) else ast.Add

        def arith() -> None:
            node.op = other_op()

        yield f"{type(node.op).__name__} -> {other_op.__name__}", arith


def _candidates(function: ast.AST) -> list[tuple[ast.AST, str, Callable[[], None]]]:
    skip = _docstrings(function)
    found = []
    for node in ast.walk(function):
        if id(node) in skip:
            continue
        for what, apply in _mutations(node):
            found.append((node, what, apply))
    return found


def sites(targets: tuple[Target, ...]) -> list[Site]:
    every = []
    for target in targets:
        tree = ast.parse(_source(target.module))
        for qualname in target.functions:
            try:
                function = _function(tree, qualname)
            except (LookupError, StopIteration):  # an older tree, or one moved since
                print(f"note: no {qualname} in {target.module}", file=sys.stderr)
                continue
            for index, (node, what, _) in enumerate(_candidates(function)):
                every.append(Site(target, qualname, index, getattr(node, "lineno", 0), what))
    return every


def mutated_source(site: Site) -> str:
    tree = ast.parse(_source(site.target.module))
    _node, _what, apply = _candidates(_function(tree, site.function))[site.index]
    apply()
    return ast.unparse(ast.fix_missing_locations(tree))


class Worker:
    """A copy of src/ to plant mutants in, one at a time."""

    def __init__(self, base: Path) -> None:
        self.src = base / "src"
        shutil.copytree(SRC, self.src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))

    def run(self, tests: tuple[str, ...], timeout: float) -> tuple[str, float]:
        env = dict(os.environ, PYTHONPATH=str(self.src), PYTHONDONTWRITEBYTECODE="1")
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
        started = time.monotonic()
        # A session of its own, so that a mutant out of time is stopped with everything
        # its tests started (servers, a linkcheck subprocess).
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        _RUNNING.add(process.pid)
        try:
            code = process.wait(timeout)
        except subprocess.TimeoutExpired:
            return "timeout", time.monotonic() - started
        finally:  # out of time, or this run stopped: nothing it started is left behind
            _RUNNING.discard(process.pid)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # 1: a test failed; 2 and more: collection failed (the mutant broke an import).
        return ("survived" if code == 0 else "killed"), time.monotonic() - started

    def plant(self, site: Site, text: str | None) -> None:
        path = self.src / "linkcheck" / site.target.module
        path.write_text(text if text is not None else _source(site.target.module))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="mutants drawn (0: every site)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--only", help="only targets whose module path contains this")
    parser.add_argument("--list", action="store_true", help="list the sites, run nothing")
    parser.add_argument("--out", help="write every result as JSON to this file")
    parser.add_argument("--survivors-of", help="run again only the survivors in this --out file")
    args = parser.parse_args()

    targets = tuple(t for t in TARGETS if not args.only or args.only in t.module)
    every = sites(targets)
    chosen = every
    if args.sample and args.sample < len(every):
        chosen = sorted(random.Random(args.seed).sample(every, args.sample), key=lambda s: s.name)
    if args.survivors_of:
        again = {
            r["site"] for r in json.loads(Path(args.survivors_of).read_text())
            if r["verdict"] == "survived"
        }  # fmt: skip
        chosen = [site for site in every if site.name in again]
    if args.list:
        for site in chosen:
            print(site.name)
        print(f"{len(chosen)} of {len(every)} sites")
        return

    def stop(signum: int, frame: object) -> None:
        for group in list(_RUNNING):
            os.killpg(group, signal.SIGKILL)
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        workers = [Worker(Path(tmp) / f"w{n}") for n in range(args.jobs)]
        baseline: dict[tuple[str, ...], float] = {}
        for target in {site.target for site in chosen}:
            verdict, seconds = workers[0].run(target.tests, timeout=1800)
            if verdict != "survived":  # unmutated, the tests must pass
                sys.exit(f"the tests of {target.module} fail without any mutant: {verdict}")
            baseline[target.tests] = seconds
        print(f"{len(chosen)} mutants of {len(every)} sites; baseline " + ", ".join(
            f"{' '.join(Path(t).stem for t in k)} {v:.0f} s" for k, v in baseline.items()
        ), flush=True)  # fmt: skip

        free = list(workers)
        lock = threading.Lock()
        results: list[dict[str, object]] = []

        def one(site: Site) -> None:
            with lock:
                worker = free.pop()
            try:
                worker.plant(site, mutated_source(site))
                bound = 3 * baseline[site.target.tests] + 30
                verdict, seconds = worker.run(site.target.tests, bound)
            finally:
                worker.plant(site, None)
                with lock:
                    free.append(worker)
            with lock:
                results.append({"site": site.name, "verdict": verdict, "seconds": round(seconds)})
                print(f"{len(results):3}/{len(chosen)} {verdict:8} {site.name}", flush=True)

        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(one, chosen))

    killed = sum(r["verdict"] != "survived" for r in results)
    timeouts = sum(r["verdict"] == "timeout" for r in results)
    print(
        f"\nkilled {killed} of {len(results)} ({100 * killed / len(results):.1f} %), "
        f"{timeouts} of them by the time bound; survivors:"
    )
    for r in sorted(results, key=lambda r: str(r["site"])):
        if r["verdict"] == "survived":
            print(f"  {r['site']}")
    if args.out:
        Path(args.out).write_text(
            json.dumps(sorted(results, key=lambda r: str(r["site"])), indent=1)
        )


if __name__ == "__main__":
    main()
