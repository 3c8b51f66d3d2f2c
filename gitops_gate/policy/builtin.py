"""The built-in engine: rego-cpp (regopy), evaluating the same modules as conftest, in a bounded
child process (policy.builtin_worker)."""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gitops_gate._run import run
from gitops_gate.errors import ConfigError, ToolLimitError
from gitops_gate.policy import builtin_worker
from gitops_gate.policy.bounds import over_bounds
from gitops_gate.policy.protocol import (
    Bounds,
    EvalFailure,
    Evaluation,
    PolicyData,
    PolicyInput,
    PolicyProblem,
    collect,
)
from gitops_gate.policy.source import PolicyFile, PolicySet

# rego-cpp prints compile errors on file descriptor 1; the lock keeps the redirect to one thread.
_STDOUT_LOCK = threading.Lock()
_OFFSET = re.compile(
    r"\(error \d+:(?P<file>[^|]+)\|(?P<offset>\d+)\|\d+\s*\(errormsg \d+:(?P<msg>[^)]*)"
)


class BuiltinEngine:
    """Evaluates each input with one compiled query over every deny/warn/violation rule.

    rego-cpp cannot be stopped from inside the process and its allocator reserves hundreds
    of GB up front, so the evaluation runs in a child Python under _run's time and
    resident-memory bounds (on 500 resources: +0.25 CPU-s, +0.5 s, mostly Python's start-up).
    """

    name = "builtin"

    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()

    def evaluate(
        self, policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
    ) -> Evaluation:
        if not policies.entrypoints():
            return Evaluation()

        request = builtin_worker.encode_request(policies, inputs, data)
        # The child imports this very package, wherever it was imported from.
        paths = [str(Path(__file__).resolve().parents[2])]  # the folder holding gitops_gate
        paths += [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        try:
            done = run(
                [sys.executable, "-m", builtin_worker.__name__],
                stdin=json.dumps(request),
                timeout=self.bounds.timeout,
                memory_mb=self.bounds.memory_mb,
                env={"PYTHONPATH": os.pathsep.join(paths)},
            )
        except ToolLimitError as e:
            return Evaluation(problems=[over_bounds(e.limit, self.bounds, policies)])
        return builtin_worker.decode_reply(done.stdout)


def evaluate_here(
    policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
) -> Evaluation:
    """The evaluation itself, in this process: what the worker runs."""
    entrypoints = policies.entrypoints()
    out = Evaluation()
    failed: dict[int, set[str]] = {}
    for key in sorted({i.context for i in inputs}):
        group = [i for i in inputs if i.context == key]
        _Compiled(policies, entrypoints, data.with_current(key)).run(group, out, failed)
    every = {i.id for i in inputs}
    for n in sorted(n for n, ids in failed.items() if ids == every):
        _one_problem(out, policies, entrypoints[n])
    return out


def _one_problem(out: Evaluation, policies: PolicySet, rule: tuple[str, str]) -> None:
    """A rule that failed on every input: one problem naming its file, not one per input."""
    detail = _failed(*rule)
    out.failures = [f for f in out.failures if f.detail != detail]
    path = next((f.path for f in policies.files if f.package == rule[0]), None)
    what = f"{rule[0]}.{rule[1]} fails on every resource"
    out.problems.append(PolicyProblem("policy-error", path, None, what))


def _failed(pkg: str, rule: str) -> str:
    return f"{pkg}.{rule} failed to evaluate"


class _Compiled:
    """One interpreter and bundle for one context: compiled once, queried per input."""

    def __init__(
        self, policies: PolicySet, entrypoints: list[tuple[str, str]], data: dict[str, Any]
    ) -> None:
        import regopy  # type: ignore[import-untyped]

        self.entrypoints = entrypoints
        self.files = policies.files
        self.rego = regopy.Interpreter()
        # Each rule wrapped in an array: one rule without a value (a complete rule whose body
        # fails, a name that is no rule) would otherwise leave the whole query without results.
        query = "; ".join(
            f"r{n} := [v | v := data.{pkg}.{rule}]" for n, (pkg, rule) in enumerate(entrypoints)
        )
        with _compiling(self.files):
            for f in self.files:
                self.rego.add_module(f.path, f.text)
            self.rego.add_data(data)
            self.bundle = self.rego.build(query, [])
        self._single: dict[int, Any] = {}

    def run(
        self, inputs: Sequence[PolicyInput], out: Evaluation, failed: dict[int, set[str]]
    ) -> None:
        """Each input into out; failed gets, per entrypoint, the inputs it failed on."""
        for item in inputs:
            self.rego.set_input(item.body)
            result = self.rego.query_bundle(self.bundle)
            if result.ok():
                bindings = result.results[0].bindings if result.results else {}
                self._collect(item.id, bindings, out)
            else:
                self._one_by_one(item, out, failed)

    def _collect(self, input_id: str, bindings: dict[str, Any], out: Evaluation) -> None:
        for n, (pkg, rule) in enumerate(self.entrypoints):
            wrapped = bindings.get(f"r{n}")
            values = wrapped[0] if isinstance(wrapped, list) and wrapped else None
            for value in values if isinstance(values, list) else []:
                collect(pkg, rule, input_id, value, out)

    def _one_by_one(self, item: PolicyInput, out: Evaluation, failed: dict[int, set[str]]) -> None:
        # One rule failed on this input: ask each rule alone to learn which, keep the others.
        for n, (pkg, rule) in enumerate(self.entrypoints):
            if n not in self._single:
                with _compiling(self.files):
                    self._single[n] = self.rego.build(f"r := data.{pkg}.{rule}", [])
            result = self.rego.query_bundle(self._single[n])
            if not result.ok():
                out.failures.append(EvalFailure(item.id, pkg, _failed(pkg, rule)))
                failed.setdefault(n, set()).add(item.id)
                continue
            values = result.results[0].bindings.get("r") if result.results else None
            for value in values if isinstance(values, list) else []:
                collect(pkg, rule, item.id, value, out)


@contextmanager
def _compiling(files: Sequence[PolicyFile]) -> Iterator[None]:
    """Silence rego-cpp's own printing and turn a compile error into path:line."""
    import regopy

    with _STDOUT_LOCK, tempfile.TemporaryFile() as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        try:
            yield
        except regopy.RegoError as e:
            raise _compile_error(str(e), files) from e
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _compile_error(text: str, files: Sequence[PolicyFile]) -> ConfigError:
    match = _OFFSET.search(text)
    if match is None:
        first = next((line.strip() for line in text.splitlines() if line.strip()), text)
        return ConfigError("policies", None, f"Rego does not compile: {first[:200]}")
    path = match.group("file")
    source = next((f.text for f in files if f.path == path), "")
    line = source.count("\n", 0, int(match.group("offset"))) + 1
    return ConfigError(path, line, f"Rego does not compile: {match.group('msg').strip()}")
