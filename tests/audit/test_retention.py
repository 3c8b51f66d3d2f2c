"""Retention: the oldest events go, the last one gone anchors the chain, verify still holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gitops_gate.audit.open import open_store
from gitops_gate.audit.store import AuditStore
from gitops_gate.config import load_config
from tests.audit.events import START, event
from tests.helpers.tree import write_tree


def test_pruning_keeps_a_verifiable_chain_that_appends_go_on_from(store: AuditStore) -> None:
    store.append_many(event(n) for n in range(10))  # one an hour from START

    assert store.prune(START + timedelta(hours=4)) == 4
    assert store.prune(START + timedelta(hours=4)) == 0
    store.append(event(10))

    report = store.verify()
    assert report.ok, report.problems
    assert (report.events, report.pruned) == (7, 4)
    assert [r.seq for r in store.query()] == [5, 6, 7, 8, 9, 10, 11]


def test_pruning_everything_then_appending_still_verifies(store: AuditStore) -> None:
    store.append_many(event(n) for n in range(3))

    assert store.prune(START + timedelta(days=365)) == 3
    store.append(event(3))

    report = store.verify()
    assert report.ok and report.events == 1 and report.pruned == 3


def test_an_event_deleted_after_pruning_is_still_found(
    store: AuditStore, tamper: Callable[[str], None]
) -> None:
    store.append_many(event(n) for n in range(6))
    store.prune(START + timedelta(hours=2))

    tamper("DELETE FROM gitops_gate_events WHERE seq = 3")

    assert [(p.kind, p.seq) for p in store.verify().problems] == [("deleted", 4)]


def test_prune_command_uses_retention_days(tmp_path: Path, cli: Callable[..., Any]) -> None:
    config = "version: 1\naudit: {path: log.sqlite, retentionDays: 30}\n"
    write_tree(tmp_path, {".gitops-gate.yaml": config})
    store = open_store(load_config(tmp_path, None))
    now = datetime.now(UTC)
    store.append_many([event(1, time=now - timedelta(days=40)), event(2, time=now)])
    store.close()

    run = cli("audit", "prune", str(tmp_path))

    assert run.code == 0 and "1 events older than 30 days removed" in run.out
    assert cli("audit", "verify", str(tmp_path)).code == 0
    assert cli("audit", "prune", "--days", "0", str(tmp_path)).code == 2
