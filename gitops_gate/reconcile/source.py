"""A revision's side of a cycle: checked out, gated by `check`, rendered as `diff` renders it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gitops_gate import gitrefs
from gitops_gate.api import check
from gitops_gate.checks import DEFAULT_CHECKS
from gitops_gate.config import Config, Environment, load_config
from gitops_gate.diff.api import settings_of
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding, gate_fails
from gitops_gate.graph import RepoGraph, build
from gitops_gate.graph.scan import scan
from gitops_gate.keys import ResourceKey
from gitops_gate.reconcile.flux import flux_ranks
from gitops_gate.render import RenderedEnv, Target, pick, render_many
from gitops_gate.windows.evaluate import Decision
from gitops_gate.windows.gate import environment_decision
from gitops_gate.windows.sources import collect

# Windows are judged by the reconciler itself, at apply time, with approvals and overrides.
GATE_CHECKS = tuple(c for c in DEFAULT_CHECKS if c != "windows")


@dataclass(slots=True)
class Revision:
    """One environment at one commit: whether it passed the gate, and what it renders to."""

    sha: str
    env: Environment
    config: Config
    gate: list[Finding] = field(default_factory=list)  # what failed the gate
    objects: list[dict[str, Any]] = field(default_factory=list)
    decision: Decision | None = None  # the sync windows' say at the time judged
    # Flux dependsOn: each object's rank in the apply order (flux.flux_ranks).
    ranks: dict[ResourceKey, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.gate)


def resolve(root: Path, revision: str) -> str:
    """The commit sha revision names in root's repository (pinned for the cycle)."""
    return gitrefs.resolve(gitrefs.open_repo(root), revision)


@contextmanager
def checkout(root: Path, sha: str) -> Iterator[Path]:
    """root as it is at sha, in a throwaway worktree (the user's working tree is left alone)."""
    repo = gitrefs.open_repo(root)
    sub = root.resolve().relative_to(repo.top.resolve())
    with gitrefs.worktree(repo, sha) as tree:
        yield tree / sub


def prepare(root: Path, sha: str, env_name: str, *, at: datetime, gate: bool = True) -> Revision:
    """Check root (a checkout of sha) for env_name, then render it unless the gate failed."""
    config = load_config(root)
    env = config.environment(env_name)
    if env is None:
        known = ", ".join(e.name for e in config.environments) or "none"
        raise UsageError(f"unknown environment {env_name!r}", hint=f"use one of: {known}")
    out = Revision(sha, env, config)
    result = check([root / p for p in env.paths], root=root, checks=GATE_CHECKS, at=at)
    if gate and gate_fails(result.findings, config.fail_level):
        out.gate = [f for f in result.findings if gate_fails([f], config.fail_level)]
        return out
    windows = collect(config, result.loaded.resources)
    out.decision = environment_decision(windows, env, at)
    graph = build(scan(root, config), config)
    rendered = _render(root, config, env, graph)
    if rendered.failed:
        out.gate = [f for f in rendered.findings if gate_fails([f], config.fail_level)]
        return out
    out.objects = list(rendered.objects.values())
    out.ranks = flux_ranks(root, config, graph, out.objects)
    return out


def _render(root: Path, config: Config, env: Environment, graph: RepoGraph) -> RenderedEnv:
    settings, _ = settings_of(config)
    (rendered,) = render_many([Target(env, root, graph)], pick(config), settings)
    return rendered
