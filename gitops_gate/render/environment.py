"""Renders one environment: its folders, then every Flux Kustomization and Argo CD Application."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.config import Environment
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph import RepoGraph
from gitops_gate.graph.gitops import ArgoApplication, FluxKustomization, artifacts_of
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.kustomization import join
from gitops_gate.render import postbuild
from gitops_gate.render.backend import Renderer, RenderSettings
from gitops_gate.render.build_dir import (
    CLUSTER_SCOPED,
    WRAPPED,
    BuildFailed,
    build_dir,
    kustomization_file,
)
from gitops_gate.render.confine import screen
from gitops_gate.render.model import RenderedEnv, Source
from gitops_gate.render.tree import DiskTree, RawTree, SnapshotTree


@dataclass(frozen=True, slots=True)
class Target:
    """One environment to render from one checkout, or from a root a Source fills on demand."""

    env: Environment
    root: Path
    graph: RepoGraph
    source: Source | None = None


def render_environment(target: Target, renderer: Renderer, settings: RenderSettings) -> RenderedEnv:
    """Every object target's environment deploys; failures become findings, never exceptions."""
    if target.source is not None:
        target.source.write(target.graph.inputs(target.env.name))
    out = _Render(target, renderer, settings).run()
    broken = any(f.rule == "render-failed" for f in out.findings)
    if broken and target.source is not None and not target.source.complete:
        # Only the inputs the graph knows were written; a build that failed gets the whole
        # commit, so a reference the graph missed renders as it would in a full checkout.
        # A refusal is not retried: the screen read the commit's objects, not the disk.
        target.source.write_all()
        out = _Render(target, renderer, settings).run()
    return out


class _Render:
    def __init__(self, target: Target, renderer: Renderer, settings: RenderSettings) -> None:
        self.t = target
        self.renderer = renderer
        self.settings = settings
        self.out = RenderedEnv(target.env.name)
        self.parts: dict[str, list[dict[str, Any]]] = {}  # folder -> what it contributed
        self.seen: set[tuple[str, str]] = set()
        src = target.source
        self.tree: RawTree = SnapshotTree(src) if src is not None else DiskTree(target.root)

    def run(self) -> RenderedEnv:
        for p in self.t.env.paths:
            self._contribute(p, self._build(p))
        queue = [o for objs in list(self.parts.values()) for o in objs]
        while queue:
            body = queue.pop(0)
            fk = FluxKustomization.of(body)
            made = self._flux(fk) if fk else self._argo(ArgoApplication.of(body))
            queue += made
        for objs in self.parts.values():
            for body in objs:
                self._add(body)
        return self.out

    def _contribute(self, folder: str, objects: list[dict[str, Any]]) -> None:
        # A folder that a Flux Kustomization also builds counts once, the way Flux builds it.
        self.parts[folder] = objects

    def _build(self, rel: str, wrap: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        # Every kustomization the folder reaches, read as committed: one that leaves the
        # repository, fetches, or runs code is refused here and kustomize never sees it.
        extra = [f"{rel}/{c}" for c in _strings((wrap or {}).get("components"))]
        refused = screen(self.tree, [rel, *extra])
        if refused:
            self.out.findings += [f for f in refused if f not in self.out.findings]
            return []
        source = self.t.source
        if source is not None and not source.covers(rel):
            source.write_all()  # a folder only the rendered objects name (not the graph)
        try:
            return build_dir(self.t.root, rel, self.renderer, self.settings, wrap)
        except BuildFailed as e:
            self.out.findings.append(e.finding)
            return []

    def _flux(self, fk: FluxKustomization) -> list[dict[str, Any]]:
        rel = self._flux_path(fk)
        if rel is None or ("flux", fk.id) in self.seen:
            return []
        self.seen.add(("flux", fk.id))
        wrap = {k: fk.spec[k] for k in WRAPPED if fk.spec.get(k)}
        objects = self._build(rel, wrap or None)
        where = (self._kfile(rel), 1)
        found, problems = postbuild.variables(fk, self._known(), where)
        self.out.findings += problems
        if found is not None:
            objects, problems = postbuild.apply(fk, objects, found, where)
            self.out.findings += problems
        fresh = rel not in self.parts
        self._contribute(rel, objects)
        return objects if fresh or wrap or found is not None else []

    def _flux_path(self, fk: FluxKustomization) -> str | None:
        if fk.source_kind == "GitRepository":
            return join(PurePosixPath("."), fk.path)
        if fk.source_kind == "ExternalArtifact":
            for body in self._known().values():
                for art in artifacts_of(body):
                    if (art.namespace, art.name) == (fk.source_namespace, fk.source_name):
                        return art.repo_path(fk.path)
        return None

    def _argo(self, app: ArgoApplication | None) -> list[dict[str, Any]]:
        if app is None or ("argo", app.id) in self.seen or app.helm:
            return []
        self.seen.add(("argo", app.id))
        made: list[dict[str, Any]] = []
        for p in app.paths:
            rel = join(PurePosixPath("."), p)
            if not (self.t.root / rel).is_dir():
                continue
            objects = self._build(rel)
            for body in objects:
                meta = body.get("metadata")
                if app.destination_namespace and isinstance(meta, dict):
                    if body.get("kind") not in CLUSTER_SCOPED:
                        meta.setdefault("namespace", app.destination_namespace)
            self._contribute(rel, objects)
            made += objects
        return made

    def _known(self) -> dict[ResourceKey, dict[str, Any]]:
        return {ResourceKey.of(b): b for objs in self.parts.values() for b in objs}

    def _kfile(self, rel: str) -> str:

        return kustomization_file(self.t.root, rel) or rel

    def _add(self, body: dict[str, Any]) -> None:
        key = ResourceKey.of(body)
        old = self.out.objects.get(key)
        if old is not None and old != body:
            self.out.findings.append(
                Finding(
                    "duplicate-object",
                    Severity.WARNING,
                    f"{key} is rendered twice with different content; the first one is kept",
                    "render",
                )
            )
            return
        self.out.objects[key] = body


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
