"""APIs Kubernetes removed are errors naming the release and the replacement, not `no-schema`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate import cli as gate_cli
from gitops_gate.findings import Finding, Severity
from gitops_gate.validate import k8s_schemas
from gitops_gate.validate.deprecations import REMOVALS, Removal
from tests.conftest import Run
from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate

OLDEST = "{}.{}".format(*k8s_schemas.shipped_versions()[0])
NEWEST = "{}.{}".format(*k8s_schemas.shipped_versions()[-1])

# Written by hand from the guide, not derived from REMOVALS: a wrong table row fails here.
REAL_CASES = [
    ("extensions/v1beta1", "DaemonSet", "was removed in Kubernetes 1.16: use apps/v1"),
    ("apps/v1beta2", "Deployment", "was removed in Kubernetes 1.16: use apps/v1"),
    ("apps/v1beta1", "StatefulSet", "was removed in Kubernetes 1.16: use apps/v1"),
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        "was removed in Kubernetes 1.16: use networking.k8s.io/v1",
    ),
    ("extensions/v1beta1", "Ingress", "was removed in Kubernetes 1.22: use networking.k8s.io/v1"),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        "was removed in Kubernetes 1.22: use networking.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "StorageClass",
        "was removed in Kubernetes 1.22: use storage.k8s.io/v1",
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        "was removed in Kubernetes 1.22: use apiextensions.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "ClusterRoleBinding",
        "was removed in Kubernetes 1.22: use rbac.authorization.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        "PodSecurityPolicy",
        "was removed in Kubernetes 1.16: use policy/v1beta1 before 1.25, Pod Security Admission"
        " after",
    ),
    (
        "authorization.k8s.io/v1beta1",
        "SelfSubjectRulesReview",
        "was removed in Kubernetes 1.22: use authorization.k8s.io/v1",
    ),
    ("batch/v1beta1", "CronJob", "was removed in Kubernetes 1.25: use batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget", "was removed in Kubernetes 1.25: use policy/v1"),
    (
        "policy/v1beta1",
        "PodSecurityPolicy",
        "was removed in Kubernetes 1.25: use Pod Security Admission (no replacement API)",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        "was removed in Kubernetes 1.26: use autoscaling/v2",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        "was removed in Kubernetes 1.27: use storage.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "FlowSchema",
        "was removed in Kubernetes 1.29: use flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        "was removed in Kubernetes 1.32: use flowcontrol.apiserver.k8s.io/v1",
    ),
]


# Whole enough that the CRD check has nothing to say about it.
CRD_BODY = """\
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true}]
"""


def _body(kind: str) -> str:
    return CRD_BODY if kind == "CustomResourceDefinition" else ""


def _manifest(api_version: str, kind: str, body: str = "") -> str:
    return f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n{body}"


def _run(validate: Validate, tmp_path: Path, text: str, version: str) -> list[Finding]:
    root = write_tree(tmp_path / "repo", {"m.yaml": text})
    findings, _ = validate([root / "m.yaml"], root, kubernetes_version=version)
    return findings


def _shown(findings: list[Finding]) -> list[tuple[str, Severity, str, int | None]]:
    return [(f.rule, f.severity, f.message, f.line) for f in findings]


@pytest.mark.parametrize(("api_version", "kind", "expected"), REAL_CASES)
def test_a_removed_api_is_an_error_naming_release_and_replacement(
    validate: Validate, tmp_path: Path, api_version: str, kind: str, expected: str
) -> None:
    findings = _run(validate, tmp_path, _manifest(api_version, kind, _body(kind)), NEWEST)
    message = f"{api_version} {kind} {expected}"
    assert _shown(findings) == [("api-removed", Severity.ERROR, message, 1)]


def _version_removed(row: Removal) -> str:
    """The release that dropped row, or the oldest we ship schemas for when that is older."""
    removed = tuple(int(p) for p in row.removed.split("."))
    oldest = k8s_schemas.shipped_versions()[0]
    return row.removed if removed >= oldest else OLDEST


@pytest.mark.parametrize("row", REMOVALS, ids=lambda r: f"{r.api_version}/{r.kind}")
def test_every_removal_fails_from_the_release_that_removed_it(
    validate: Validate, tmp_path: Path, row: Removal
) -> None:
    findings = _run(
        validate,
        tmp_path,
        _manifest(row.api_version, row.kind, _body(row.kind)),
        _version_removed(row),
    )
    assert [(f.rule, f.severity) for f in findings] == [("api-removed", Severity.ERROR)]
    assert f"removed in Kubernetes {row.removed}: use {row.replacement}" in findings[0].message


FLOW_BODY = "spec:\n  priorityLevelConfiguration: {name: global-default}\n"


@pytest.mark.parametrize(
    ("api_version", "kind", "body", "version", "expected"),
    [
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            FLOW_BODY,
            "1.29",
            "is deprecated since Kubernetes 1.29 and removed in Kubernetes 1.32:"
            " use flowcontrol.apiserver.k8s.io/v1",
        ),
        (
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema",
            FLOW_BODY,
            "1.31",
            "is deprecated since Kubernetes 1.29 and removed in Kubernetes 1.32:"
            " use flowcontrol.apiserver.k8s.io/v1",
        ),
        (
            "autoscaling/v2beta2",
            "HorizontalPodAutoscaler",
            "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3\n",
            "1.25",
            "is deprecated since Kubernetes 1.23 and removed in Kubernetes 1.26:"
            " use autoscaling/v2",
        ),
    ],
)
def test_a_deprecated_api_still_served_is_a_warning(
    validate: Validate,
    tmp_path: Path,
    api_version: str,
    kind: str,
    body: str,
    version: str,
    expected: str,
) -> None:
    findings = _run(validate, tmp_path, _manifest(api_version, kind, body), version)
    message = f"{api_version} {kind} {expected}"
    assert _shown(findings) == [("api-deprecated", Severity.WARNING, message, 1)]


@pytest.mark.parametrize(
    ("api_version", "kind", "body", "version"),
    [
        # v1beta3 is deprecated in 1.29: before it, nothing to say.
        ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", FLOW_BODY, "1.28"),
        ("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", FLOW_BODY, NEWEST),
        ("networking.k8s.io/v1", "NetworkPolicy", "spec: {podSelector: {}}\n", NEWEST),
    ],
)
def test_an_api_served_and_not_deprecated_in_the_target_version_is_quiet(
    validate: Validate, tmp_path: Path, api_version: str, kind: str, body: str, version: str
) -> None:
    assert _run(validate, tmp_path, _manifest(api_version, kind, body), version) == []


def test_an_unknown_api_is_still_no_schema(validate: Validate, tmp_path: Path) -> None:
    findings = _run(validate, tmp_path, _manifest("example.com/v1", "Widget"), NEWEST)
    assert [f.rule for f in findings] == ["no-schema"]


@pytest.fixture
def cli_validate(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., Run]:
    if "validate" not in gate_cli._COMMAND_MODULES:
        monkeypatch.setattr(gate_cli, "_COMMAND_MODULES", (*gate_cli._COMMAND_MODULES, "validate"))
    monkeypatch.setattr("gitops_gate.cachedir.cache_root", lambda: tmp_path / "cache")
    return cli


@pytest.mark.parametrize(
    ("text", "version", "code", "shown"),
    [
        (
            _manifest("extensions/v1beta1", "DaemonSet"),
            NEWEST,
            1,
            "extensions/v1beta1 DaemonSet was removed in Kubernetes 1.16: use apps/v1",
        ),
        (
            _manifest("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", FLOW_BODY),
            "1.30",
            0,
            "removed in Kubernetes 1.32: use flowcontrol.apiserver.k8s.io/v1",
        ),
    ],
    ids=["removed", "deprecated"],
)
def test_cli_fails_on_a_removed_api_and_warns_on_a_deprecated_one(
    cli_validate: Callable[..., Run],
    tmp_path: Path,
    text: str,
    version: str,
    code: int,
    shown: str,
) -> None:
    repo = write_tree(tmp_path / "repo", {".git/HEAD": "", "m.yaml": text})
    run = cli_validate(
        "validate", "--engine", "builtin", "--kubernetes-version", version, str(repo)
    )
    assert run.code == code
    assert shown in run.out
    assert "no schema for" not in run.out
