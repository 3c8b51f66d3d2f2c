"""Pick a policy engine: conftest when asked or available, the built-in engine otherwise."""

from __future__ import annotations

from gitops_gate import tools
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.errors import UsageError
from gitops_gate.policy.builtin import BuiltinEngine
from gitops_gate.policy.conftest_engine import ConftestEngine
from gitops_gate.policy.protocol import Bounds, PolicyEngine


def select(
    mode: str = "auto", bounds: Bounds | None = None, rego_version: str = "v1"
) -> PolicyEngine:
    """`subprocess` needs the pinned conftest; `auto` uses it when found; `builtin` never does."""
    if mode not in ENGINE_MODES:
        raise UsageError(
            f"unknown policy engine {mode!r}", hint=f"use one of: {', '.join(ENGINE_MODES)}"
        )
    if mode != "builtin":
        found = tools.resolve("conftest") if mode == "subprocess" else tools.find("conftest")
        if found is not None:
            return ConftestEngine(found.path, bounds or Bounds(), rego_version)

    return BuiltinEngine(bounds or Bounds(), rego_version)
