"""The plan as a person reads it: diffs against the live object, Secret values never shown."""

from __future__ import annotations

import base64

import pytest
from rich.console import Console

from gitops_gate.diff.api import DiffResult
from gitops_gate.diff.text import show
from gitops_gate.reconcile.desired import desired_objects
from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.plan import make_plan

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

OLD, NEW = "old-db-password-4f9a", "new-db-password-77c1"


def secret(ns: str, value: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": ns},
            "type": "Opaque", "stringData": {"password": value}}  # fmt: skip


def test_a_changed_secret_shows_as_changed_with_its_values_masked(
    cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    cluster.apply(secret(ns, OLD))
    desired = desired_objects(cluster, [secret(ns, NEW)])

    plan = make_plan(cluster, desired, Inventory(env_name), env=env_name, revision="r", prune=True)
    console = Console(record=True, width=200, no_color=True)
    show(DiffResult("cluster", "r", envs=[plan.env_diff()]), console)
    text = console.export_text()

    assert [str(r) for r in plan.change] == [f"Secret {ns}/db"]
    assert "Secret" in text and "<masked" in text
    for value in (OLD, NEW):
        assert value not in text
        assert base64.b64encode(value.encode()).decode() not in text
