"""Builds the RepoGraph from what the loader read and the configured environments."""

from __future__ import annotations

import os
import posixpath
from pathlib import PurePosixPath
from typing import TypeVar

from gitops_gate.config import Config
from gitops_gate.config.appset import expand, is_appset
from gitops_gate.config.argo_envs import cluster_secret
from gitops_gate.config.trees import Repo
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph.gitops import ArgoApplication, Artifact, FluxKustomization, artifacts_of
from gitops_gate.graph.model import DEPENDS_ON, INPUT, SOURCE, CycleGroup, RepoGraph, node_id
from gitops_gate.manifests.kustomization import join, refs
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Document, Resource

_T = TypeVar("_T")


def build(load_result: LoadResult, config: Config) -> RepoGraph:
    """The dependency graph of a loaded repo; problems found on the way become findings."""
    return _Builder(load_result, config).run()


class _Builder:
    def __init__(self, loaded: LoadResult, config: Config) -> None:
        self.loaded = loaded
        self.config = config
        self.rg = RepoGraph(
            environments=config.environments, files=frozenset(f.path for f in loaded.files)
        )
        self.g = self.rg.graph
        self.kdirs = {PurePosixPath(k.path).parent.as_posix(): k for k in loaded.kustomizations}
        self.dirs = _folders(self.rg.files)
        # Where each dependsOn and folder-to-folder edge is written: a cycle's finding points
        # at one of them. The line is looked up only for that one.
        self.declared: dict[tuple[str, str], tuple[Document, str]] = {}

    def run(self) -> RepoGraph:
        for folder, doc in sorted(self.kdirs.items()):
            self._kustomization(folder, doc)
        for env in self.config.environments:
            self._add("env", env.name, label=f"env {env.name}", name=env.name)
            for p in env.paths:
                self._edge(self._target(p), node_id("env", env.name))
        self._gitops_objects()
        self.rg.findings += [self._cycle_finding(group) for group in self.rg.cycle_groups()]
        return self.rg

    def _cycle_finding(self, group: CycleGroup) -> Finding:
        label = self.rg.label
        shown = " -> ".join(label(n) for n in [*group.cycle, group.cycle[0]])
        message = f"dependency cycle: {shown} (break one link)"
        if len(group.members) > len(group.cycle):
            names = ", ".join(label(n) for n in group.members)
            message = (
                f"dependency cycle among {len(group.members)}: {names}; for one,"
                f" {shown} (break links until none is left)"
            )
        # Preferably the edge back into the first member, written in that member's own file;
        # a folder's edge to the plain folder holding it is written nowhere.
        c = group.cycle
        steps = [(c[i - 1], c[i]) for i in range(len(c))]
        where = next((self.declared[s] for s in steps if s in self.declared), None)
        if where is None:
            return Finding("dependency-cycle", Severity.ERROR, message, "graph")
        doc, pointer = where
        return Finding(
            "dependency-cycle", Severity.ERROR, message, "graph", doc.path, doc.line_of(pointer)
        )

    def _add(self, kind: str, key: str, **data: object) -> str:
        n = node_id(kind, key)
        if n not in self.g:
            data.setdefault("label", key)
            self.g.add_node(n, kind=kind, **data)
        return n

    def _edge(self, a: str | None, b: str, kind: str = INPUT) -> None:
        if a is not None and a != b:
            self.g.add_edge(a, b, kind)

    def _file(self, rel: str) -> str:
        return self._add("file", rel, path=rel)

    def _target(self, rel: str) -> str | None:
        """The node for a repo path: a file, a kustomization folder, or a plain folder."""
        if rel in self.rg.files:
            return self._file(rel)
        if rel in self.kdirs or rel in self.dirs:
            return self._dir(rel)
        return None

    def _dir(self, rel: str) -> str:
        n = node_id("dir", rel)
        if n in self.g:
            return n
        if rel in self.kdirs:
            return self._add("dir", rel, path=rel, label=rel + "/", plain=False)
        # Flux builds a folder without kustomization.yaml from every manifest under it, and
        # takes a sub-folder that has one as a kustomization of its own.
        self._add("dir", rel, path=rel, label=rel + "/", plain=True)
        prefix = "" if rel == "." else rel + "/"
        nested = sorted(d for d in self.kdirs if d.startswith(prefix) and d != rel)
        top = [d for d in nested if not any(d.startswith(o + "/") for o in nested if o != d)]
        for d in top:
            self._edge(self._dir(d), n)
        for f in sorted(self.rg.files):
            if f.startswith(prefix) and not any(f.startswith(d + "/") for d in top):
                self._edge(self._file(f), n)
        return n

    def _kustomization(self, folder: str, doc: Document) -> None:
        here = self._dir(folder)
        self._edge(self._file(doc.path), here)
        for ref in refs(doc.path, doc.body):
            if ref.remote:
                line = doc.line_of(ref.pointer)
                r = self._add("remote", ref.target, url=ref.target, file=doc.path, line=line)
                self._edge(r, here)
                continue
            target = self._target(ref.target)
            if target == here:  # a folder that includes itself: kustomize refuses the cycle
                self.g.add_edge(here, here, INPUT)
            if target is not None:
                self.declared[(target, here)] = (doc, ref.pointer)
            if target is None:
                self.rg.findings.append(
                    Finding(
                        "missing-reference",
                        Severity.WARNING,
                        f"{ref.field} entry {ref.target!r} does not exist in the repository",
                        "graph",
                        doc.path,
                        doc.line_of(ref.pointer),
                    )
                )
            self._edge(target, here)

    def _gitops_objects(self) -> None:
        resources = self.loaded.resources
        artifacts = [(r, a) for r in resources for a in artifacts_of(r.body)]
        fluxes = [
            (r, fk)
            for r in resources
            if (fk := FluxKustomization.of(r.body, self._namespace_set_on(r.path)))
        ]
        for r, fk in fluxes:
            self._flux(r, fk, artifacts)
        for r, fk in fluxes:
            for dep in fk.depends_on:
                self._depends_on(r, fk, dep, fluxes)
        appsets = [r for r in resources if is_appset(r.body)]
        if appsets:
            self._appsets(appsets)
        for r in resources:
            app = ArgoApplication.of(r.body)
            if app is not None:
                n = self._add("argo", f"{r.path}#{app.id}", label=f"Application {app.id}")
                self._edge(n, self._file(r.path))
                for p in app.paths:
                    self._edge(self._target(join(PurePosixPath("."), p)), n)

    def _appsets(self, appsets: list[Resource]) -> None:
        """Each Application an ApplicationSet generates: its file and the folder it deploys
        reach the environments that folder belongs to (a change to the template reaches
        every environment the elements make)."""
        repo = Repo.from_files(self.rg.files)
        clusters = [c for r in self.loaded.resources if (c := cluster_secret(r.body)) is not None]
        for r in appsets:
            for made in expand(r, repo, self.loaded.root, clusters)[0]:
                app = ArgoApplication.of(made.body)
                if app is None:
                    continue
                n = self._add(
                    "argo", f"{r.path}#{made.appset}/{app.name}", label=f"Application {app.name}"
                )
                self._edge(self._file(r.path), n)
                for p in app.paths:
                    rel = join(PurePosixPath("."), p)
                    self._edge(self._target(rel), n)
                    for env in self.config.environments:
                        if env.contains(rel):
                            self._edge(n, node_id("env", env.name))

    def _namespace_set_on(self, rel: str) -> str | None:
        """The namespace kustomize gives the objects of file rel: that of the outermost
        kustomization including it that sets one (each writes over what it includes)."""
        found, node, seen = None, node_id("file", rel), set()
        while node not in seen:
            seen.add(node)
            including = sorted(
                n
                for n, kind in self.g.succ.get(node, {}).items()
                if kind == INPUT
                and self.g.nodes[n]["kind"] == "dir"
                and not self.g.nodes[n]["plain"]
            )
            if not including:
                break
            node = including[0]
            namespace = _dict(self.kdirs[self.g.nodes[node]["path"]].body).get("namespace")
            found = namespace if isinstance(namespace, str) and namespace else found
        return found

    def _flux(
        self, r: Resource, fk: FluxKustomization, artifacts: list[tuple[Resource, Artifact]]
    ) -> None:
        n = self._add("flux", f"{r.path}#{fk.id}", label=f"Kustomization {fk.id}", file=r.path)
        self._edge(n, self._file(r.path))
        repo_path, origin = resolve_path(r.path, fk, artifacts)
        src_key = f"{fk.source_kind}/{fk.source_namespace}/{fk.source_name}"
        # An ExternalArtifact of the same name is made per cluster: key it by its generator.
        src = self._add("source", src_key + (f" ({origin})" if origin else ""), label=src_key)
        self._edge(src, n, SOURCE)
        if origin is not None:
            self._edge(self._file(origin), src)
        if repo_path is None:
            return
        target = self._target(repo_path)
        if target is None:
            self.rg.findings.append(
                Finding(
                    "missing-path",
                    Severity.WARNING,
                    f"Kustomization {fk.id}: spec.path {fk.path!r} is not a folder"
                    f" in the repository ({repo_path})",
                    "graph",
                    r.path,
                    r.line_of("/spec/path"),
                )
            )
        self._edge(target, n)

    def _depends_on(
        self,
        r: Resource,
        fk: FluxKustomization,
        dep: tuple[str, str],
        fluxes: list[tuple[Resource, FluxKustomization]],
    ) -> None:
        found = [(o, f) for o, f in fluxes if (f.namespace, f.name) == dep]
        pointer = _depends_on_pointer(fk, dep)
        if not found:
            self.rg.findings.append(
                Finding(
                    "missing-dependency",
                    Severity.WARNING,
                    f"Kustomization {fk.id} depends on {dep[0]}/{dep[1]}, which is not in the"
                    " repository",
                    "graph",
                    r.path,
                    r.line_of(pointer),
                )
            )
            return
        o, f = nearest(r.path, found)
        me, other = node_id("flux", f"{r.path}#{fk.id}"), node_id("flux", f"{o.path}#{f.id}")
        # Not through _edge: one depending on itself is a cycle (Flux waits for it forever).
        self.g.add_edge(other, me, DEPENDS_ON)
        self.declared[(other, me)] = (r, pointer)


def _dict(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _depends_on_pointer(fk: FluxKustomization, dep: tuple[str, str]) -> str:
    """The pointer of the dependsOn entry naming dep."""
    entries = fk.spec.get("dependsOn")
    for i, d in enumerate(entries if isinstance(entries, list) else []):
        if (
            isinstance(d, dict)
            and (str(d.get("namespace") or fk.namespace), str(d.get("name"))) == dep
        ):
            return f"/spec/dependsOn/{i}"
    return "/spec/dependsOn"


def nearest(path: str, candidates: list[tuple[Resource, _T]]) -> tuple[Resource, _T]:
    """The candidate defined closest to path: several clusters reuse the same names."""
    return max(
        candidates, key=lambda c: (len(os.path.commonpath([path, c[0].path])), c[0].path == path)
    )


def resolve_path(
    defined_in: str, fk: FluxKustomization, artifacts: list[tuple[Resource, Artifact]]
) -> tuple[str | None, str | None]:
    """The repo folder a Flux Kustomization builds, and the file that maps its source there."""
    if fk.source_kind == "GitRepository":
        return join(PurePosixPath("."), fk.path), None
    if fk.source_kind == "ExternalArtifact":
        found = [
            (r, a)
            for r, a in artifacts
            if (a.namespace, a.name) == (fk.source_namespace, fk.source_name)
        ]
        if found:
            r, art = nearest(defined_in, found)
            return art.repo_path(fk.path), r.path
    return None, None


def _folders(files: frozenset[str]) -> set[str]:
    """Every folder holding a file, at any depth ('.' for the root); paths are normalised."""
    out = {"."}
    for f in files:
        d = posixpath.dirname(f)
        while d and d not in out:  # a folder already in has all its parents in too
            out.add(d)
            d = posixpath.dirname(d)
    return out
