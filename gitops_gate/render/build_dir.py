"""Builds one repo folder into objects: kustomize for a kustomization, the files for a plain one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from gitops_gate.errors import ManifestError, ToolError
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.kustomization import KUSTOMIZATION_NAMES
from gitops_gate.manifests.loader import load
from gitops_gate.manifests.yamlsafe import parse
from gitops_gate.render.backend import Renderer, RenderSettings, first_error_line

# Flux Kustomization fields kustomize-controller turns into a kustomization around spec.path.
WRAPPED = (
    "targetNamespace",
    "patches",
    "images",
    "namePrefix",
    "nameSuffix",
    "commonMetadata",
    "components",
)


class BuildFailed(Exception):
    """A folder did not build; carries the finding that says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def kustomization_file(root: Path, rel: str) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        if (root / rel / name).is_file():
            return f"{rel}/{name}" if rel != "." else name
    return None


def build_dir(
    root: Path,
    rel: str,
    renderer: Renderer,
    settings: RenderSettings,
    wrap: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The objects rel builds to; wrap holds Flux fields to apply (targetNamespace, patches...)."""
    kfile = kustomization_file(root, rel)
    if kfile is None:
        return _plain(root, rel, renderer, settings, wrap)
    if wrap:
        return _wrapped(root, rel, kfile, renderer, settings, wrap)
    return _kustomize(root / rel, kfile, renderer, settings)


def _kustomize(
    folder: Path, kfile: str, renderer: Renderer, settings: RenderSettings
) -> list[dict[str, Any]]:
    try:
        text = renderer.build(folder, settings=settings)
    except ToolError as e:
        why = "timed out" if e.returncode is None else first_error_line(e.stderr)
        raise BuildFailed(
            Finding(
                "render-failed",
                Severity.ERROR,
                f"{renderer.name} build failed: {why}",
                "render",
                kfile,
            )
        ) from e
    try:
        return [d.value for d in parse(text, kfile) if isinstance(d.value, dict)]
    except ManifestError as e:
        raise BuildFailed(
            Finding(
                "render-failed",
                Severity.ERROR,
                f"unreadable build output: {e.message}",
                "render",
                kfile,
            )
        ) from e


def _wrapped(
    root: Path,
    rel: str,
    kfile: str,
    renderer: Renderer,
    settings: RenderSettings,
    spec: dict[str, Any],
) -> list[dict[str, Any]]:
    """Build rel inside a generated kustomization, as kustomize-controller does, in a temp dir."""
    with tempfile.TemporaryDirectory(prefix="gitops-gate-wrap-") as tmp:
        target = os.path.relpath(root / rel, tmp)
        body: dict[str, Any] = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": [target],
        }
        _wrap_fields(body, spec, target)
        (Path(tmp) / "kustomization.yaml").write_text(yaml.safe_dump(body))
        return _kustomize(Path(tmp), kfile, renderer, settings)


def _wrap_fields(body: dict[str, Any], spec: dict[str, Any], target: str) -> None:
    if spec.get("targetNamespace"):
        body["namespace"] = spec["targetNamespace"]
    for field in ("patches", "images"):
        if isinstance(spec.get(field), list):
            body[field] = spec[field]
    for field in ("namePrefix", "nameSuffix"):
        if spec.get(field):
            body[field] = spec[field]
    meta = spec.get("commonMetadata")
    if isinstance(meta, dict):
        if isinstance(meta.get("labels"), dict):
            body["labels"] = [{"pairs": meta["labels"], "includeSelectors": False}]
        if isinstance(meta.get("annotations"), dict):
            body["commonAnnotations"] = meta["annotations"]
    if isinstance(spec.get("components"), list):
        body["components"] = [f"{target}/{c}" for c in spec["components"]]


def _plain(
    root: Path, rel: str, renderer: Renderer, settings: RenderSettings, wrap: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Every manifest under rel; sub-folders with a kustomization build on their own (as Flux)."""
    loaded = load([root / rel], root=root)
    nested = sorted({str(Path(k.path).parent) for k in loaded.kustomizations})
    top = [d for d in nested if not any(d.startswith(o + "/") for o in nested if o != d)]
    out = [r.body for r in loaded.resources if not any(r.path.startswith(d + "/") for d in top)]
    for d in top:
        out += build_dir(root, d, renderer, settings)
    namespace = (wrap or {}).get("targetNamespace")
    if namespace:
        for body in out:
            if body.get("kind") not in CLUSTER_SCOPED and isinstance(body.get("metadata"), dict):
                body["metadata"]["namespace"] = namespace
    return out


CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "StorageClass",
        "CustomResourceDefinition",
        "ClusterRole",
        "ClusterRoleBinding",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "APIService",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "ClusterIssuer",
        "GatewayClass",
        "ClusterPolicy",
        "ClusterRoleTemplate",
    }
)
