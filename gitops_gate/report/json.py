"""Stable machine output: sorted keys, a schemaVersion, nothing that varies between runs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from gitops_gate.findings import Finding

SCHEMA_VERSION = 1


def dumps(payload: dict[str, Any]) -> str:
    """Serialise payload with schemaVersion first-class and keys sorted."""
    return json.dumps({"schemaVersion": SCHEMA_VERSION, **payload}, indent=2, sort_keys=True)


def findings_json(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [f.to_json() for f in sorted(findings, key=Finding.sort_key)]


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0, "waived": 0}
    for f in findings:
        out["waived" if f.waiver is not None else f.severity.label] += 1
    return out
