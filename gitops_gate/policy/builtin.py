"""The built-in engine: rego-cpp (regopy), evaluating the same modules as conftest, in a bounded
child process (policy.builtin_worker). What rego-cpp would misread is refused first
(policy.faithful), so it never passes a policy it could not evaluate."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from gitops_gate._run import run
from gitops_gate.errors import ConfigError, ToolLimitError
from gitops_gate.policy import builtin_worker
from gitops_gate.policy.bounds import over_bounds
from gitops_gate.policy.capture import Capture
from gitops_gate.policy.faithful import check_all, rewrite_v0
from gitops_gate.policy.protocol import (
    Bounds,
    EvalFailure,
    Evaluation,
    PolicyData,
    PolicyInput,
    PolicyProblem,
    collect,
    excepted,
    exception_key,
)
from gitops_gate.policy.source import PolicyFile, PolicySet

_OFFSET = re.compile(
    r"\(error \d+:(?P<file>[^|]+)\|(?P<offset>\d+)\|\d+\s*\(errormsg \d+:(?P<msg>[^)]*)"
)
# rego-cpp's report of a module it cannot merge, printed when a query first needs it.
_WELLFORMED = re.compile(r"Errors:\s*\n(?P<msg>[^\n]+)\n-- (?P<file>[^\n]+?):(?P<line>\d+):\d+")
_EXCEPTION = re.compile(r"^[ \t]*exception\b", re.MULTILINE)
# A rule that reads data.conftest.file needs the input's file name: one query per file.
_FILE_DATA = re.compile(r"\bdata\.conftest\b")


class BuiltinEngine:
    """Evaluates each input with one compiled query over every deny/warn/violation rule.

    rego-cpp cannot be stopped from inside the process and its allocator reserves hundreds
    of GB up front, so the evaluation runs in a child Python under _run's time and
    resident-memory bounds (on 500 resources: +0.25 CPU-s, +0.5 s, mostly Python's start-up).
    """

    name = "builtin"

    def __init__(self, bounds: Bounds | None = None, rego_version: str = "v1") -> None:
        self.bounds = bounds or Bounds()
        self.rego_version = rego_version

    def evaluate(
        self, policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
    ) -> Evaluation:
        check_all(policies.files, rego_version=self.rego_version, builtin=True)
        if not policies.entrypoints():
            return Evaluation()

        request = builtin_worker.encode_request(policies, inputs, data, self.rego_version)
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
    policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData, rego_version: str = "v1"
) -> Evaluation:
    """The evaluation itself, in this process: what the worker runs (it owns descriptor 1)."""
    if rego_version == "v0":
        files = tuple(replace(f, text=rewrite_v0(f.text)) for f in policies.files)
        policies = PolicySet(files, policies.ref)
    entrypoints = policies.entrypoints()
    by_file = any(f.origin == "repo" and _FILE_DATA.search(f.text) for f in policies.files)
    out = Evaluation()
    failed: dict[int, set[str]] = {}
    with Capture() as capture:
        for key in sorted({i.context for i in inputs}):
            group = [i for i in inputs if i.context == key]
            compiled = _Compiled(policies, entrypoints, data.with_current(key), capture)
            compiled.run(group, out, failed, by_file=by_file)
        out.prints = capture.prints
    every = {i.id for i in inputs}
    for n in sorted(n for n, ids in failed.items() if ids == every):
        _one_problem(out, policies, entrypoints[n])
    return out


def _one_problem(out: Evaluation, policies: PolicySet, rule: tuple[str, str]) -> None:
    """A rule that failed on every input: one problem naming its file, not one per input."""
    detail = _failed(*rule)
    out.failures = [f for f in out.failures if f.detail != detail]
    found = [(f, _head_line(f, rule[1])) for f in policies.files if f.package == rule[0]]
    path, line = next(
        ((f.path, n) for f, n in found if n), (found[0][0].path, None) if found else (None, None)
    )
    # rego-cpp does not say which expression failed: the line is the rule's first head.
    what = f"{rule[0]}.{rule[1]} fails on every resource"
    out.problems.append(PolicyProblem("policy-error", path, line, what))


def _head_line(f: PolicyFile, rule: str) -> int | None:
    """The line of the rule's first head in f (rego-cpp does not say where it failed)."""
    match = re.search(rf"^{re.escape(rule)}\b", f.text, re.MULTILINE)
    return f.text.count("\n", 0, match.start()) + 1 if match else None


def _failed(pkg: str, rule: str) -> str:
    return f"{pkg}.{rule} failed to evaluate"


class _Compiled:
    """One interpreter and its modules for one context: each query compiled once (one per
    input file when a policy reads data.conftest.file), asked per input."""

    def __init__(
        self,
        policies: PolicySet,
        entrypoints: list[tuple[str, str]],
        data: dict[str, Any],
        capture: Capture,
    ) -> None:
        import regopy  # type: ignore[import-untyped]

        self.entrypoints = entrypoints
        self.files = policies.files
        self.capture = capture
        wanted = {pkg for pkg, _ in entrypoints}
        self.excepting = sorted(
            {f.package for f in self.files if _EXCEPTION.search(f.text)} & wanted
        )
        self.rego = regopy.Interpreter()
        self.bundles: dict[str, Any] = {}
        with self._compiling():
            for f in self.files:
                self.rego.add_module(f.path, f.text)
            self.rego.add_data(data)

    def _bundle(self, query: str) -> Any:
        if query not in self.bundles:
            with self._compiling():
                self.bundles[query] = self.rego.build(query, [])
        return self.bundles[query]

    def _query(self, query: str) -> Any | None:
        """The bindings of query over the current input, or None when it fails."""
        try:
            result = self.rego.query_bundle(self._bundle(query))
        except json.JSONDecodeError as e:  # an error regopy cannot read, recursion among them
            self.capture.take()
            raise _unreadable(e.doc, self.files) from e
        text = self.capture.take()
        if not result.ok():
            _raise_wellformed(text, self.files)
            return None
        self.capture.prints += [line for line in text.splitlines() if line.strip()]
        return result.results[0].bindings if result.results else {}

    def run(
        self,
        inputs: Sequence[PolicyInput],
        out: Evaluation,
        failed: dict[int, set[str]],
        *,
        by_file: bool,
    ) -> None:
        """Each input into out; failed gets, per entrypoint, the inputs it failed on."""
        for item in inputs:
            with_file = _with_file(item) if by_file else ""
            # Each rule wrapped in an array: one rule without a value (a complete rule whose
            # body fails, a name that is no rule) would otherwise leave the query without any.
            parts = [
                _ask(f"r{n}", f"{p}.{r}", with_file) for n, (p, r) in enumerate(self.entrypoints)
            ]
            parts += [
                _ask(f"e{n}", f"{p}.exception", with_file) for n, p in enumerate(self.excepting)
            ]
            self.rego.set_input(item.body)
            bindings = self._query("; ".join(parts))
            if bindings is None:
                self._one_by_one(item, with_file, out, failed)
                continue
            keys = {p: _keys(bindings.get(f"e{n}")) for n, p in enumerate(self.excepting)}
            for n, rule in enumerate(self.entrypoints):
                self._take(item.id, rule, keys, bindings.get(f"r{n}"), out)

    def _take(
        self,
        input_id: str,
        rule: tuple[str, str],
        keys: dict[str, set[str]],
        wrapped: Any,
        out: Evaluation,
    ) -> None:
        pkg, name = rule
        if exception_key(name) in keys.get(pkg, set()):
            out.exceptions.append(excepted(pkg, name, input_id))
            return
        values = wrapped[0] if isinstance(wrapped, list) and wrapped else None
        for value in values if isinstance(values, list) else []:
            collect(pkg, name, input_id, value, out)

    def _one_by_one(
        self, item: PolicyInput, with_file: str, out: Evaluation, failed: dict[int, set[str]]
    ) -> None:
        # One rule failed on this input: ask each rule alone to learn which, keep the others.
        keys = {}
        for pkg in self.excepting:
            found = self._query(_ask("r", f"{pkg}.exception", with_file))
            if found is None:
                out.failures.append(EvalFailure(item.id, pkg, _failed(pkg, "exception")))
            keys[pkg] = _keys((found or {}).get("r"))
        for n, (pkg, rule) in enumerate(self.entrypoints):
            found = self._query(_ask("r", f"{pkg}.{rule}", with_file))
            if found is None:
                out.failures.append(EvalFailure(item.id, pkg, _failed(pkg, rule)))
                failed.setdefault(n, set()).add(item.id)
                continue
            self._take(item.id, (pkg, rule), keys, found.get("r"), out)

    def _compiling(self) -> Any:
        return self.capture.compiling(lambda text: _compile_error(text, self.files))


def _ask(name: str, ref: str, with_file: str) -> str:
    return f"{name} := [v | v := data.{ref}{with_file}]"


def _with_file(item: PolicyInput) -> str:
    return f" with data.conftest.file as {json.dumps(item.conftest_file())}"


def _keys(wrapped: Any) -> set[str]:
    """The rule names an exception rule's value lists (a set of arrays of names)."""
    value = wrapped[0] if isinstance(wrapped, list) and wrapped else []
    lists = value if isinstance(value, list) else []
    return {
        name
        for names in lists
        if isinstance(names, list)
        for name in names
        if isinstance(name, str)
    }


def _raise_wellformed(text: str, files: Sequence[PolicyFile]) -> None:
    """A module rego-cpp could not merge (it says so only when a query needs it): the whole
    policy set is unreadable, an error at its file:line, not a failure on every resource."""
    match = _WELLFORMED.search(text)
    if match is None:
        return
    path = match.group("file").strip()
    known = next((f.path for f in files if f.path == path), path)
    what = f"the built-in engine (rego-cpp) cannot read this rule: {match.group('msg').strip()}"
    raise ConfigError(known, int(match.group("line")), what, hint=_REWRITE)


_ERRORMSG = re.compile(r"\(errormsg \d+:(?P<msg>[^)\n]*)")
_RULE_REF = re.compile(r"data\.(?P<pkg>[\w.]+)\.(?P<rule>\w+)")


def _unreadable(text: str, files: Sequence[PolicyFile]) -> ConfigError:
    """What rego-cpp reported as an error tree instead of a result (OPA refuses recursion
    when it compiles; rego-cpp when a query first meets it): at the rule it names."""
    found = _ERRORMSG.search(text)
    what = found.group("msg").strip() if found else "the query failed"
    ref = _RULE_REF.search(what)
    named = [f for f in files if ref is not None and f.package == ref.group("pkg")]
    repo = named or [f for f in files if f.origin == "repo"] or list(files)
    path = repo[0].path if repo else "policies"
    line = _head_line(repo[0], ref.group("rule")) if repo and ref is not None else None
    return ConfigError(path, line, f"Rego does not compile: {what[:200]}")


_REWRITE = (
    "rewrite the expression, or install conftest with `gitops-gate tools install` and run "
    "with --engine subprocess"
)


def _compile_error(text: str, files: Sequence[PolicyFile]) -> ConfigError:
    match = _OFFSET.search(text)
    if match is None:
        first = next((line.strip() for line in text.splitlines() if line.strip()), text)
        return ConfigError("policies", None, f"Rego does not compile: {first[:200]}")
    path = match.group("file")
    source = next((f.text for f in files if f.path == path), "")
    line = source.count("\n", 0, int(match.group("offset"))) + 1
    return ConfigError(path, line, f"Rego does not compile: {match.group('msg').strip()}")
