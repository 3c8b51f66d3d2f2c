"""The conftest engine: one `conftest test` over every input, results mapped back to resources."""

from __future__ import annotations

import itertools
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gitops_gate._run import Completed, go_gc_env, run
from gitops_gate.errors import ConfigError, ToolError, ToolLimitError
from gitops_gate.policy import batch
from gitops_gate.policy.bounds import OverBounds, over_bounds
from gitops_gate.policy.faithful import check_all
from gitops_gate.policy.protocol import (
    Bounds,
    EvalFailure,
    Evaluation,
    Outcome,
    PolicyData,
    PolicyInput,
    PolicyProblem,
    split_result,
)
from gitops_gate.policy.source import PolicySet

PROCESSES = max(1, os.cpu_count() or 1)
PER_PROCESS = 50  # inputs a process must have before a second one is worth starting
BATCH_PER_PROCESS = 250  # the same, for the batch: each input costs conftest far less there
# conftest holds all its inputs at once, about 65 KB each: a bigger repo is more runs of at
# most this many, PROCESSES at a time, so memory stays flat (bench/scale.py).
MAX_PER_PROCESS = 1_000
T = TypeVar("T")
_COMPILE = re.compile(r"(\S+\.rego):(\d+): (rego_\w+_error): (.*)")
_EVAL = re.compile(r"(\S+\.rego):(\d+): (eval_\w+|rego_\w+): (.*)")
_IF_NO_CONTAINS = re.compile(
    r"(rule is using 'if' keyword without 'contains' keyword): rule in (\S+\.rego) at line (\d+)"
)


class ConftestEngine:
    """Runs the pinned conftest binary over every input in one batch (policy.batch).

    A rule that errors is isolated by halving the rules, then its inputs: the other rules keep
    their results, and a rule that errors on every input is one problem, not a run per input.
    A policy set with conftest exceptions runs conftest's own way instead: one JSON file per
    resource. Either way the inputs are split over one process per core once there are enough
    of them to outweigh a second process compiling the policies. Each process is bounded in
    time and memory (Bounds); past either, the evaluation is one problem.
    """

    name = "conftest"

    def __init__(
        self, binary: Path, bounds: Bounds | None = None, rego_version: str = "v1"
    ) -> None:
        self.binary = binary
        self.bounds = bounds or Bounds()
        self.rego_version = rego_version
        self._excepting: set[str] = set()  # packages with conftest exceptions, per evaluation

    def evaluate(
        self, policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
    ) -> Evaluation:
        check_all(policies.files, rego_version=self.rego_version, builtin=False)
        with tempfile.TemporaryDirectory(prefix="gitops-gate-policy-") as tmp:
            work = Path(tmp)
            names = _write_policies(work / "policies", policies)
            entrypoints = policies.entrypoints()
            try:
                if entrypoints:
                    self._excepting = batch.excepting(policies)
                    return self._batched(work, names, list(inputs), data, entrypoints)
                return self._per_file(work, names, list(inputs), data)
            except OverBounds as e:
                return Evaluation(problems=[over_bounds(e.what, e.bounds, policies)])

    def _conftest(self, argv: list[str | Path]) -> Completed:
        try:
            done = run(
                [*argv[:2], "--rego-version", self.rego_version, *argv[2:]],
                timeout=self.bounds.timeout,
                ok_codes=(0, 1, 2),
                env=go_gc_env(),
                memory_mb=self.bounds.memory_mb,
            )
        except ToolLimitError as e:
            raise OverBounds(e.limit, self.bounds) from e
        return done

    def _batched(
        self,
        work: Path,
        names: dict[str, str],
        inputs: list[PolicyInput],
        data: PolicyData,
        entrypoints: list[tuple[str, str]],
    ) -> Evaluation:
        (work / "batch.json").write_text(json.dumps(batch.data_document(data)))
        parts = split(inputs, processes=PROCESSES, at_least=BATCH_PER_PROCESS)

        def one(n: int) -> Evaluation:
            try:
                return self._isolate(work, names, entrypoints, parts[n])
            except _Unbatchable:  # a rule the module cannot ask: conftest's own way
                return self._per_file(work, names, parts[n], data)

        return _gather(one, len(parts))

    def _isolate(
        self,
        work: Path,
        names: dict[str, str],
        entrypoints: list[tuple[str, str]],
        inputs: list[PolicyInput],
    ) -> Evaluation:
        """The batch; when a rule errors (conftest stops there), each half of the rules again."""
        found = self._run_batch(work, names, entrypoints, inputs)
        if isinstance(found, Evaluation):
            return found
        if len(entrypoints) == 1:
            return self._one_rule(work, names, entrypoints[0], inputs, found)
        out, half = Evaluation(), len(entrypoints) // 2
        for part in (entrypoints[:half], entrypoints[half:]):
            out.add(self._isolate(work, names, part, inputs))
        return out

    def _one_rule(
        self,
        work: Path,
        names: dict[str, str],
        rule: tuple[str, str],
        inputs: list[PolicyInput],
        error: str,
    ) -> Evaluation:
        """A rule that errors: its failing inputs, found by halving; when every half and then
        every quarter fails too, it errors on every input and is one problem (7 runs, not 2N)."""
        out, failing, every = Evaluation(), [(inputs, error)], True
        for level in itertools.count():
            bigger = [part for part, _ in failing if len(part) > 1]
            if every and (level == 2 or not bigger):
                return Evaluation(problems=[_rule_error(rule, failing[0][1], names)])
            out.failures += [_failure(p[0].id, e, names) for p, e in failing if len(p) == 1]
            if not bigger:
                return out
            failing = []
            for part in (h for p in bigger for h in (p[: len(p) // 2], p[len(p) // 2 :])):
                found = self._run_batch(work, names, [rule], part)
                if isinstance(found, Evaluation):
                    out.add(found)
                    every = False
                else:
                    failing.append((part, found))
        return out

    def _run_batch(
        self,
        work: Path,
        names: dict[str, str],
        entrypoints: list[tuple[str, str]],
        inputs: list[PolicyInput],
    ) -> Evaluation | str:
        """The batch module for entrypoints over inputs: its evaluation, or conftest's error."""
        here = Path(tempfile.mkdtemp(prefix="batch-", dir=work))
        (here / "module").mkdir()
        (here / "module" / batch.MODULE_NAME).write_text(batch.module(entrypoints, self._excepting))
        (here / "inputs.json").write_text(json.dumps(batch.input_document(inputs)))
        argv: list[str | Path] = [self.binary, "test", "--namespace", batch.PACKAGE]
        argv += ["--no-fail", "--no-color", "-o", "json", "-d", work / "batch.json"]
        argv += ["-p", work / "policies", "-p", here / "module", here / "inputs.json"]
        done = self._conftest(argv)
        if done.returncode == 0:
            return batch.evaluation(_results(done.stdout), entrypoints)
        if batch.MODULE_NAME in done.stderr:
            raise _Unbatchable
        _raise_compile_error(done.stderr, names)
        if not _EVAL.search(done.stderr):
            raise ToolError(done.argv, done.returncode, done.stderr)
        return done.stderr

    def _per_file(
        self, work: Path, names: dict[str, str], inputs: list[PolicyInput], data: PolicyData
    ) -> Evaluation:
        """conftest's own way: one JSON file per input, every namespace queried per file."""
        folder = Path(tempfile.mkdtemp(prefix="per-file-", dir=work))
        files = {f"{i.id}.json": i.context for i in inputs}
        (folder / "data.json").write_text(json.dumps(data.with_files(files)))
        parts = split(inputs, processes=PROCESSES, at_least=PER_PROCESS)
        for n, part in enumerate(parts):
            (folder / str(n)).mkdir()
            for item in part:
                (folder / str(n) / f"{item.id}.json").write_text(json.dumps(item.body))

        def one(n: int) -> Evaluation:
            return self._run(_Run(work, names, folder, folder / str(n)), [i.id for i in parts[n]])

        return _gather(one, len(parts))

    def _run(self, at: _Run, ids: list[str], *, whole: bool = True) -> Evaluation:
        argv: list[str | Path] = [self.binary, "test", "--all-namespaces", "--no-fail"]
        argv += ["--no-color", "-o", "json", "-p", at.work / "policies"]
        targets = [at.inputs] if whole else [at.inputs / f"{i}.json" for i in ids]
        argv += ["-d", at.folder / "data.json", *targets]
        done = self._conftest(argv)
        if done.returncode == 0:
            return _parse(done.stdout)
        _raise_compile_error(done.stderr, at.names)
        if not _EVAL.search(done.stderr) or not ids:
            raise ToolError(done.argv, done.returncode, done.stderr)
        return self._bisect(at, ids, done.stderr)

    def _bisect(self, at: _Run, ids: list[str], stderr: str) -> Evaluation:
        # conftest stops at the first evaluation error without naming the input: halve until
        # the failing inputs stand alone, so every other resource is still checked.
        if len(ids) == 1:
            return Evaluation(failures=[_failure(ids[0], stderr, at.names)])
        half = len(ids) // 2
        out = Evaluation()
        for part in (ids[:half], ids[half:]):
            out.add(self._run(at, part, whole=False))
        return out


class _Unbatchable(Exception):
    """conftest cannot run the batch module over these rules (it names the module)."""


@dataclass(frozen=True, slots=True)
class _Run:
    """What one per-file conftest run reads: the policies (under work, with the names users
    know them by), its data file (in folder) and its folder of inputs."""

    work: Path
    names: dict[str, str]
    folder: Path
    inputs: Path


def split(inputs: list[T], *, processes: int, at_least: int) -> list[list[T]]:
    """inputs in up to `processes` contiguous parts of at least `at_least` each (one if fewer),
    more parts when that leaves one with over MAX_PER_PROCESS."""
    at_most = -(-len(inputs) // MAX_PER_PROCESS)
    count = max(1, min(processes, len(inputs) // max(1, at_least)), at_most)
    size = max(1, -(-len(inputs) // count))
    return [inputs[i : i + size] for i in range(0, len(inputs), size)] or [inputs]


def _write_policies(folder: Path, policies: PolicySet) -> dict[str, str]:
    """Write each module under a unique name; return written name -> the path users know."""
    folder.mkdir()
    names = {}
    for n, f in enumerate(policies.files):
        name = f"{n:03d}_{Path(f.path).name}"
        (folder / name).write_text(f.text)
        names[name] = f.path
    return names


def _raise_compile_error(stderr: str, names: dict[str, str]) -> None:
    found = _IF_NO_CONTAINS.search(stderr)
    if found:
        path = names.get(Path(found.group(2)).name, found.group(2))
        hint = "write `deny contains msg if`, the Rego v1 form of a partial set rule"
        raise ConfigError(path, int(found.group(3)), found.group(1), hint=hint)
    match = _COMPILE.search(stderr)
    if match and "eval_" not in match.group(3):
        path = names.get(Path(match.group(1)).name, match.group(1))
        raise ConfigError(path, int(match.group(2)), f"{match.group(3)}: {match.group(4)}")


def _rule_error(rule: tuple[str, str], stderr: str, names: dict[str, str]) -> PolicyProblem:
    match = _EVAL.search(stderr)
    what = f"{rule[0]}.{rule[1]} fails on every resource"
    if match is None:
        return PolicyProblem("policy-error", None, None, f"{what}: {_last(stderr)}")
    where = names.get(Path(match.group(1)).name, match.group(1))
    return PolicyProblem("policy-error", where, int(match.group(2)), f"{what}: {match.group(4)}")


def _last(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    return lines[-1][:300] if lines else "no message"


def _failure(input_id: str, stderr: str, names: dict[str, str]) -> EvalFailure:
    match = _EVAL.search(stderr)
    if match is None:
        return EvalFailure(input_id, None, stderr.strip().splitlines()[-1][:300])
    where = names.get(Path(match.group(1)).name, match.group(1))
    return EvalFailure(input_id, None, f"{where}:{match.group(2)}: {match.group(4)}")


def _gather(one: Callable[[int], Evaluation], count: int) -> Evaluation:
    """one(n) for each of count parts, side by side when there are several."""
    if count == 1:
        return one(0)
    with ThreadPoolExecutor(min(count, PROCESSES), thread_name_prefix="conftest") as pool:
        found = list(pool.map(one, range(count)))
    out = Evaluation()
    for e in found:
        out.add(e)
    return out


def _results(stdout: str) -> list[dict[str, Any]]:
    try:
        results: list[dict[str, Any]] = json.loads(stdout or "[]")
    except json.JSONDecodeError as e:
        raise ToolError(["conftest"], 0, stdout[-300:], message="conftest printed no JSON") from e
    return results


def _parse(stdout: str) -> Evaluation:
    out = Evaluation()
    for block in _results(stdout):
        input_id = Path(str(block.get("filename", ""))).stem
        for item in block.get("exceptions") or []:
            namespace = str(block.get("namespace", ""))
            key = str(item.get("msg", "")).rpartition("==")[2].strip().strip('"')
            out.exceptions.append(Outcome(input_id, namespace, key, str(item.get("msg", ""))))
        for key in ("failures", "warnings"):
            for item in block.get(key) or []:
                meta = dict(item.get("metadata") or {})
                namespace, _, rule = (
                    str(meta.pop("query", "")).removeprefix("data.").rpartition(".")
                )
                value = {"msg": item.get("msg", ""), **meta}
                out.outcomes.append(split_result(namespace, rule, input_id, value))
    return out
