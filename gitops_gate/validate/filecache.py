"""Each file's findings and counts by its bytes' hash: an unchanged file is not even parsed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import ResultCache
from gitops_gate.findings import Finding
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.validate.mapping import finding_from_json

# Bump when what an entry holds, or how the loader or checks decide, changes.
_FORMAT = "3"


@dataclass(slots=True)
class Entry:
    """What validating one file produced: its record, findings (load and schema), counts."""

    record: FileRecord
    findings: list[Finding]
    counts: dict[str, int]

    def to_json(self, sha: str) -> dict[str, Any]:
        return {
            "sha": sha,
            "record": self.record.to_json(),
            "findings": [f.to_json() for f in self.findings],
            "counts": self.counts,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Entry:
        r = raw["record"]
        record = FileRecord(
            r["path"], FileKind(r["kind"]), r["documents"], r["resources"], r["reason"]
        )
        record.substituted = bool(r["substituted"])
        findings = [finding_from_json(f) for f in raw["findings"]]
        return cls(record, findings, {k: int(v) for k, v in raw["counts"].items()})


def settings_key(parts: dict[str, Any]) -> str:
    """One key for everything besides a file's bytes that decides its findings."""
    payload = json.dumps({"format": _FORMAT, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


class FileCache:
    """Entries by repo-relative path, valid only for the same bytes (sha) and settings key.

    One JSON file per settings key, outside the work tree, read once and written once
    atomically (ResultCache): an interrupted run leaves the previous cache whole.
    """

    def __init__(self, key: str, *, enabled: bool, root: Path | None) -> None:
        self._store = ResultCache(f"files-{key}", enabled=enabled, root=root)
        self.enabled = enabled

    def get(self, rel: str, sha: str | None) -> Entry | None:
        raw = self._store.entries.get(rel) if self.enabled and sha else None
        if not isinstance(raw, dict) or raw.get("sha") != sha:
            return None
        try:
            return Entry.from_json(raw)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, rel: str, sha: str, entry: Entry) -> None:
        self._store.put(rel, entry.to_json(sha))

    def save(self) -> None:
        self._store.save()
