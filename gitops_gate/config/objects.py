"""A quick read of a repo: every file listed, only kustomizations and GitOps objects parsed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gitops_gate.errors import ManifestError
from gitops_gate.manifests import classify
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.loader import LoadResult, load_text
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.manifests.walk import walk

# Kustomizations, Flux Kustomizations, ArtifactGenerators, Argo CD Applications and
# ApplicationSets; a file naming none of these API groups is listed (its bytes are hashed
# for the render cache) but never parsed, which makes a big repo cheap to read.
_MARKERS = ("kustomize.toolkit.fluxcd.io", "source.extensions.fluxcd.io", "argoproj.io")


def scan_objects(root: Path, exclude: Sequence[str], max_file_bytes: int) -> LoadResult:
    """All files under root (git-ignored and excluded ones left out), kustomizations and
    the GitOps objects parsed; what cannot be read is listed as an error, never raised."""
    # The graph links a kustomization to what it lists through its own edges (graph.build), so
    # the walk need not parse every kustomization again to follow them: a third of a hook's time.
    candidates, findings = walk(
        [root], root, exclude=exclude, gitignore=True, follow_references=False
    )
    result = LoadResult(root=root.resolve(), findings=findings)
    for c in candidates:
        if classify.skip_reason(c.rel, root) is not None:
            result.files.append(FileRecord(c.rel, FileKind.NOT_YAML))
            continue
        try:
            text = read_text(c.path, c.rel, max_bytes=max_file_bytes)
        except ManifestError:
            result.files.append(FileRecord(c.rel, FileKind.ERROR))
            continue
        add_text(result, c.rel, text)
    return result


def add_text(result: LoadResult, rel: str, text: str) -> None:
    """Parse rel's text into result when it holds what discovery and the graph follow, else
    only list it."""
    if classify.is_kustomization_file(rel) or any(m in text for m in _MARKERS):
        loaded = load_text(text, rel)
        loaded.findings = []  # the loader's own findings belong to `check`
        result.extend(loaded)
    else:
        result.files.append(FileRecord(rel, FileKind.OTHER_YAML))
