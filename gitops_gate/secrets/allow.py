"""What a repo allows: a detect-secrets baseline and an allow-list in .gitops-gate.yaml."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_gate.config.sections import DEFAULT_BASELINE, SecretAllow, SecretsSection
from gitops_gate.errors import ConfigError

if TYPE_CHECKING:
    from gitops_gate.config import Config
    from gitops_gate.secrets.scan import Hit

BASELINE = DEFAULT_BASELINE


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Known secrets (by hash, from a baseline) and allowed (path glob, kind) pairs."""

    baseline: Path
    hashes: frozenset[tuple[str, str]] = frozenset()
    entries: tuple[SecretAllow, ...] = ()

    def allows(self, hit: Hit) -> bool:
        if (hit.path, hit.hashed) in self.hashes:
            return True
        return any(_matches(entry, hit) for entry in self.entries)


def _matches(entry: SecretAllow, hit: Hit) -> bool:
    if not fnmatch.fnmatchcase(hit.path, entry.path):
        return False
    if entry.kind is not None and entry.kind.lower() != hit.kind.lower():
        return False
    return entry.line is None or entry.line == hit.line


def load_allowlist(root: Path, config: Config | None) -> Allowlist:
    section = config.secrets if config is not None else SecretsSection()
    baseline = root / section.baseline
    text = section.baseline_text
    return Allowlist(baseline, _baseline_hashes(baseline, text), section.allow)


def _baseline_hashes(path: Path, text: str | None = None) -> frozenset[tuple[str, str]]:
    """(file, hashed_secret) pairs from a detect-secrets baseline (`detect-secrets scan`):
    text when given (the base ref's, "" for none), else the file at path."""
    if text == "" or (text is None and not path.is_file()):
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except OSError as e:
        raise ConfigError(path.name, None, f"not a detect-secrets baseline: {e}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(path.name, None, f"not a detect-secrets baseline: {e}") from e
    results = data.get("results", {}) if isinstance(data, dict) else {}
    return frozenset(
        (str(file), str(item.get("hashed_secret")))
        for file, items in results.items()
        for item in items
        if isinstance(item, dict)
    )
