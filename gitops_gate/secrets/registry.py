"""Picks the secret engine by config and by what is installed."""

from __future__ import annotations

from gitops_gate import tools
from gitops_gate.config.sections import SECRET_ENGINES
from gitops_gate.errors import ToolNotFoundError, UsageError
from gitops_gate.secrets.builtin import BuiltinEngine
from gitops_gate.secrets.engine import Engine
from gitops_gate.secrets.gitleaks import GitleaksEngine


def pick(engine: str = "builtin", *, max_bytes: int = 5 * 1024 * 1024) -> Engine:
    """`builtin`: detect-secrets in process; `gitleaks`: the pinned gitleaks or an error;
    `auto`: gitleaks if found, else built-in."""
    if engine not in SECRET_ENGINES:
        raise UsageError(
            f"unknown secrets engine {engine!r}", hint=f"use one of: {', '.join(SECRET_ENGINES)}"
        )
    if engine != "builtin":
        found = tools.find("gitleaks")
        if found is not None:
            return GitleaksEngine(found.path, max_megabytes=-(-max_bytes // (1024 * 1024)))
        if engine == "gitleaks":
            raise ToolNotFoundError(
                "gitleaks is not installed", hint="run `gitops-gate tools install gitleaks`"
            )
    return BuiltinEngine()
