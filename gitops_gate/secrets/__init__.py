"""Secret scanning: every file a change touches, with detect-secrets' detectors, never the value."""

from __future__ import annotations

from gitops_gate.secrets.scan import Hit, not_repeated, scan_files, secret_findings

__all__ = ["Hit", "not_repeated", "scan_files", "secret_findings"]
