"""Everything that configures the gate, taken from a checked change's base ref, not the change."""

from __future__ import annotations

from gitops_gate.basegate.changes import CHECK, RULE
from gitops_gate.basegate.read import GateBase, read_base

__all__ = ["CHECK", "RULE", "GateBase", "read_base"]
