"""Finds environments when .gitops-gate.yaml declares none: from what Flux and Argo CD would
deploy, else from the usual folder layouts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.config.argo_envs import argo_environments
from gitops_gate.config.flux_roots import flux_clusters
from gitops_gate.config.found import CONVENTION, Found
from gitops_gate.config.model import Environment
from gitops_gate.config.objects import Scanned, scan_stamped
from gitops_gate.config.sections import LimitsSection
from gitops_gate.config.trees import Repo

_PRODUCTION_NAMES = frozenset({"prod", "production", "prd", "live"})
_NOT_ENVIRONMENTS = frozenset({"base", "bases", "common", "components", "overlays", "shared"})
# (glob under the root, what it means) in the order users expect them listed.
_LAYOUTS = ("clusters/*", "apps/*", "*/overlays/*", "*/*/overlays/*")


def is_production(name: str) -> bool:
    return name in _PRODUCTION_NAMES or name.startswith("prod")


@dataclass(frozen=True, slots=True)
class Discovery:
    environments: tuple[Environment, ...]
    notices: tuple[str, ...]
    scanned: Scanned  # what was read, for the graph to reuse while no file changes


# The last repo's discovery: a hook loads its config three times (the plan, the check, the
# base's), and each would read every GitOps file again. Taken only while no file changed.
_LAST: dict[tuple[Path, tuple[str, ...], int], Discovery] = {}


def discover(
    root: Path, exclude: Sequence[str] = (), max_file_bytes: int | None = None
) -> Discovery:
    """The environments Flux root Kustomizations, Argo CD Applications and ApplicationSet
    elements deploy; when there are none, `clusters/<env>/`, `apps/<env>/` and
    `<app>/overlays/<env>/`. And notices for what could not be known offline."""
    limit = max_file_bytes or LimitsSection().max_file_bytes
    key = (root.resolve(), tuple(exclude), limit)
    last = _LAST.get(key)
    scanned = last.scanned if last is not None and last.scanned.unchanged() else None
    if scanned is None:
        scanned = scan_stamped(root, exclude, limit, reuse=last.scanned if last else None)
    if last is None or scanned is not last.scanned:
        repo = Repo.of(scanned.result)
        found = flux_clusters(scanned.result.resources, repo)
        argo, notices = argo_environments(scanned.result.resources, repo, key[0])
        last = Discovery(_merge([*found, *argo]), tuple(notices), scanned)
        _LAST.clear()
        _LAST[key] = last
    return Discovery(last.environments or by_convention(root), last.notices, scanned)


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
        # Found from what Flux and Argo CD deploy: those objects say how it syncs (an
        # Application's syncPolicy.automated, Flux reconciling what merged), and nobody has asked
        # for manual syncs; `autoSync: false` in .gitops-gate.yaml does.
        auto_sync=True,
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
