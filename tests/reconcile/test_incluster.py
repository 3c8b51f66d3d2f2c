"""The template's in-cluster form: its RBAC lets the reconciler manage its two namespaces only."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
import yaml
from lightkube import Client
from lightkube.models.authentication_v1 import TokenRequestSpec
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ServiceAccount

from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.desired import desired_objects
from gitops_gate.reconcile.errors import PermanentError
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.helpers import controlplane
from tests.helpers.tree import TESTER
from tests.scaffold.generate import generate

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def as_reconciler(kube: Client, plane: controlplane.ControlPlane, folder: Path) -> Cluster:
    """A cluster client holding a token of the template's ServiceAccount."""
    request = ServiceAccount.Token(
        metadata=ObjectMeta(name="reconciler", namespace="gitops-gate"),
        spec=TokenRequestSpec(audiences=[], expirationSeconds=3600),
    )
    token = kube.create(request, "reconciler", namespace="gitops-gate").status.token
    config = folder / "reconciler.kubeconfig"
    config.write_text(controlplane.kubeconfig(plane.url, plane.ca, token))
    return Cluster.connect(config)


def test_the_reconciler_manages_its_namespaces_and_is_refused_a_third(
    tmp_path: Path, cluster: Cluster, kube: Client, control_plane: controlplane.ControlPlane
) -> None:
    dest = generate(tmp_path / "repo", engine="gitops-gate")
    repo = git.Repo.init(dest, initial_branch="main")
    repo.git.add(A=True)
    repo.index.commit("generated", author=TESTER, committer=TESTER)
    install = [
        body
        for name in ("reconciler.yaml", "rbac.yaml")
        for body in yaml.safe_load_all((dest / "gitops-gate" / "dev" / name).read_text())
    ]
    for body in desired_objects(cluster, install).values():  # namespaces first, as kubectl does
        cluster.apply(body)
    sa = as_reconciler(kube, control_plane, tmp_path)

    result = reconcile(Request(dest, "dev", health_timeout=0.2), cluster=sa, audit=lambda e: None)

    # Applied and pruned as the ServiceAccount; only health fails (no controller runs here).
    assert result.status is Status.FAILED
    assert "is not healthy" in result.reason, result.reason
    assert cluster.get(ObjectRef("apps/v1", "Deployment", "hello", "hello")) is not None
    with pytest.raises(PermanentError, match="403"):
        sa.apply({"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "x", "namespace": "default"}})  # fmt: skip
    with pytest.raises(PermanentError, match="403"):
        sa.apply({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                  "metadata": {"name": "more", "namespace": "hello"}, "rules": []})  # fmt: skip
