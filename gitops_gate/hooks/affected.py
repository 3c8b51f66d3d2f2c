"""What a change affects: the environments that include a changed file, directly or via a base."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from gitops_gate.config.model import CONFIG_NAME, Config, Environment
from gitops_gate.errors import ManifestError
from gitops_gate.graph import build
from gitops_gate.graph.scan import scan
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.manifests.depth import check_depth
from gitops_gate.manifests.kustomization import KUSTOMIZATION_NAMES, refs

# A change to any of these can change every verdict, so the whole repo is checked.
_EVERYTHING = frozenset({CONFIG_NAME, ".gitops-gate-waivers.yaml"})
_EVERYTHING_UNDER = ("policies/",)


@dataclass(frozen=True, slots=True)
class Selection:
    """The paths a hook hands to a check, and why."""

    paths: tuple[str, ...]
    environments: tuple[str, ...] = ()
    everything: bool = False
    deleted: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.paths and not self.everything


def select(
    root: Path,
    changed: Sequence[str],
    config: Config,
    *,
    expand: bool = True,
    graph: SharedGraph | None = None,
) -> Selection:
    """The existing changed files plus, when expand, the paths of every affected environment.
    graph: root's read for config, to make (or reuse) instead of a graph of its own."""
    rels = [_normal(c) for c in changed]
    existing = tuple(r for r in rels if (root / r).is_file())
    deleted = tuple(r for r in rels if not (root / r).exists())
    if expand and any(_touches_everything(r) for r in rels):
        return Selection(paths=(".",), everything=True, deleted=deleted)
    if not expand:
        return Selection(paths=existing, deleted=deleted)
    envs = affected_environments(root, rels, config, graph)
    env_paths = [p for e in config.environments if e.name in envs for p in e.paths]
    env_paths = [p for p in env_paths if (root / p).exists()]
    extra = [r for r in existing if not any(_inside(r, p) for p in env_paths)]
    return Selection(
        paths=tuple(dict.fromkeys([*env_paths, *extra])),
        environments=tuple(envs),
        deleted=deleted,
    )


def affected_environments(
    root: Path, changed: Sequence[str], config: Config, graph: SharedGraph | None = None
) -> list[str]:
    """Environments whose output a change to these repo-relative files can alter."""
    hit = set(_reached(root, changed, config, graph))
    # A new file in an environment's folder that nothing references yet still belongs to it.
    hit.update(e.name for e in config.environments if any(e.contains(c) for c in changed))
    return [e.name for e in config.environments if e.name in hit]


def _reached(
    root: Path, changed: Sequence[str], config: Config, graph: SharedGraph | None = None
) -> list[str]:
    """The dependency graph's answer, plus the kustomize walk's for deleted files."""
    repo = graph.graph() if graph is not None else build(scan(root, config), config)
    found = repo.affected_environments(list(changed))
    # The graph is built from the tree as it is now, where a deleted file has no node left;
    # the kustomizations still naming it say which environments it breaks.
    deleted = [c for c in changed if not (root / c).exists()]
    return [str(n) for n in found] + affected_by_kustomize_references(root, deleted, config)


def affected_by_kustomize_references(
    root: Path, changed: Sequence[str], config: Config
) -> list[str]:
    """Environments that contain a changed file or reach it through kustomization references.

    Reads only the kustomization files reachable from each environment, so it stays fast on
    large repos. A file counts as reached when it is referenced, or lies in a reached folder
    (patches, generators and components are read from there).
    """
    if not changed:  # nothing to look for: no environment's references need reading
        return []
    out = []
    for env in config.environments:
        if any(env.contains(c) for c in changed):
            out.append(env.name)
            continue
        folders, files = reachable(root, _starts(root, env))
        if any(c in files or any(_inside(c, f) for f in folders) for c in changed):
            out.append(env.name)
    return out


def _starts(root: Path, env: Environment) -> list[str]:
    starts = [env.kustomization] if env.kustomization else []
    return [s for s in [*starts, *env.paths] if (root / s).is_dir()]


def reachable(root: Path, starts: Iterable[str]) -> tuple[set[str], set[str]]:
    """Folders and files reached from the kustomizations in starts (repo-relative)."""
    folders: set[str] = set()
    files: set[str] = set()
    todo = [_normal(s) for s in starts]
    while todo:
        folder = todo.pop()
        if folder in folders:
            continue
        folders.add(folder)
        for target in _references(root, folder):
            if (root / target).is_dir():
                todo.append(target)
            else:
                files.add(target)
    return folders, files


def _references(root: Path, folder: str) -> list[str]:
    """The local targets of folder's kustomization, repo-relative; those outside are not ours."""
    found = _kustomization(root, folder)
    if found is None:
        return []
    path, body = found
    local = [r.target for r in refs(path, body) if not r.remote]
    return [t for t in local if t != ".." and not t.startswith(("../", "/"))]


def _kustomization(root: Path, folder: str) -> tuple[str, dict[str, Any]] | None:
    """folder's kustomization file (repo-relative) and its body, if it has a readable one."""

    for name in KUSTOMIZATION_NAMES:
        rel = name if folder in ("", ".") else f"{folder}/{name}"
        if (root / rel).is_file():
            try:
                text = (root / rel).read_text(errors="replace")
                check_depth(text, rel)  # libyaml's composer would overflow the C stack
                body = yaml.load(text, Loader=_loader())  # noqa: S506
            except (yaml.YAMLError, ManifestError):
                return None  # the loader reports it with file:line; here it just ends the walk
            return (rel, body) if isinstance(body, dict) else None
    return None


def _loader() -> Any:

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _touches_everything(rel: str) -> bool:
    return rel in _EVERYTHING or rel.startswith(_EVERYTHING_UNDER)


def _inside(rel: str, folder: str) -> bool:
    if folder in ("", "."):
        return True
    p, f = PurePosixPath(rel), PurePosixPath(folder)
    return p == f or f in p.parents


def _normal(rel: str) -> str:
    text = PurePosixPath(rel.replace("\\", "/")).as_posix()
    return text[2:] if text.startswith("./") else text
