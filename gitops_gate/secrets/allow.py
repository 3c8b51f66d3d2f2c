"""What a repo allows: a detect-secrets baseline and an allow-list in .gitops-gate.yaml."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_gate.config.sections import (
    DEFAULT_BASELINE,
    LimitsSection,
    SecretAllow,
    SecretsSection,
)
from gitops_gate.errors import ConfigError, ManifestError
from gitops_gate.manifests.decode import read_text

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
    return Allowlist(baseline, _baseline_hashes(root, section.baseline, text), section.allow)


def _baseline_hashes(root: Path, rel: str, text: str | None = None) -> frozenset[tuple[str, str]]:
    """(file, hashed_secret) pairs from a detect-secrets baseline (`detect-secrets scan`):
    text when given (the base ref's, "" for none), else the file rel under root."""
    path = root / rel
    if text == "" or (text is None and not path.is_file()):
        return frozenset()
    if text is None and not path.resolve().is_relative_to(root.resolve()):
        raise ConfigError(rel, None, "the baseline is a link that leaves the repository; not read")
    try:
        text = (
            read_text(path, rel, max_bytes=LimitsSection().max_file_bytes) if text is None else text
        )
    except ManifestError as e:
        raise ConfigError(rel, e.line, f"not a detect-secrets baseline: {e.message}") from e
    except OSError as e:
        raise ConfigError(rel, None, f"not a detect-secrets baseline: {e.strerror}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError(rel, None, f"not a detect-secrets baseline: {e}") from e
    results = data.get("results", {}) if isinstance(data, dict) else {}
    return frozenset(
        (str(file), str(item.get("hashed_secret")))
        for file, items in results.items()
        for item in items
        if isinstance(item, dict)
    )
