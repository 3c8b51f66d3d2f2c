"""The plan as a person reads it: diffs against the live object, Secret values never shown."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from gitops_gate.config.model import Config, Environment
from gitops_gate.diff.api import DiffResult
from gitops_gate.diff.text import show
from gitops_gate.reconcile import inventory
from gitops_gate.reconcile.cycle import sync_revision
from gitops_gate.reconcile.desired import desired_objects
from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef, content_hash
from gitops_gate.reconcile.plan import make_plan
from gitops_gate.reconcile.source import Revision

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


def test_the_inventory_holds_no_guessable_hash_of_a_secret(cluster: Cluster, env_name: str) -> None:
    ns = env_name
    cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    body = secret(ns, "1234")  # a weak value: a plain hash of the body would give it away
    environment = Environment(name=env_name, paths=("x",), source="test")
    rev = Revision("c" * 40, environment, Config(root=Path()), objects=[body])

    result = sync_revision(rev, Request(Path(), env_name), cluster=cluster,
                           audit=lambda e: None, at=datetime.now(UTC))  # fmt: skip

    assert result.status is Status.SYNCED, result.reason
    inv_ref = ObjectRef("v1", "ConfigMap", "gitops-gate", f"inventory-{ns}")
    stored = json.dumps((cluster.get(inv_ref) or {})["data"])
    (entry,) = inventory.load(cluster, env_name).objects.values()
    assert entry.partition(":")[0] != content_hash(body)  # keyed, not a plain SHA-256
    assert content_hash(body) not in stored and "1234" not in stored
