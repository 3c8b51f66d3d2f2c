"""The built-in engine: rego-cpp (regopy) in process, evaluating the same modules as conftest."""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from gitops_gate.errors import ConfigError
from gitops_gate.policy.protocol import (
    Bounds,
    EvalFailure,
    Evaluation,
    PolicyData,
    PolicyInput,
    collect,
)
from gitops_gate.policy.source import PolicyFile, PolicySet

# rego-cpp prints compile errors on file descriptor 1; the lock keeps the redirect to one thread.
_STDOUT_LOCK = threading.Lock()
_OFFSET = re.compile(
    r"\(error \d+:(?P<file>[^|]+)\|(?P<offset>\d+)\|\d+\s*\(errormsg \d+:(?P<msg>[^)]*)"
)


class BuiltinEngine:
    """Evaluates each input with one compiled query over every deny/warn/violation rule."""

    name = "builtin"

    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()

    def evaluate(
        self, policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
    ) -> Evaluation:
        entrypoints = policies.entrypoints()
        out = Evaluation()
        if not entrypoints:
            return out
        for key in sorted({i.context for i in inputs}):
            group = [i for i in inputs if i.context == key]
            _Compiled(policies, entrypoints, data.with_current(key)).run(group, out)
        return out


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

    def run(self, inputs: Sequence[PolicyInput], out: Evaluation) -> None:
        for item in inputs:
            self.rego.set_input(item.body)
            result = self.rego.query_bundle(self.bundle)
            if result.ok():
                bindings = result.results[0].bindings if result.results else {}
                self._collect(item.id, bindings, out)
            else:
                self._one_by_one(item, out)

    def _collect(self, input_id: str, bindings: dict[str, Any], out: Evaluation) -> None:
        for n, (pkg, rule) in enumerate(self.entrypoints):
            wrapped = bindings.get(f"r{n}")
            values = wrapped[0] if isinstance(wrapped, list) and wrapped else None
            for value in values if isinstance(values, list) else []:
                collect(pkg, rule, input_id, value, out)

    def _one_by_one(self, item: PolicyInput, out: Evaluation) -> None:
        # One rule failed on this input: ask each rule alone to learn which, keep the others.
        for n, (pkg, rule) in enumerate(self.entrypoints):
            if n not in self._single:
                with _compiling(self.files):
                    self._single[n] = self.rego.build(f"r := data.{pkg}.{rule}", [])
            result = self.rego.query_bundle(self._single[n])
            if not result.ok():
                detail = f"{pkg}.{rule} failed to evaluate"
                out.failures.append(EvalFailure(item.id, pkg, detail))
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
