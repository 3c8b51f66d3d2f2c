"""The inventory's history answers which revision a rollback goes back to."""

from __future__ import annotations

from gitops_gate.reconcile.inventory import Inventory


def inventory() -> Inventory:
    inv = Inventory("prod")
    for rev, time, result in [
        ("a", "2026-01-01T10:00:00+00:00", "synced"),
        ("b", "2026-01-02T10:00:00+00:00", "synced"),
        ("c", "2026-01-03T10:00:00+00:00", "failed"),
        ("d", "2026-01-04T10:00:00+00:00", "synced"),
    ]:
        inv.record({"revision": rev, "time": time, "result": result, "reason": ""})
    return inv


def test_the_last_healthy_revision_skips_failures_and_the_one_applied() -> None:
    inv = inventory()

    assert inv.last_healthy() == "d"
    assert inv.last_healthy(other_than="d") == "b"
    assert inv.last_healthy("2026-01-02T00:00:00+00:00") == "a"
    assert inv.last_healthy("2026-01-01T00:00:00+00:00") is None


def test_history_keeps_the_newest_entries() -> None:
    inv = Inventory("dev")
    for i in range(80):
        inv.record({"revision": str(i), "time": "t", "result": "synced"})

    assert [e["revision"] for e in inv.history][-1] == "79"
    assert len(inv.history) == 50
