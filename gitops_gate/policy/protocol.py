"""What a policy engine takes and returns; conftest and the built-in engine both implement it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from gitops_gate.policy.source import PolicySet

RESULT_RULES = ("deny", "violation", "warn")


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """One resource to evaluate, and the key of its context (its environment, or "")."""

    id: str
    body: dict[str, Any]
    context: str = ""
    file_name: str = ""  # data.conftest.file.name: the input file's base name, as conftest
    file_dir: str = ""  # data.conftest.file.dir: its folder, absolute

    def conftest_file(self) -> dict[str, str]:
        return {"name": self.file_name, "dir": self.file_dir}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One deny/warn/violation result a policy produced for an input."""

    input_id: str
    namespace: str
    rule: str
    message: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EvalFailure:
    """A policy that failed while evaluating one input (the other inputs are still checked)."""

    input_id: str
    namespace: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """Policies that could not be judged at all, reported once, not once per resource.

    rule is policy-timeout, policy-resource-limit (past Bounds) or policy-error (a rule that
    errors on every input); path/line name the policy file when the engine can tell.
    """

    rule: str
    path: str | None
    line: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class Bounds:
    """What one policy evaluation may spend (`policy.timeout`, `policy.maxMemoryMB`): a policy
    that allocates without bound is a finding, not a hung CI job or an exhausted machine."""

    timeout: float = 120.0
    memory_mb: int = 2048


@dataclass(slots=True)
class Evaluation:
    """What the engine found; exceptions are the rules a conftest `exception` rule set aside
    for an input (one Outcome per rule and input, message as conftest prints it), prints what
    the policies' print() calls wrote."""

    outcomes: list[Outcome] = field(default_factory=list)
    failures: list[EvalFailure] = field(default_factory=list)
    problems: list[PolicyProblem] = field(default_factory=list)
    exceptions: list[Outcome] = field(default_factory=list)
    prints: list[str] = field(default_factory=list)

    def add(self, other: Evaluation) -> None:
        self.outcomes += other.outcomes
        self.failures += other.failures
        self.problems += other.problems
        self.exceptions += other.exceptions
        self.prints += other.prints


@dataclass(frozen=True, slots=True)
class PolicyData:
    """The data document: shared settings plus one context per environment key."""

    base: dict[str, Any]
    contexts: dict[str, dict[str, Any]]

    def with_current(self, key: str) -> dict[str, Any]:
        gate = dict(self.base.get("gitops_gate", {}))
        gate["context"] = {"current": self.contexts.get(key, self.contexts.get("", {}))}
        return {**self.base, "gitops_gate": gate}

    def with_files(self, files: dict[str, str]) -> dict[str, Any]:
        gate = dict(self.base.get("gitops_gate", {}))
        gate["context"] = {
            "files": {name: self.contexts.get(key, {}) for name, key in files.items()},
            "current": self.contexts.get("", {}),
        }
        return {**self.base, "gitops_gate": gate}


class PolicyEngine(Protocol):
    """Evaluates every policy of a set over every input, in one go."""

    name: str

    def evaluate(
        self, policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData
    ) -> Evaluation: ...


def exception_key(rule: str) -> str:
    """The name an `exception` rule lists to set a result rule aside, as conftest strips it:
    deny_run_as_root -> run_as_root, deny / warn / violation -> ""."""
    for prefix in RESULT_RULES:
        if rule == prefix or rule.startswith(prefix + "_"):
            return rule[len(prefix) + 1 :]
    return rule


def excepted(namespace: str, rule: str, input_id: str) -> Outcome:
    """An exception as conftest reports it (EXCP), naming the query that matched."""
    key = exception_key(rule)
    return Outcome(input_id, namespace, rule, f'data.{namespace}.exception[_][_] == "{key}"')


def collect(namespace: str, rule: str, input_id: str, value: Any, out: Evaluation) -> None:
    """One element of a result rule's value into out, as conftest takes it: a message, nothing
    (it passes), or, for an object without a string msg (conftest stops the run there), a
    failure of that rule on that input alone."""
    if isinstance(value, dict) and not isinstance(value.get("msg"), str):
        detail = f"{namespace}.{rule} returned an object without a string msg"
        out.failures.append(EvalFailure(input_id, namespace, detail))
    elif reported(value):
        out.outcomes.append(split_result(namespace, rule, input_id, value))


def reported(value: Any) -> bool:
    """Whether conftest reports a rule's value as a failure or warning: a non-empty string, or
    an object whose msg is one (an empty message, a number or a bare object counts as passing).
    """
    if isinstance(value, dict):
        value = value.get("msg")
    return isinstance(value, str) and value != ""


def split_result(namespace: str, rule: str, input_id: str, value: Any) -> Outcome:
    """A result as conftest reports it: a string, or an object with msg and metadata."""
    if isinstance(value, dict):
        meta = {k: v for k, v in value.items() if k != "msg"}
        return Outcome(input_id, namespace, rule, str(value.get("msg", "")), meta)
    return Outcome(input_id, namespace, rule, str(value))
