"""Which environments a check renders (those the change reaches), rendered with the cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gitops_gate.config import Config, Environment
from gitops_gate.diff.api import settings_of
from gitops_gate.errors import GateError
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph import RepoGraph
from gitops_gate.graph.shared import SharedGraph, shared_for
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.render import RenderCache, RenderedEnv, RenderQueue, Target, pick
from gitops_gate.render.build_dir import kustomization_file
from gitops_gate.render.model import REFUSALS

CHECK = "policy"
NOT_RENDERED = "policy-not-rendered"


@dataclass(frozen=True, slots=True)
class Deployment:
    """One environment as rendered, and the repo files it was made from."""

    env: Environment
    rendered: RenderedEnv
    files: frozenset[str]
    root_file: tuple[str, int]  # its first folder's kustomization: where generated objects are


@dataclass(slots=True)
class Plan:
    """What was rendered, what was not (and why), and the files of each environment."""

    graph: RepoGraph
    deployed: list[Deployment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Environments the change does not reach, and those it reaches that could not be
    # rendered (refused, failed, no renderer): their files are checked as written.
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    _files: dict[str, frozenset[str]] = field(default_factory=dict)

    def files(self, env: str) -> frozenset[str]:
        """The repo files env is made of (looked up once: each costs a walk of the graph)."""
        if env not in self._files:
            self._files[env] = frozenset(self.graph.inputs(env))
        return self._files[env]


def render_reached(
    loaded: LoadResult,
    config: Config,
    changed: Sequence[str] | None,
    graph: SharedGraph | None = None,
) -> Plan:
    """Render each environment that includes a loaded file and that the change reaches (every
    one for a whole tree); one that cannot be rendered is skipped, and says why. graph: the
    run's read of the repo, when another step made it already."""
    plan = Plan(shared_for(config, graph).graph())
    walked = {f.path for f in loaded.files}
    reached = set(_reached(plan.graph, config, changed))
    wanted = [e for e in config.environments if e.name in reached and plan.files(e.name) & walked]
    plan.skipped = [e.name for e in config.environments if e not in wanted]
    if not wanted:
        return plan
    try:
        rendered = _render(config, plan.graph, wanted)
    except GateError as e:
        plan.failed += [e.name for e in wanted]
        plan.findings.append(_not_rendered(wanted, e.one_line()))
        return plan
    for env, out in zip(wanted, rendered, strict=True):
        plan.findings += [f for f in out.findings if f.rule not in REFUSALS]
        if out.failed:
            plan.failed.append(env.name)
        else:
            where = (kustomization_file(config.root, env.paths[0]) or env.paths[0], 1)
            plan.deployed.append(Deployment(env, out, plan.files(env.name), where))
    return plan


def _reached(graph: RepoGraph, config: Config, changed: Sequence[str] | None) -> list[str]:
    if changed is None:
        return [e.name for e in config.environments]
    hit = set(graph.affected_environments(changed))
    # A new file in an environment's folder that nothing references yet still belongs to it.
    hit.update(e.name for e in config.environments if any(e.contains(c) for c in changed))
    return [e.name for e in config.environments if e.name in hit]


def _render(config: Config, graph: RepoGraph, envs: list[Environment]) -> list[RenderedEnv]:
    settings, _ = settings_of(config)
    with RenderQueue(lambda: pick(config), settings, cache=RenderCache()) as queue:
        queue.renderer  # noqa: B018 - raises now when no renderer can be found
        targets = [Target(env, config.root, graph) for env in envs]
        keys = [queue.submit(t) for t in targets]
        return [queue.result(k, t) for k, t in zip(keys, targets, strict=True)]


def _not_rendered(envs: list[Environment], why: str) -> Finding:
    names = ", ".join(e.name for e in envs)
    message = f"policies were checked on the files as written, not as {names} render them: {why}"
    return Finding(NOT_RENDERED, Severity.INFO, message, CHECK)
