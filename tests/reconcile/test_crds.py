"""A CRD and objects of its kind in one revision: the CRD first, established, then its objects;
pruned, the objects go before their CRD."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.helpers.manifests import crd
from tests.helpers.tree import make_repo
from tests.reconcile.repo import change, config, namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def test_a_crd_and_its_objects_sync_and_prune_in_order(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns, group = env_name, f"{env_name}.example.com"
    schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    widget = {"apiVersion": f"{group}/v1", "kind": "Widget",
              "metadata": {"name": "w", "namespace": ns}, "spec": {"size": 3}}  # fmt: skip
    skip = f"validate: {{skipKinds: [{group}/v1/Widget]}}\n"
    repo = make_repo(tmp_path, {
        ".gitops-gate.yaml": skip + config(env_name),
        f"envs/{ns}/ns.yaml": namespace(ns),
        f"envs/{ns}/crd.yaml": yaml.safe_dump(crd(group, "Widget", schema)),
        f"envs/{ns}/widget.yaml": yaml.safe_dump(widget),
    })  # fmt: skip

    first = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)
    change(repo, env_name, {"crd.yaml": None, "widget.yaml": None})
    second = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)

    assert first.status is Status.SYNCED, first.reason
    assert [str(r) for r in first.applied[:2]] == [
        f"CustomResourceDefinition.apiextensions.k8s.io widgets.{group}",
        f"Namespace {ns}",
    ]
    assert second.status is Status.SYNCED, second.reason
    assert second.pruned == [
        ObjectRef(f"{group}/v1", "Widget", ns, "w"),
        ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", f"widgets.{group}"),
    ]
    # Deleting a CRD is asynchronous (the apiserver first removes its objects): being deleted.
    gone = cluster.get(
        ObjectRef("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", f"widgets.{group}")
    )
    assert gone is None or "deletionTimestamp" in gone["metadata"]
