"""The one Finding model every check produces and every report consumes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from gitops_gate.keys import ResourceKey


class Severity(enum.IntEnum):
    """How bad a finding is; the fail level compares against this order."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (allowed: {allowed})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Waiver:
    """An exemption of one rule for one resource, with who, why and until when."""

    reason: str
    expires: str | None = None
    owner: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found, located as precisely as the input allows."""

    rule: str
    severity: Severity
    message: str
    check: str
    path: str | None = None
    line: int | None = None
    resource: ResourceKey | None = None
    waiver: Waiver | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def location(self) -> str:
        if self.path is None:
            return "-"
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path or "", self.line or 0, self.check, self.rule)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "check": self.check,
            "path": self.path,
            "line": self.line,
            "resource": self.resource.to_json() if self.resource else None,
            "waiver": None,
        }
        if self.waiver is not None:
            out["waiver"] = {
                "reason": self.waiver.reason,
                "expires": self.waiver.expires,
                "owner": self.waiver.owner,
                "source": self.waiver.source,
            }
        if "locations" in self.extra:  # a finding folded from many: every place it stood
            out["locations"] = list(self.extra["locations"])
        return out


def gate_fails(findings: list[Finding], fail_level: Severity) -> bool:
    """True when any unwaived finding is at or above the fail level."""
    return any(f.waiver is None and f.severity >= fail_level for f in findings)
