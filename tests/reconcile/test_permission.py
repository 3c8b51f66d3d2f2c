"""autoSync off applies only approved revisions; closed windows block; --override forces."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.audit.event import Actor, AuditEvent
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from gitops_gate.reconcile.verbs import approve
from tests.reconcile.repo import configmap, env_repo, namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

# Closed all day every day: a deny window that never ends.
ALWAYS_CLOSED = [{"kind": "deny", "schedule": "0 0 * * *", "duration": "24h"}]


def files(ns: str) -> dict[str, str]:
    return {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"k": "1"})}


def test_without_autosync_only_an_approved_revision_is_applied(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    env_repo(tmp_path, env_name, files(env_name), autoSync=False)
    events: list[AuditEvent] = []
    request = Request(tmp_path, env_name)

    before = reconcile(request, cluster=cluster, audit=events.append)
    sha = approve(root=tmp_path, cluster=cluster, env=env_name, revision="HEAD",
                  reason="release 1", actor=Actor(user="ops"), audit=events.append)  # fmt: skip
    after = reconcile(request, cluster=cluster, audit=events.append)

    assert before.status is Status.OUT_OF_SYNC
    assert "approve" in before.reason
    assert after.status is Status.SYNCED, after.reason
    assert cluster.get(ObjectRef("v1", "ConfigMap", env_name, "a")) is not None
    approvals = [e for e in events if e.action == "approve"]
    assert [(e.revision, e.reason, e.actor.user) for e in approvals] == [(sha, "release 1", "ops")]
    assert ("reconcile.sync", "blocked") in [(e.action, e.result) for e in events]


def test_a_closed_window_blocks_until_overridden_and_the_override_is_audited(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    env_repo(tmp_path, env_name, files(env_name), syncWindows=ALWAYS_CLOSED)
    events: list[AuditEvent] = []

    blocked = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)
    forced = reconcile(
        Request(tmp_path, env_name, override="hotfix INC-1"), cluster=cluster, audit=events.append
    )

    assert blocked.status is Status.OUT_OF_SYNC
    assert "blocked by" in blocked.reason
    assert forced.status is Status.SYNCED, forced.reason
    overrides = [e for e in events if e.action == "window.override"]
    assert [e.reason for e in overrides] == ["hotfix INC-1"]
