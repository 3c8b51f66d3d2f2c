"""`policy_findings`: evaluate the policy set over loaded resources and say what it found."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from types import EllipsisType

from gitops_gate.config import Config
from gitops_gate.config.sections import PolicySection
from gitops_gate.findings import Finding, Severity, Waiver
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Resource
from gitops_gate.policy.context import environment_of, policy_data
from gitops_gate.policy.library import rules
from gitops_gate.policy.options import PolicyOptions, data_files, merge
from gitops_gate.policy.protocol import (
    RESULT_RULES,
    Bounds,
    Evaluation,
    Outcome,
    PolicyData,
    PolicyInput,
)
from gitops_gate.policy.registry import select
from gitops_gate.policy.source import USER_DIR, PolicySet, load_policies
from gitops_gate.waivers import apply_waivers

CHECK = "policy"
# `rule_id := "x"` or `"rule": "x"` in a module: the ids its results carry without METADATA.
_RULE_LITERAL = re.compile(r'(?:\brule_id\s*:?=\s*|"rule"\s*:\s*)"([^"]+)"')
CHANGED = "policy-changed"
# Evaluates a policy set under a config with an engine mode and options: what policy_findings
# runs, by default over the loaded resources as written (gitops_gate.deployed: as rendered).
Evaluator = Callable[[PolicySet, Config, str, PolicyOptions], list[Finding]]
# Where an input's finding at a JSON pointer (None: the whole input) is: path, line, resource.
Locate = Callable[[str, str | None], tuple[str | None, int | None, ResourceKey | None]]
FALLBACK = (
    "conftest was not found, so the built-in engine (rego-cpp) ran; `gitops-gate tools "
    "install` installs the pinned conftest, which `auto` then uses"
)


def policy_findings(
    load_result: LoadResult,
    config: Config,
    *,
    engine: str = "auto",
    base_ref: str | None = None,
    today: str | None = None,
    waivers_text: str | EllipsisType | None = ...,
    evaluator: Evaluator | None = None,
    options: PolicyOptions | None = None,
) -> list[Finding]:
    """Every policy finding over the loaded resources (or what evaluator finds), waivers applied.

    With base_ref, the repo's policies come from that ref (a change cannot weaken the policy it
    is checked against) and any change to them is a finding of its own. waivers_text is the
    waivers file as the base ref has it (None: none); by default the one in the work tree.
    """

    root = load_result.root
    options = options or PolicyOptions()
    policies = policy_set(root, config, ref=base_ref, namespaces=options.namespaces)
    mode = config.engine(CHECK) if engine == "auto" else engine
    if evaluator is None:
        findings = evaluate(policies, load_result.resources, config, engine=mode, options=options)
    else:
        findings = evaluator(policies, config, mode, options)
    if base_ref is not None:
        findings += changed_policies(root, config, policies)
    known = rule_ids(policies)
    resources = load_result.resources
    longest = config.waivers.max_days
    excepted = [f for f in findings if f.waiver is not None]
    findings = [f for f in findings if f.waiver is None]
    return excepted + apply_waivers(
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


def policy_set(
    root: Path,
    config: Config,
    *,
    ref: str | None = None,
    namespaces: tuple[str, ...] | None = None,
) -> PolicySet:
    section = config.policy
    dirs = (USER_DIR,) if section.paths is None else section.paths
    found = load_policies(root, ref=ref, user_dirs=dirs, builtin=section.builtin)
    return dataclasses.replace(found, namespaces=namespaces)


def evaluate(
    policies: PolicySet,
    resources: Sequence[Resource],
    config: Config,
    *,
    engine: str = "auto",
    options: PolicyOptions | None = None,
) -> list[Finding]:
    """Run one engine over the resources; map its results to findings with file:line."""
    inputs, by_id = [], {}
    for n, res in enumerate(resources):
        item = policy_input(f"{n:06d}", res, config)
        inputs.append(item)
        by_id[item.id] = res
    result, name = run_engine(policies, inputs, config, engine=engine, options=options)
    return findings_of(result, functools.partial(_at, by_id), config.policy, name)


def policy_input(input_id: str, res: Resource, config: Config) -> PolicyInput:
    """res as an engine's input: its environment's context, and its file as conftest names it."""
    env = environment_of(config, res.path)
    where = PurePosixPath(res.path)
    streamed = res.path.startswith("<")  # <stdin>: conftest names it "-"
    name = "-" if streamed else where.name
    folder = str(config.root if streamed else config.root / where.parent)
    return PolicyInput(input_id, res.body, env.name if env else "", name, folder)


def _at(
    by_id: dict[str, Resource], input_id: str, pointer: str | None
) -> tuple[str, int, ResourceKey]:
    res = by_id[input_id]
    return res.path, res.line_of(pointer) if pointer else res.line, res.key


def run_engine(
    policies: PolicySet,
    inputs: Sequence[PolicyInput],
    config: Config,
    *,
    engine: str = "auto",
    options: PolicyOptions | None = None,
) -> tuple[Evaluation, str]:
    """The chosen engine's evaluation of every policy over inputs, and the engine's name."""
    section, options = config.policy, options or PolicyOptions()
    bounds = Bounds(section.timeout, section.max_memory_mb)
    chosen = select(engine, bounds, options.version(section))
    if options.on_engine is not None:
        fell_back = engine == "auto" and chosen.name == "builtin"
        options.on_engine(chosen.name, FALLBACK if fell_back else None)
    if not inputs:  # conftest refuses an empty input set ("no files found")
        return Evaluation(), chosen.name
    result = chosen.evaluate(policies, list(inputs), input_data(config, options))
    if options.trace is not None:
        for line in result.prints:
            options.trace(line)
    return result, chosen.name


def input_data(config: Config, options: PolicyOptions) -> PolicyData:
    """The gate's data, with the policy.data and --data files merged in (conftest's --data)."""
    data = policy_data(config)
    extra = merge(data_files(config.root, config.policy.data), options.data_documents())
    base = {**extra, **data.base}  # the gate's own key wins: a data file cannot fake it
    return PolicyData(base, data.contexts)


def findings_of(
    result: Evaluation, locate: Locate, section: PolicySection, engine: str
) -> list[Finding]:
    """result's outcomes, failures, problems and exceptions as findings, placed by locate."""
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
    out += [_excepted(o, locate, engine) for o in result.exceptions]
    return sorted(out, key=lambda f: (*f.sort_key(), f.message))


def _excepted(o: Outcome, locate: Locate, engine: str) -> Finding:
    """A rule a conftest `exception` set aside for this resource (conftest's EXCP): reported
    and counted as waived, as a waiver would be."""
    rule = o.rule if o.rule not in RESULT_RULES else ""
    name = f"{o.namespace}.{rule}" if rule else o.namespace
    path, line, key = locate(o.input_id, None)
    waiver = Waiver(reason=o.message, source="conftest exception")
    extra = {"namespace": o.namespace, "engine": engine, "exception": True}
    msg = f"{name} excepted for {key} by a conftest exception rule ({o.message})"
    return Finding(name, Severity.INFO, msg, CHECK, path, line, key, waiver, extra)


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
