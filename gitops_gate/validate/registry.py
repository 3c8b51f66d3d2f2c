"""Picks the schema backend by config and by what is installed."""

from __future__ import annotations

from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.errors import ToolNotFoundError, UsageError
from gitops_gate.validate.protocol import Backend


def pick(engine: str = "auto") -> Backend:
    """`subprocess`: kubeconform or an error; `builtin`: in-process; `auto`: kubeconform if found"""
    if engine not in ENGINE_MODES:
        raise UsageError(
            f"unknown engine {engine!r}", hint=f"use one of: {', '.join(ENGINE_MODES)}"
        )
    if engine != "builtin":
        from gitops_gate import tools

        found = tools.find("kubeconform")
        if found is not None:
            from gitops_gate.validate.kubeconform import KubeconformBackend

            return KubeconformBackend(found.path)
        if engine == "subprocess":
            raise ToolNotFoundError(
                "kubeconform is not installed", hint="run `gitops-gate tools install`"
            )
    from gitops_gate.validate.builtin import BuiltinBackend

    return BuiltinBackend()
