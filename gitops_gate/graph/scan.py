"""A quick load for the graph: every file is listed, only the ones the graph reads are parsed."""

from __future__ import annotations

from pathlib import Path

from gitops_gate.config import Config
from gitops_gate.config.objects import add_text, scan_objects
from gitops_gate.manifests.loader import LoadResult

__all__ = ["add_text", "scan"]


def scan(root: Path, config: Config) -> LoadResult:
    """What build() needs from root: all files, kustomizations, and the GitOps objects."""
    return scan_objects(root, config.exclude, config.max_file_bytes, reuse=config.scanned)
