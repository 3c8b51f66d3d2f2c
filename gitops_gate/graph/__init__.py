"""The dependency graph: which environments a change reaches, Flux apply order, cycles."""

from __future__ import annotations

from gitops_gate.graph.build import build
from gitops_gate.graph.model import RepoGraph

__all__ = ["RepoGraph", "build"]
