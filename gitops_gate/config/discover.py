"""Finds environments in the usual GitOps layouts when a repo has no .gitops-gate.yaml."""

from __future__ import annotations

from pathlib import Path

from gitops_gate.config.model import Environment

_PRODUCTION_NAMES = frozenset({"prod", "production", "prd", "live"})
_NOT_ENVIRONMENTS = frozenset({"base", "bases", "common", "components", "overlays", "shared"})
# (glob under the root, what it means) in the order users expect them listed.
_LAYOUTS = ("clusters/*", "apps/*", "*/overlays/*", "*/*/overlays/*")


def is_production(name: str) -> bool:
    return name in _PRODUCTION_NAMES or name.startswith("prod")


def discover(root: Path) -> tuple[Environment, ...]:
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
        )
        for name, paths in sorted(found.items())
    )
