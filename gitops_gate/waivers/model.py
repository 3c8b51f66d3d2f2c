"""A waiver as written, and the finding that refuses one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gitops_gate.findings import Finding, Severity, Waiver

ANNOTATION = "gitops-gate.io/waive"
WAIVERS_FILE = ".gitops-gate-waivers.yaml"
CHECK = "waivers"
INVALID = "waiver-invalid"


@dataclass(frozen=True, slots=True)
class WaiverRule:
    """A waiver as written: which rule, which one resource (or file), why, whose, until when."""

    rule: str
    selector: dict[str, str]
    waiver: Waiver
    expires: dt.date
    path: str
    line: int | None

    def covers(self, finding: Finding) -> bool:
        """Exact match on every selector field; no namespace named means none set."""
        if finding.rule != self.rule:
            return False
        key = finding.resource
        values = {
            "kind": key.kind if key else None,
            "name": key.name if key else None,
            "namespace": (key.namespace or None) if key else None,
            "group": key.group if key else None,
            "path": finding.path,
        }
        if "name" in self.selector and "namespace" not in self.selector and values["namespace"]:
            return False
        return all(values[k] == v for k, v in self.selector.items())


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def problem(path: str, line: int | None, message: str, *, rule: str = INVALID) -> Finding:
    return Finding(rule, Severity.ERROR, message, CHECK, path, line)
