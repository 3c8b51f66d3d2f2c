"""Flux dependsOn orders the apply: what a Kustomization depends on is applied before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.helpers.manifests import crd
from tests.helpers.tree import make_repo
from tests.reconcile.repo import configmap, namespace, shop

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

FLUX_CRD = crd("kustomize.toolkit.fluxcd.io", "Kustomization",
               {"type": "object", "x-kubernetes-preserve-unknown-fields": True})  # fmt: skip


def flux_ks(name: str, ns: str, path: str, *deps: str) -> str:
    depends = "".join(f"\n    - name: {d}" for d in deps)
    return f"""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: {name}, namespace: {ns}}}
spec:
  interval: 10m
  path: {path}
  prune: true
  sourceRef: {{kind: GitRepository, name: flux-system}}
  dependsOn:{depends or " []"}
"""


def flux_repo(root: Path, ns: str, infra: dict[str, str]) -> None:
    """Kustomization apps (./apps: ConfigMap a-app) depends on infra (./infra: infra)."""
    config = (
        "validate: {skipKinds: [kustomize.toolkit.fluxcd.io/v1/Kustomization]}\n"
        f"environments:\n  {ns}: {{paths: [flux/{ns}], autoSync: true, healthTimeout: 0.3}}\n"
    )
    make_repo(root, {
        ".gitops-gate.yaml": config,
        f"flux/{ns}/ns.yaml": namespace(ns),
        f"flux/{ns}/apps.yaml": flux_ks("apps", ns, "./apps", "infra"),
        f"flux/{ns}/infra.yaml": flux_ks("infra", ns, "./infra"),
        "apps/cm.yaml": configmap("a-app", ns, {"k": "v"}),
        **{f"infra/{rel}": text for rel, text in infra.items()},
    })  # fmt: skip


def test_a_kustomization_is_applied_after_what_it_depends_on(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    cluster.apply(FLUX_CRD)  # the cluster serves Flux's kind, as one with Flux installed does
    # By name alone "a-app" would go first; dependsOn puts "z-infra" before it.
    flux_repo(tmp_path, ns, {"cm.yaml": configmap("z-infra", ns, {"k": "v"})})

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)

    assert result.status is Status.SYNCED, result.reason
    infra = cluster.get(ObjectRef("v1", "ConfigMap", ns, "z-infra")) or {}
    app = cluster.get(ObjectRef("v1", "ConfigMap", ns, "a-app")) or {}
    # resourceVersions grow with every write: the lower one was written first.
    assert int(infra["metadata"]["resourceVersion"]) < int(app["metadata"]["resourceVersion"])


def test_what_depends_on_an_unready_kustomization_is_not_applied(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    cluster.apply(FLUX_CRD)
    flux_repo(tmp_path, ns, {"web.yaml": shop(ns)})  # never ready: no controller runs here

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)

    assert result.status is Status.FAILED
    assert "a dependency is not ready" in result.reason and "web" in result.reason
    assert cluster.get(ObjectRef("apps/v1", "Deployment", ns, "web")) is not None
    assert cluster.get(ObjectRef("v1", "ConfigMap", ns, "a-app")) is None
