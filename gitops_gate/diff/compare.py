"""Compares two renders of an environment object by object: added, removed, changed."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from gitops_gate.diff.impact import Impact, image_changes, impact_of
from gitops_gate.diff.normalize import mask_pair, secret_redactor, without_noise
from gitops_gate.findings import Finding
from gitops_gate.keys import ResourceKey
from gitops_gate.report import escape


@dataclass(frozen=True, slots=True)
class ObjectChange:
    """One object that differs, with its unified YAML diff (secrets already masked)."""

    key: ResourceKey
    change: str  # added | removed | changed
    impact: Impact
    reason: str
    diff: str
    images: tuple[tuple[str, str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "resource": self.key.to_json(),
            "change": self.change,
            "impact": self.impact.label,
            "reason": self.reason,
            "diff": self.diff,
            "images": [{"container": c, "old": o, "new": n} for c, o, n in self.images],
        }


@dataclass(slots=True)
class EnvDiff:
    """What changes in one environment between two renders."""

    env: str
    before: str  # what the left side is: a ref or an environment
    after: str
    production: bool = False
    changes: list[ObjectChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)

    @property
    def impact(self) -> Impact:
        if not self.changes:
            return Impact.NONE
        worst = max(c.impact for c in self.changes)
        return Impact.HIGH if self.production else worst

    @property
    def images(self) -> list[tuple[str, str]]:
        """(old, new) image pairs, each once."""
        seen: dict[tuple[str, str], None] = {}
        for c in self.changes:
            for _, old, new in c.images:
                seen.setdefault((old, new))
        return list(seen)

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.env,
            "before": self.before,
            "after": self.after,
            "production": self.production,
            "impact": self.impact.label,
            "counts": {k: self.count(k) for k in ("added", "removed", "changed")},
            "images": [{"old": o, "new": n} for o, n in self.images],
            "changes": [c.to_json() for c in self.changes],
            "findings": [f.to_json() for f in self.findings],
        }


def compare(
    before: dict[ResourceKey, dict[str, Any]],
    after: dict[ResourceKey, dict[str, Any]],
    *,
    ignore: Sequence[str] = (),
) -> list[ObjectChange]:
    """Every object that was added, removed or changed, in key order."""
    out = []
    redact = secret_redactor(before.values(), after.values())
    for key in sorted(set(before) | set(after), key=_order):
        if key in before and key in after and before[key] == after[key]:
            continue
        old = without_noise(before[key], ignore) if key in before else None
        new = without_noise(after[key], ignore) if key in after else None
        if old == new:
            continue
        change = "added" if old is None else "removed" if new is None else "changed"
        level, reason = impact_of(key, old, new)
        shown_old, shown_new = mask_pair(old, new, redact)
        out.append(
            ObjectChange(
                key,
                change,
                level,
                reason,
                unified(key, shown_old, shown_new),
                tuple(image_changes(old, new)),
            )
        )
    return out


def _order(key: ResourceKey) -> tuple[str, str, str, str]:
    return (key.namespace or "", key.kind, key.name, key.group)


def unified(key: ResourceKey, old: dict[str, Any] | None, new: dict[str, Any] | None) -> str:
    a = _yaml(old)
    b = _yaml(new)
    name = escape.line(str(key))  # a newline in a name would start a line of its own
    lines = difflib.unified_diff(a, b, fromfile=f"a/{name}", tofile=f"b/{name}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


_Base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[valid-type,misc]
    """Multi-line strings (inline patches, scripts) as literal blocks, so diffs read by line."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _yaml(body: dict[str, Any] | None) -> list[str]:
    if body is None:
        return []
    text = yaml.dump(body, Dumper=_Dumper, sort_keys=True, default_flow_style=False, width=1000)
    return text.splitlines(keepends=True)
