"""The built-in library's metadata (OPA METADATA comments): `policy list` and the README table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from gitops_gate.policy.source import PolicyFile, builtin_files

_BLOCK = re.compile(r"^# METADATA\n((?:#.*\n)+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One built-in rule as its metadata describes it."""

    id: str
    title: str
    severity: str
    description: str
    rationale: str
    remediation: str
    package: str
    path: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "description": self.description,
            "rationale": self.rationale,
            "remediation": self.remediation,
            "package": self.package,
        }


def metadata(f: PolicyFile) -> dict[str, Any] | None:

    match = _BLOCK.search(f.text)
    if match is None:
        return None
    text = "\n".join(
        line[2:] if line.startswith("# ") else line[1:] for line in match.group(1).splitlines()
    )
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else None


def rules(files: list[PolicyFile] | None = None) -> list[RuleInfo]:
    """Every rule with an id in its metadata, sorted by id."""
    out = []
    for f in builtin_files() if files is None else files:
        meta = metadata(f)
        custom = (meta or {}).get("custom") or {}
        if not meta or "id" not in custom:
            continue
        out.append(
            RuleInfo(
                id=str(custom["id"]),
                title=str(meta.get("title", "")),
                severity=str(custom.get("severity", "error")),
                description=" ".join(str(meta.get("description", "")).split()),
                rationale=" ".join(str(custom.get("rationale", "")).split()),
                remediation=" ".join(str(custom.get("remediation", "")).split()),
                package=f.package,
                path=f.path,
            )
        )
    return sorted(out, key=lambda r: r.id)


def markdown(infos: list[RuleInfo] | None = None) -> str:
    """The README section listing the built-in rules, generated from their metadata."""
    lines = [
        "| rule | severity | what it checks | fix |",
        "|---|---|---|---|",
    ]
    for r in infos if infos is not None else rules():
        cells = [f"`{r.id}`", r.severity, r.description, r.remediation]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
