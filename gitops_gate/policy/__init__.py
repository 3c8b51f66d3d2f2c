"""Policies: the built-in Rego library and the repo's own, evaluated by conftest or rego-cpp."""

from __future__ import annotations

from gitops_gate.policy.run import evaluate, policy_findings, policy_set
from gitops_gate.policy.source import PolicyFile, PolicySet, load_policies

__all__ = [
    "PolicyFile",
    "PolicySet",
    "evaluate",
    "load_policies",
    "policy_findings",
    "policy_set",
]
