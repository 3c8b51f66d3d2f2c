"""The schema validator contract: items in, one Outcome per item out, whichever backend runs."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol

from gitops_gate.manifests.model import Resource
from gitops_gate.validate.store import SchemaStore


class Status(enum.StrEnum):
    """kubeconform's verdicts (statusValid, -Invalid, -Error, -Skipped), plus no-schema."""

    VALID = "valid"
    INVALID = "invalid"
    ERROR = "error"
    SKIPPED = "skipped"
    NO_SCHEMA = "no-schema"


@dataclass(frozen=True, slots=True)
class Violation:
    """One schema violation at a JSON pointer into the resource."""

    pointer: str
    message: str


@dataclass(slots=True)
class Outcome:
    """What a backend decided for one resource."""

    status: Status
    violations: list[Violation] = field(default_factory=list)
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "violations": [[v.pointer, v.message] for v in self.violations],
            "message": self.message,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Outcome:
        violations = [Violation(p, m) for p, m in raw["violations"]]
        return cls(Status(raw["status"]), violations, raw["message"])


class Backend(Protocol):
    """A schema validator: kubeconform as a subprocess, or the built-in one."""

    name: str

    def validate(self, resources: list[Resource], store: SchemaStore) -> list[Outcome]:
        """One Outcome per resource, in order; schemas come only from store."""
        ...
