"""Environment diffs: base vs head and env vs env, with masking, impact and PR-ready output."""

from __future__ import annotations

from gitops_gate.diff.api import DiffResult, diff_environments, diff_refs
from gitops_gate.diff.compare import EnvDiff, ObjectChange, compare

__all__ = ["DiffResult", "EnvDiff", "ObjectChange", "compare", "diff_environments", "diff_refs"]
