"""A policy evaluation past its time or memory bound, and the one problem it is reported as."""

from __future__ import annotations

from gitops_gate.policy.protocol import Bounds, PolicyProblem
from gitops_gate.policy.source import PolicySet


class OverBounds(Exception):
    """An engine run went past Bounds: what (time or memory), and the bounds it had."""

    def __init__(self, what: str, bounds: Bounds) -> None:
        super().__init__(what)
        self.what = what
        self.bounds = bounds


def over_bounds(what: str, bounds: Bounds, policies: PolicySet) -> PolicyProblem:
    """The problem: named after the repo's policy file when there is one (the built-in policies
    are bounded and tested; it is the repo's that may loop or build a huge collection)."""
    repo = sorted(f.path for f in policies.files if f.origin == "repo")
    suspects = ", ".join(repo) if repo else "the built-in policies"
    if what == "time":
        rule, limit = "policy-timeout", f"did not finish within {bounds.timeout:g}s"
        key = "policy.timeout"
    else:
        rule, limit = "policy-resource-limit", f"needed more than {bounds.memory_mb} MB"
        key = "policy.maxMemoryMB"
    detail = (
        f"evaluating the policies {limit} ({suspects}); no policy result is reported: "
        f"look for a rule that loops or builds a huge collection, or raise {key}"
    )
    return PolicyProblem(rule, repo[0] if len(repo) == 1 else None, None, detail)
