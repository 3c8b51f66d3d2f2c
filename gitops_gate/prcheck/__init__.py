"""The PR check: a pull request's change checked and posted as one GitHub check and comment."""

from __future__ import annotations

from gitops_gate.prcheck.audit import approval_events, run_event
from gitops_gate.prcheck.inputs import Inputs, read_inputs
from gitops_gate.prcheck.run import Report, pr_check

__all__ = ["Inputs", "Report", "approval_events", "pr_check", "read_inputs", "run_event"]
