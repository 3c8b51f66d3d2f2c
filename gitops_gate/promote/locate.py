"""Which file an environment takes an image from, and whether changing it there is safe."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gitops_gate.config import Config, load_config
from gitops_gate.errors import LocatedError, ManifestError, UsageError
from gitops_gate.graph import RepoGraph, build
from gitops_gate.graph.model import DEPENDS_ON, node_id
from gitops_gate.graph.scan import scan
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.loader import load_text
from gitops_gate.manifests.model import Document
from gitops_gate.promote.images import ImageRef
from gitops_gate.promote.sites import HELM, KUSTOMIZE, Site, sites_in

# The overlay's own `images:` entry wins over a base's, as kustomize applies it last; a Helm
# value or a container spec is what is left when no kustomization renames or retags it.
_PREFERENCE = (KUSTOMIZE, HELM)


@dataclass
class Workspace:
    """A repository read once for a promotion: its config, graph and parsed files."""

    root: Path
    config: Config
    graph: RepoGraph
    _docs: dict[str, list[Document]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, config_path: Path | None = None) -> Workspace:
        root = root.resolve()
        config = load_config(root, config_path)
        return cls(root, config, build(scan(root, config), config))

    def environment_files(self, env: str) -> list[str]:
        if self.config.environment(env) is None:
            known = ", ".join(e.name for e in self.config.environments) or "none"
            raise UsageError(f"unknown environment {env!r}", hint=f"use one of: {known}")
        return [f for f in self.graph.inputs(env) if f.endswith((".yaml", ".yml", ".json"))]

    def owners(self, rel: str) -> list[str]:
        return self.graph.affected_environments([rel])

    def documents(self, rel: str) -> list[Document]:
        if rel not in self._docs:
            self._docs[rel] = self._parse(rel)
        return self._docs[rel]

    def forget(self, rel: str) -> None:
        """Read rel again when next asked (it was just edited)."""
        self._docs.pop(rel, None)

    def _parse(self, rel: str) -> list[Document]:
        try:
            text = read_text(self.root / rel, rel, max_bytes=self.config.max_file_bytes)
        except (ManifestError, OSError):
            return []  # `check` reports it; a file we cannot read sets no image we can edit
        loaded = load_text(text, rel)
        return [*loaded.kustomizations, *loaded.resources]

    def sites(self, env: str, name: str) -> list[Site]:
        found = [s for f in self.environment_files(env) for d in self.documents(f) for s in
                 sites_in(d, name)]  # fmt: skip
        return sorted(found, key=lambda s: (_rank(s), len(self.owners(s.path)), s.path))

    def images(self, env: str) -> Iterator[str]:
        """The names of every image env's files set, as containers name them."""
        seen: set[str] = set()
        for rel in self.environment_files(env):
            for doc in self.documents(rel):
                for name in _container_images(doc):
                    if name not in seen:
                        seen.add(name)
                        yield name


def deployed(ws: Workspace, env: str, name: str) -> ImageRef | None:
    """What env runs for image name, as the most specific place that sets it says."""
    found = ws.sites(env, name)
    return found[0].current if found else None


def editable_site(ws: Workspace, env: str, name: str) -> Site:
    """The place to change image name for env alone; a one-line refusal when there is none."""
    found = ws.sites(env, name)
    if not found:
        raise UsageError(
            f"image {name} is not used by environment {env!r}",
            hint=f"see `gitops-gate diff --env {env}` for the images it runs",
        )
    best = found[0]
    others = [e for e in ws.owners(best.path) if e != env]
    if others:
        raise LocatedError(
            best.path,
            best.line,
            f"image {name} for {env!r} is set in a file shared with {', '.join(others)}",
            hint=_pin_hint(best, name, env, _overlay(ws, env, best.path)),
        )
    return best


def _pin_hint(site: Site, name: str, env: str, overlay: str) -> str:
    if site.form == HELM:  # kustomize's `images:` does not reach a HelmRelease's values
        field = ".".join(str(p) for p in (*site.pointer, "tag"))
        return f"override `{field}` for {env} alone with a HelmRelease patch in {overlay}"
    return (
        f"pin it in {env}'s own overlay: add `images: [{{name: {name}, newTag: ...}}]` to {overlay}"
    )


def _overlay(ws: Workspace, env: str, shared: str) -> str:
    """The kustomization env alone owns that takes in shared most directly."""
    environment = ws.config.environment(env)
    if environment is not None and environment.kustomization:
        return environment.kustomization
    owned = [f for f in ws.environment_files(env) if f.endswith("kustomization.yaml")
             and ws.owners(f) == [env]]  # fmt: skip
    graph = ws.graph.graph
    reach = graph.descendants(node_id("file", shared), skip=DEPENDS_ON)
    near = {f: _dir(f) for f in owned if _dir(f) in reach}
    # Edges run from an input to what consumes it: the nearest has no other one before it.
    nearest = [f for f, d in near.items() if not set(near.values()) & graph.ancestors(d)]
    found = nearest or owned
    return min(found, key=len) if found else f"a kustomization.yaml only {env} includes"


def _dir(rel: str) -> str:
    parent = PurePosixPath(rel).parent.as_posix()
    return node_id("dir", parent)


def _rank(site: Site) -> int:
    return _PREFERENCE.index(site.form) if site.form in _PREFERENCE else len(_PREFERENCE)


def _container_images(doc: Document) -> Iterator[str]:
    for site in sites_in(doc, None):
        if site.form != KUSTOMIZE:  # an entry's name is a container's; its newName is not
            yield site.current.name
