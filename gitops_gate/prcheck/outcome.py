"""One PR check's outcome: the check, the environment diff, the overrides, and the PR."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gitops_gate.api import CheckResult
from gitops_gate.diff.api import DiffResult
from gitops_gate.findings import Finding
from gitops_gate.github.pulls import PullInfo
from gitops_gate.report.json import counts
from gitops_gate.windows.gate import BLOCKED, MANUAL_ONLY, OVERRIDDEN

OTHER = "other files"  # findings in no environment's folders (shared bases, the config)


@dataclass(frozen=True, slots=True)
class Override:
    """A closed window let through by the PR's override label, and who added the label."""

    environment: str
    label: str
    by: str | None

    def to_json(self) -> dict[str, Any]:
        return {"environment": self.environment, "label": self.label, "by": self.by}


@dataclass(slots=True)
class Outcome:
    """Everything the check run, the comment, the status and the audit event are made from."""

    pull: PullInfo
    base: str  # the merge base the change is checked against
    check: CheckResult
    diff: DiffResult
    prefix: str  # the config root's folder in the repository, "" at its top
    overrides: list[Override] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.check.failed

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.check.findings)

    def environments_of(self, f: Finding) -> list[str]:
        """The environments a finding is about: a window's own, else those holding its file."""
        named = f.extra.get("environment")
        if isinstance(named, str):
            return [named]
        if f.path is None:
            return [OTHER]
        found = [e.name for e in self.check.config.environments_of(f.path)]
        return found or [OTHER]

    def environments(self) -> list[str]:
        """The environments the change reaches (diffed, or with a window finding), in the
        config's order."""
        reached = {e.env for e in self.diff.envs}
        reached |= {n for f in self.check.findings if f.rule in WINDOW_RULES
                    for n in self.environments_of(f)}  # fmt: skip
        return [e.name for e in self.check.config.environments if e.name in reached]

    def window_state(self, env: str) -> str:
        """open, closed (blocking or warning), overridden, or manual syncs only."""
        for f in self.check.findings:
            if f.rule in WINDOW_RULES and self.environments_of(f) == [env]:
                return _STATE[f.rule] if f.rule != BLOCKED else f"closed ({f.severity.label})"
        return "open"


WINDOW_RULES = frozenset({BLOCKED, OVERRIDDEN, MANUAL_ONLY})
_STATE = {OVERRIDDEN: "closed, overridden", MANUAL_ONLY: "manual syncs only"}
