"""Picks the schema backend by config and by what is installed."""

from __future__ import annotations

from gitops_gate import tools
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.errors import ToolNotFoundError, UsageError
from gitops_gate.validate.builtin import BuiltinBackend
from gitops_gate.validate.kubeconform import KubeconformBackend
from gitops_gate.validate.protocol import Backend


def pick(engine: str = "auto") -> Backend:
    """`subprocess`: kubeconform or an error; `builtin`: in-process; `auto`: kubeconform if found"""
    if engine not in ENGINE_MODES:
        raise UsageError(
            f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINE_MODES)}"
        )
    if engine != "builtin":
        found = tools.find("kubeconform")
        if found is not None:
            return KubeconformBackend(found.path)
        if engine == "subprocess":
            raise ToolNotFoundError(
                "kubeconform is not installed", hint="run `gitops-gate tools install`"
            )

    return BuiltinBackend()
