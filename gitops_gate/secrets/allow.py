"""What a repo allows: a detect-secrets baseline and an allow-list in .gitops-gate.yaml."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_gate.errors import ConfigError

if TYPE_CHECKING:
    from gitops_gate.config import Config
    from gitops_gate.secrets.scan import Hit

BASELINE = ".secrets.baseline"


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Known secrets (by hash, from a baseline) and allowed (path glob, kind) pairs."""

    baseline: Path
    hashes: frozenset[tuple[str, str]] = frozenset()
    entries: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def allows(self, hit: Hit) -> bool:
        if (hit.path, hit.hashed) in self.hashes:
            return True
        return any(_matches(entry, hit) for entry in self.entries)


def _matches(entry: dict[str, Any], hit: Hit) -> bool:
    if not fnmatch.fnmatchcase(hit.path, str(entry.get("path", "*"))):
        return False
    if "kind" in entry and str(entry["kind"]).lower() != hit.kind.lower():
        return False
    return "line" not in entry or int(entry["line"]) == hit.line


def load_allowlist(root: Path, config: Config | None) -> Allowlist:
    section = config.raw.get("secrets", {}) if config is not None else {}
    section = section if isinstance(section, dict) else {}
    baseline = root / str(section.get("baseline", BASELINE))
    entries = tuple(e for e in section.get("allow", ()) if isinstance(e, dict))
    return Allowlist(baseline, _baseline_hashes(baseline), entries)


def _baseline_hashes(path: Path) -> frozenset[tuple[str, str]]:
    """(file, hashed_secret) pairs from a detect-secrets baseline (`detect-secrets scan`)."""
    if not path.is_file():
        return frozenset()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(path.name, None, f"not a detect-secrets baseline: {e}") from e
    results = data.get("results", {}) if isinstance(data, dict) else {}
    return frozenset(
        (str(file), str(item.get("hashed_secret")))
        for file, items in results.items()
        for item in items
        if isinstance(item, dict)
    )
