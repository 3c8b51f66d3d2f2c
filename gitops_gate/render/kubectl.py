"""The renderer that runs `kubectl kustomize` when the pinned kustomize is not there."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.errors import GateError
from gitops_gate.render import sandbox
from gitops_gate.render.backend import RenderSettings, safe_env
from gitops_gate.render.kustomize import LOAD_RESTRICTOR


@dataclass(slots=True)
class KubectlKustomize:
    """`kubectl kustomize` with the same safe settings as the kustomize binary."""

    path: Path
    name: str = "kubectl kustomize"
    jail: tuple[str, ...] | None = None  # as KustomizeBinary's
    _version: str | None = field(default=None, repr=False)

    def version(self) -> str:
        if self._version is None:
            self._version = f"kubectl {self._read_version()}"
        return self._version

    def _read_version(self) -> str:
        try:
            done = run([self.path, "version", "--client", "-o", "json"], timeout=30)
            info = json.loads(done.stdout)
        except (GateError, ValueError):
            return "unknown"
        client = info.get("clientVersion", {}).get("gitVersion", "?")
        return f"{client} (kustomize {info.get('kustomizeVersion', '?')})"

    def build(self, folder: Path, *, settings: RenderSettings) -> str:
        jail = sandbox.jail(allow_unsandboxed=False) if self.jail is None else self.jail
        argv: list[str | Path] = [*jail, self.path, "kustomize", folder, LOAD_RESTRICTOR]
        if settings.helm:
            argv.append("--enable-helm")
        return run(argv, timeout=settings.timeout, cwd=folder, env=safe_env()).stdout
