"""The renderer that runs the pinned `kustomize build`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.render.backend import RenderSettings, safe_env

LOAD_RESTRICTOR = "--load-restrictor=LoadRestrictionsRootOnly"


@dataclass(frozen=True, slots=True)
class KustomizeBinary:
    """`kustomize build` with root-only loading, no plugins, no exec, Helm only when enabled."""

    path: Path
    tool_version: str
    name: str = "kustomize"

    def version(self) -> str:
        return f"kustomize {self.tool_version}"

    def build(self, folder: Path, *, settings: RenderSettings) -> str:
        argv: list[str | Path] = [self.path, "build", folder, LOAD_RESTRICTOR]
        if settings.helm:
            argv.append("--enable-helm")
        return run(argv, timeout=settings.timeout, cwd=folder, env=safe_env()).stdout
