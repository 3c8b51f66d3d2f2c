"""Kubernetes APIs removed or deprecated, from Kubernetes' Deprecated API Migration Guide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.model import Resource

REMOVED_RULE = "api-removed"
DEPRECATED_RULE = "api-deprecated"
_CHECK = "schema"
_MINOR = re.compile(r"^v?(\d+)\.(\d+)")


@dataclass(frozen=True, slots=True)
class Removal:
    """One group/version/kind the guide says stops being served in `removed` (`1.22`)."""

    api_version: str
    kind: str
    removed: str
    replacement: str  # what to use instead: an apiVersion, or what replaced the API
    deprecated: str | None = None  # when the guide (or the API's own warning) names it


def _rows(
    api_versions: str, kinds: str, removed: str, replacement: str, deprecated: str | None = None
) -> list[Removal]:
    return [
        Removal(v, k, removed, replacement, deprecated)
        for v in api_versions.split()
        for k in kinds.split()
    ]


_FLOW = "FlowSchema PriorityLevelConfiguration"
_STORAGE_22 = "CSIDriver CSINode StorageClass VolumeAttachment"
_REVIEWS = (
    "LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview"
)
_RBAC = "ClusterRole ClusterRoleBinding Role RoleBinding"

REMOVALS: tuple[Removal, ...] = tuple(
    # v1.32
    _rows(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        _FLOW,
        "1.32",
        "flowcontrol.apiserver.k8s.io/v1",
        "1.29",
    )
    # v1.29
    + _rows(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        _FLOW,
        "1.29",
        "flowcontrol.apiserver.k8s.io/v1",
        "1.26",
    )
    # v1.27
    + _rows("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1", "1.24")
    # v1.26
    + _rows(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        _FLOW,
        "1.26",
        "flowcontrol.apiserver.k8s.io/v1",
        "1.23",
    )
    + _rows("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2", "1.23")
    # v1.25
    + _rows("batch/v1beta1", "CronJob", "1.25", "batch/v1", "1.21")
    + _rows("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1", "1.21")
    + _rows("events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1", "1.19")
    + _rows("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "autoscaling/v2", "1.22")
    + _rows("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1", "1.21")
    + _rows(
        "policy/v1beta1",
        "PodSecurityPolicy",
        "1.25",
        "Pod Security Admission (no replacement API)",
        "1.21",
    )
    + _rows("node.k8s.io/v1beta1", "RuntimeClass", "1.25", "node.k8s.io/v1", "1.20")
    # v1.22
    + _rows(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
        "1.22",
        "admissionregistration.k8s.io/v1",
        "1.16",
    )
    + _rows(
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        "1.22",
        "apiextensions.k8s.io/v1",
        "1.16",
    )
    + _rows(
        "apiregistration.k8s.io/v1beta1", "APIService", "1.22", "apiregistration.k8s.io/v1", "1.19"
    )
    + _rows(
        "authentication.k8s.io/v1beta1", "TokenReview", "1.22", "authentication.k8s.io/v1", "1.19"
    )
    + _rows("authorization.k8s.io/v1beta1", _REVIEWS, "1.22", "authorization.k8s.io/v1", "1.19")
    + _rows(
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        "1.22",
        "certificates.k8s.io/v1",
        "1.19",
    )
    + _rows("coordination.k8s.io/v1beta1", "Lease", "1.22", "coordination.k8s.io/v1", "1.19")
    + _rows(
        "extensions/v1beta1 networking.k8s.io/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1",
        "1.19",
    )
    + _rows("networking.k8s.io/v1beta1", "IngressClass", "1.22", "networking.k8s.io/v1", "1.19")
    + _rows(
        "rbac.authorization.k8s.io/v1beta1", _RBAC, "1.22", "rbac.authorization.k8s.io/v1", "1.17"
    )
    + _rows("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", "scheduling.k8s.io/v1", "1.14")
    + _rows("storage.k8s.io/v1beta1", _STORAGE_22, "1.22", "storage.k8s.io/v1", "1.19")
    # v1.16
    + _rows("extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1")
    + _rows(
        "extensions/v1beta1",
        "PodSecurityPolicy",
        "1.16",
        "policy/v1beta1 before 1.25, Pod Security Admission after",
    )
    + _rows("extensions/v1beta1 apps/v1beta2", "DaemonSet", "1.16", "apps/v1")
    + _rows("extensions/v1beta1 apps/v1beta1 apps/v1beta2", "Deployment", "1.16", "apps/v1")
    + _rows("apps/v1beta1 apps/v1beta2", "StatefulSet", "1.16", "apps/v1")
    + _rows("extensions/v1beta1 apps/v1beta1 apps/v1beta2", "ReplicaSet", "1.16", "apps/v1")
)
_BY_API = {(r.api_version, r.kind): r for r in REMOVALS}


def lookup(api_version: str, kind: str) -> Removal | None:
    return _BY_API.get((api_version, kind))


def removed_finding(resource: Resource, version: str) -> Finding | None:
    """An error when the target Kubernetes version no longer serves the resource's API."""
    row = lookup(resource.api_version, resource.kind)
    if row is None or _minor(version) < _minor(row.removed):
        return None
    what = f"{row.api_version} {row.kind}"
    message = f"{what} was removed in Kubernetes {row.removed}: use {row.replacement}"
    return _at(resource, REMOVED_RULE, Severity.ERROR, message)


def deprecated_finding(resource: Resource, version: str) -> Finding | None:
    """A warning when the target version still serves the API but a later one will not."""
    row = lookup(resource.api_version, resource.kind)
    if row is None or _minor(version) >= _minor(row.removed):
        return None
    if row.deprecated is not None and _minor(version) < _minor(row.deprecated):
        return None
    since = f"deprecated since Kubernetes {row.deprecated} and " if row.deprecated else ""
    message = (
        f"{row.api_version} {row.kind} is {since}removed in Kubernetes {row.removed}:"
        f" use {row.replacement}"
    )
    return _at(resource, DEPRECATED_RULE, Severity.WARNING, message)


def _minor(version: str) -> tuple[int, int]:
    m = _MINOR.match(version.strip())
    if m is None:  # resolve_version has already refused anything else
        raise ValueError(f"not a Kubernetes version: {version!r}")
    return int(m[1]), int(m[2])


def _at(resource: Resource, rule: str, severity: Severity, message: str) -> Finding:
    pointer = "/apiVersion"
    line = resource.line_of(pointer)
    return Finding(rule, severity, message, _CHECK, resource.path, line, resource.key)
