"""`policy_findings`: evaluate the policy set over loaded resources and say what it found."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from types import EllipsisType

from gitops_gate.config import Config
from gitops_gate.config.sections import PolicySection
from gitops_gate.findings import Finding, Severity
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Resource
from gitops_gate.policy.context import environment_of, policy_data
from gitops_gate.policy.library import rules
from gitops_gate.policy.protocol import RESULT_RULES, Bounds, Evaluation, Outcome, PolicyInput
from gitops_gate.policy.registry import select
from gitops_gate.policy.source import USER_DIR, PolicySet, load_policies
from gitops_gate.waivers import apply_waivers

CHECK = "policy"
# `rule_id := "x"` or `"rule": "x"` in a module: the ids its results carry without METADATA.
_RULE_LITERAL = re.compile(r'(?:\brule_id\s*:?=\s*|"rule"\s*:\s*)"([^"]+)"')
CHANGED = "policy-changed"
# Evaluates a policy set under a config with an engine mode: what policy_findings runs, by
# default over the loaded resources as written (gitops_gate.deployed: as environments render).
Evaluator = Callable[[PolicySet, Config, str], list[Finding]]
# Where an input's finding at a JSON pointer (None: the whole input) is: path, line, resource.
Locate = Callable[[str, str | None], tuple[str | None, int | None, ResourceKey | None]]


def policy_findings(
    load_result: LoadResult,
    config: Config,
    *,
    engine: str = "auto",
    base_ref: str | None = None,
    today: str | None = None,
    waivers_text: str | EllipsisType | None = ...,
    evaluator: Evaluator | None = None,
) -> list[Finding]:
    """Every policy finding over the loaded resources (or what evaluator finds), waivers applied.

    With base_ref, the repo's policies come from that ref (a change cannot weaken the policy it
    is checked against) and any change to them is a finding of its own. waivers_text is the
    waivers file as the base ref has it (None: none); by default the one in the work tree.
    """

    root = load_result.root
    policies = policy_set(root, config, ref=base_ref)
    mode = config.engine(CHECK) if engine == "auto" else engine
    if evaluator is None:
        findings = evaluate(policies, load_result.resources, config, engine=mode)
    else:
        findings = evaluator(policies, config, mode)
    if base_ref is not None:
        findings += changed_policies(root, config, policies)
    known = rule_ids(policies)
    resources = load_result.resources
    longest = config.waivers.max_days
    return apply_waivers(
        findings,
        resources,
        root,
        known_rules=known,
        today=today,
        longest=longest,
        file_text=waivers_text,
    )


def rule_ids(policies: PolicySet) -> set[str]:
    """Every id a finding of this policy set can carry, as far as its text says (for waivers)."""

    out = {r.id for r in rules(list(policies.files))}
    for package, rule in policies.entrypoints():
        out |= {package, f"{package}.{rule}"}
    for f in policies.files:
        out.update(_RULE_LITERAL.findall(f.text))
    return out


def policy_set(root: Path, config: Config, *, ref: str | None = None) -> PolicySet:
    section = config.policy
    dirs = (USER_DIR,) if section.paths is None else section.paths
    return load_policies(root, ref=ref, user_dirs=dirs, builtin=section.builtin)


def evaluate(
    policies: PolicySet, resources: Sequence[Resource], config: Config, *, engine: str = "auto"
) -> list[Finding]:
    """Run one engine over the resources; map its results to findings with file:line."""
    inputs, by_id = [], {}
    for n, res in enumerate(resources):
        env = environment_of(config, res.path)
        item = PolicyInput(f"{n:06d}", res.body, env.name if env else "")
        inputs.append(item)
        by_id[item.id] = res
    result, name = run_engine(policies, inputs, config, engine=engine)
    return findings_of(result, functools.partial(_at, by_id), config.policy, name)


def _at(
    by_id: dict[str, Resource], input_id: str, pointer: str | None
) -> tuple[str, int, ResourceKey]:
    res = by_id[input_id]
    return res.path, res.line_of(pointer) if pointer else res.line, res.key


def run_engine(
    policies: PolicySet, inputs: Sequence[PolicyInput], config: Config, *, engine: str = "auto"
) -> tuple[Evaluation, str]:
    """The chosen engine's evaluation of every policy over inputs, and the engine's name."""
    section = config.policy
    chosen = select(engine, Bounds(section.timeout, section.max_memory_mb))
    if not inputs:  # conftest refuses an empty input set ("no files found")
        return Evaluation(), chosen.name
    return chosen.evaluate(policies, inputs, policy_data(config)), chosen.name


def findings_of(
    result: Evaluation, locate: Locate, section: PolicySection, engine: str
) -> list[Finding]:
    """result's outcomes, failures and problems as findings, each input placed by locate."""
    disabled, overrides = section.disable, section.severity
    out = []
    for o in result.outcomes:
        rule = rule_id(o)
        if rule in disabled:
            continue
        severity = overrides.get(rule) or _severity(o)
        pointer = o.metadata.get("pointer")
        path, line, key = locate(o.input_id, pointer if isinstance(pointer, str) else None)
        extra = {"namespace": o.namespace, "engine": engine}
        out.append(Finding(rule, severity, o.message, CHECK, path, line, key, extra=extra))
    for fail in result.failures:
        path, line, key = locate(fail.input_id, None)
        msg = f"a policy failed while evaluating {key}: {fail.detail}"
        out.append(Finding("policy-error", Severity.ERROR, msg, CHECK, path, line, key))
    for p in result.problems:
        out.append(Finding(p.rule, Severity.ERROR, p.detail, CHECK, p.path, p.line))
    return sorted(out, key=lambda f: (*f.sort_key(), f.message))


def rule_id(outcome: Outcome) -> str:
    """The rule's id from its result metadata, else its package (plus a suffixed rule name)."""
    given = outcome.metadata.get("rule")
    if isinstance(given, str) and given:
        return given
    if outcome.rule in RESULT_RULES:
        return outcome.namespace
    return f"{outcome.namespace}.{outcome.rule}"


def _severity(outcome: Outcome) -> Severity:
    given = outcome.metadata.get("severity")
    if isinstance(given, str):
        try:
            return Severity.parse(given)
        except ValueError:
            pass
    return Severity.WARNING if outcome.rule.startswith("warn") else Severity.ERROR


def changed_policies(root: Path, config: Config, base: PolicySet) -> list[Finding]:
    """A finding for each repo policy file the change adds, edits or removes."""
    head = policy_set(root, config).repo_files()
    before = base.repo_files()
    # An error unless the base's config says otherwise (policy.severity), as for gate-changed.
    severity = config.policy.severity.get(CHANGED, Severity.ERROR)
    out = []
    for path in sorted(set(head) | set(before)):
        if head.get(path) == before.get(path):
            continue
        what = "adds" if path not in before else "removes" if path not in head else "changes"
        msg = (
            f"this change {what} policy {path}; it takes effect only after merge "
            "(policies were loaded from the base ref): ask a policy owner to review it"
        )
        out.append(Finding(CHANGED, severity, msg, CHECK, path, None))
    return out
