"""Finds environments when .gitops-gate.yaml declares none: from what Flux and Argo CD would
deploy, else from the usual folder layouts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitops_gate.config.argo_envs import argo_environments
from gitops_gate.config.flux_roots import flux_clusters
from gitops_gate.config.found import CONVENTION, Found
from gitops_gate.config.model import Environment
from gitops_gate.config.objects import scan_objects
from gitops_gate.config.sections import LimitsSection
from gitops_gate.config.trees import Repo

_PRODUCTION_NAMES = frozenset({"prod", "production", "prd", "live"})
_NOT_ENVIRONMENTS = frozenset({"base", "bases", "common", "components", "overlays", "shared"})
# (glob under the root, what it means) in the order users expect them listed.
_LAYOUTS = ("clusters/*", "apps/*", "*/overlays/*", "*/*/overlays/*")


def is_production(name: str) -> bool:
    return name in _PRODUCTION_NAMES or name.startswith("prod")


def discover(
    root: Path, exclude: Sequence[str] = (), max_file_bytes: int | None = None
) -> tuple[tuple[Environment, ...], tuple[str, ...]]:
    """The environments Flux root Kustomizations, Argo CD Applications and ApplicationSet
    elements deploy; when there are none, `clusters/<env>/`, `apps/<env>/` and
    `<app>/overlays/<env>/`. And notices for what could not be known offline."""
    limit = max_file_bytes or LimitsSection().max_file_bytes
    scanned = scan_objects(root, exclude, limit)
    repo = Repo.of(scanned)
    found = flux_clusters(scanned.resources, repo)
    argo, notices = argo_environments(scanned.resources, repo, root.resolve())
    envs = _merge([*found, *argo])
    return (envs or by_convention(root)), tuple(notices)


def _merge(found: list[Found]) -> tuple[Environment, ...]:
    merged: dict[str, Found] = {}
    for f in found:
        into = merged.setdefault(f.name, Found(f.name, f.rule, f.where))
        into.paths += [p for p in f.paths if p not in into.paths]
        into.includes |= f.includes
    return tuple(_environment(f) for _, f in sorted(merged.items()))


def _environment(f: Found) -> Environment:
    production = is_production(f.name)
    includes = sorted(p for p in f.includes if not any(_under(p, q) for q in f.paths))
    return Environment(
        name=f.name,
        paths=tuple(f.paths),
        source=f.where,
        production=production,
        auto_sync=not production,
        rule=f.rule,
        includes=tuple(includes),
    )


def _under(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(folder + "/")


def by_convention(root: Path) -> tuple[Environment, ...]:
    """Environments from `clusters/<env>/`, `apps/<env>/` and `<app>/overlays/<env>/`."""
    found: dict[str, list[str]] = {}
    for pattern in _LAYOUTS:
        for d in sorted(root.glob(pattern)):
            if d.is_dir() and not d.is_symlink() and d.name not in _NOT_ENVIRONMENTS:
                if not d.name.startswith("."):
                    found.setdefault(d.name, []).append(d.relative_to(root).as_posix())
    return tuple(
        Environment(
            name=name,
            paths=tuple(paths),
            source="discovered from " + ", ".join(p + "/" for p in paths),
            production=is_production(name),
            auto_sync=not is_production(name),
            rule=CONVENTION,
        )
        for name, paths in sorted(found.items())
    )
