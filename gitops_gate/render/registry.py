"""Picks a renderer by config (`engines.render`) and by what is installed."""

from __future__ import annotations

import shutil
from pathlib import Path

from gitops_gate import tools
from gitops_gate.config import Config
from gitops_gate.errors import ToolNotFoundError
from gitops_gate.render import sandbox
from gitops_gate.render.backend import Renderer
from gitops_gate.render.kubectl import KubectlKustomize
from gitops_gate.render.kustomize import KustomizeBinary


def pick(config: Config) -> Renderer:
    """`subprocess`: the pinned kustomize; `builtin`: kubectl's; `auto`: the first there is."""

    mode = config.engine("render")
    # Found here, before any build: a machine that cannot sandbox fails the run at once.
    jail = sandbox.jail(allow_unsandboxed=config.diff.allow_unsandboxed_render)
    if mode in ("auto", "subprocess"):
        found = tools.resolve("kustomize") if mode == "subprocess" else tools.find("kustomize")
        if found is not None:
            return KustomizeBinary(found.path, found.version, jail=jail)
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        return KubectlKustomize(Path(kubectl), jail=jail)
    raise ToolNotFoundError(
        "neither the pinned kustomize nor kubectl was found",
        hint="run `gitops-gate tools install kustomize`",
    )
