"""The typed views the graph follows, defined in manifests (config's discovery reads them too)."""

from __future__ import annotations

from gitops_gate.manifests.gitops import (
    ARGO_GROUP,
    ARTIFACT_GROUP,
    FLUX_GROUP,
    ArgoApplication,
    Artifact,
    FluxKustomization,
    artifacts_of,
)

__all__ = [
    "ARGO_GROUP",
    "ARTIFACT_GROUP",
    "FLUX_GROUP",
    "ArgoApplication",
    "Artifact",
    "FluxKustomization",
    "artifacts_of",
]
