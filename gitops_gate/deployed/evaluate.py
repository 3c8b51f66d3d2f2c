"""Policies on what is deployed: each environment's rendered objects, findings at the source."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gitops_gate.config import Config
from gitops_gate.deployed.fieldpath import resolve, split, steps_of
from gitops_gate.deployed.plan import Deployment, Plan, render_reached
from gitops_gate.deployed.setters import setter
from gitops_gate.deployed.sources import SourcePool, Sources
from gitops_gate.deployed.verdicts import Verdicts
from gitops_gate.diff.normalize import secret_redactor
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Resource
from gitops_gate.policy.options import PolicyOptions
from gitops_gate.policy.protocol import Evaluation, PolicyInput
from gitops_gate.policy.run import (
    Evaluator,
    evaluate,
    findings_of,
    input_data,
    policy_input,
    run_engine,
)
from gitops_gate.policy.source import PolicySet

Place = tuple[str | None, int | None, ResourceKey | None]
Objects = dict[str, tuple[ResourceKey, dict[str, Any]]]  # by policy input id


def on_deployed(
    loaded: LoadResult,
    config: Config,
    changed: Sequence[str] | None,
    graph: SharedGraph | None = None,
) -> Evaluator:
    """An evaluator for policy_findings that checks what the environments the change reaches
    deploy; files no rendered environment includes are checked as written. graph: the run's
    read of the repo (deployed.plan)."""

    def run(
        policies: PolicySet, _config: Config, mode: str, options: PolicyOptions
    ) -> list[Finding]:
        plan = render_reached(loaded, config, changed, graph)
        if not plan.deployed:
            written = evaluate(policies, loaded.resources, config, engine=mode, options=options)
            return [*plan.findings, *written]
        found = _evaluate(policies, config, mode, options, loaded, plan)
        rendered = (d.rendered.objects.values() for d in plan.deployed)
        return secret_redactor(*rendered).findings([*plan.findings, *found])

    return run


def _evaluate(
    policies: PolicySet,
    config: Config,
    mode: str,
    options: PolicyOptions,
    loaded: LoadResult,
    plan: Plan,
) -> list[Finding]:
    """One engine run over the files as written and every rendered object, then each
    environment's findings placed at their source and the written ones settled against them."""
    pool = SourcePool(loaded, config)
    inputs, written = _written(config, loaded.resources)
    parts: list[tuple[Deployment, Objects]] = []
    rendered: list[PolicyInput] = []
    for i, d in enumerate(plan.deployed):
        objects = {f"e{i}.{n}": item for n, item in enumerate(d.rendered.objects.items())}
        rendered += [PolicyInput(k, body, d.env.name) for k, (_, body) in objects.items()]
        parts.append((d, objects))
    result = _judge(policies, config, (mode, options), inputs, rendered)
    engine = result.engine
    as_written = findings_of(
        _part(result, set(written), problems=True),
        functools.partial(_at_written, written),
        config.policy,
        engine,
    )
    per_env = []
    for d, objects in parts:
        # Read only for an environment with findings: a passing hook loads no base it did not walk.
        sources = functools.cache(functools.partial(pool.sources, d.files, d.root_file))
        locate = functools.partial(_at_source, sources, objects)
        found = findings_of(_part(result, set(objects)), locate, config.policy, engine)
        per_env.append((d.env.name, found))
    deployed = _by_environments(per_env)
    return [*_settle(as_written, deployed, plan), *deployed]


@dataclass(slots=True)
class _Judged(Evaluation):
    engine: str = ""


def _judge(
    policies: PolicySet,
    config: Config,
    how: tuple[str, PolicyOptions],
    written: list[PolicyInput],
    rendered: list[PolicyInput],
) -> _Judged:
    """One engine run over the files as written and the rendered objects not judged before
    (verdicts); the others' outcomes come from the verdicts of earlier runs."""
    mode, options = how
    salt = f"{mode}/rego-{options.version(config.policy)}"
    verdicts = Verdicts(policies, input_data(config, options), salt)
    known, todo = verdicts.split(rendered)
    run = functools.partial(run_engine, config=config, engine=mode, options=options)
    result, engine = run(policies, [*written, *todo])
    if verdicts.engine != engine and len(todo) < len(rendered):
        # Remembered from another engine (conftest then the built-in one): judged again.
        again = {i.id for i in todo}
        known, _ = run(policies, [i for i in rendered if i.id not in again])
        todo = rendered
    out = _Judged(engine=engine)
    out.add(result)
    out.add(known)
    verdicts.save(_part(out, {i.id for i in todo}, problems=True), todo, engine)
    return out


def _written(
    config: Config, resources: Sequence[Resource]
) -> tuple[list[PolicyInput], dict[str, Resource]]:
    inputs, by_id = [], {}
    for n, res in enumerate(resources):
        inputs.append(policy_input(f"w{n}", res, config))
        by_id[f"w{n}"] = res
    return inputs, by_id


def _part(result: Evaluation, ids: set[str], *, problems: bool = False) -> Evaluation:
    return Evaluation(
        [o for o in result.outcomes if o.input_id in ids],
        [f for f in result.failures if f.input_id in ids],
        list(result.problems) if problems else [],
        [e for e in result.exceptions if e.input_id in ids],
    )


def _at_written(by_id: dict[str, Resource], input_id: str, pointer: str | None) -> Place:
    res = by_id[input_id]
    return res.path, res.line_of(pointer) if pointer else res.line, res.key


def _at_source(
    environment: Callable[[], Sources], objects: Objects, input_id: str, pointer: str | None
) -> Place:
    """Where the flagged field of a rendered object was written: the base when it still has
    the value as rendered, else the overlay's `images:` entry or patch that set it."""
    key, body = objects[input_id]
    sources = environment()
    origin = sources.origin(key)
    parts = split(pointer or "")
    steps = steps_of(body, parts)
    if origin is not None:
        written, at = resolve(origin.body, steps)
        if not parts or written == resolve(body, steps)[0]:
            return origin.path, origin.line_of(at) if parts else origin.line, origin.key
    found = setter(parts, steps, body, origin.body if origin else None, sources)
    if found is not None:
        return found.path, found.line, origin.key if origin else key
    if origin is not None:
        return origin.path, origin.line_of(resolve(origin.body, steps)[1]), origin.key
    return *sources.fallback, key


def _by_environments(per_env: list[tuple[str, list[Finding]]]) -> list[Finding]:
    """One finding per place and message, naming every environment that deploys it."""
    envs: dict[Finding, list[str]] = {}
    for name, found in per_env:
        for f in found:
            envs.setdefault(f, []).append(name)
    out = []
    for f, names in envs.items():
        listed = ", ".join(sorted(set(names)))
        extra = {**f.extra, "environments": sorted(set(names))}
        message = f"{f.message} (environments: {listed})"
        out.append(dataclasses.replace(f, message=message, extra=extra))
    return out


def _settle(written: list[Finding], deployed: list[Finding], plan: Plan) -> list[Finding]:
    """Findings on the files as written: dropped when a render found the same at the same
    place; else kept where no rendered environment includes the file or one that could not
    be rendered does, and at most a notice where only rendered ones do."""
    seen = {(f.rule, f.path, f.line) for f in deployed}
    out = []
    for f in written:
        if f.path is not None and (f.rule, f.path, f.line) in seen:
            continue
        rendered = sorted(d.env.name for d in plan.deployed if f.path in d.files)
        unknown = any(f.path in plan.files(n) for n in plan.failed) if rendered else True
        out.append(f if unknown else _notice(f, rendered, plan))
    return out


def _notice(f: Finding, rendered: list[str], plan: Plan) -> Finding:
    """f as a notice saying which environments deploy the object otherwise, or that none does
    (a file in an environment's folders that no kustomization names)."""
    changed = [d.env.name for d in plan.deployed if d.env.name in rendered and _has(d, f)]
    if changed:
        why = f"not deployed as written: {', '.join(changed)} render it otherwise"
    else:
        why = f"not deployed: {', '.join(rendered)} render nothing from it"
    others = sorted(n for n in plan.skipped if f.path in plan.files(n))
    if others:
        why += f"; not rendered here: {', '.join(others)}"
    severity = min(f.severity, Severity.INFO)
    extra = {**f.extra, "environments": []}
    return dataclasses.replace(f, severity=severity, message=f"{f.message} ({why})", extra=extra)


def _has(d: Deployment, f: Finding) -> bool:
    """Whether d renders an object made from f's resource (by kind and name, as origins are
    found: a namePrefix or nameSuffix may have grown the name)."""
    key = f.resource
    if key is None:
        return True
    return any(
        (k.group, k.kind) == (key.group, key.kind) and key.name and key.name in k.name
        for k in d.rendered.objects
    )
