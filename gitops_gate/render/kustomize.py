"""The renderer that runs the pinned `kustomize build`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.render import sandbox
from gitops_gate.render.backend import RenderSettings, safe_env

LOAD_RESTRICTOR = "--load-restrictor=LoadRestrictionsRootOnly"


@dataclass(frozen=True, slots=True)
class KustomizeBinary:
    """`kustomize build` with root-only loading, no plugins, no exec, Helm only when enabled,
    and no network: jail is the argv prefix that cuts it off (None: find it on first build)."""

    path: Path
    tool_version: str
    name: str = "kustomize"
    jail: tuple[str, ...] | None = None

    def version(self) -> str:
        return f"kustomize {self.tool_version}"

    def build(self, folder: Path, *, settings: RenderSettings) -> str:
        jail = sandbox.jail(allow_unsandboxed=False) if self.jail is None else self.jail
        argv: list[str | Path] = [*jail, self.path, "build", folder, LOAD_RESTRICTOR]
        if settings.helm:
            argv.append("--enable-helm")
        return run(argv, timeout=settings.timeout, cwd=folder, env=safe_env()).stdout
