"""`verify` names every break in the chain with its position: modified, deleted, inserted,
reordered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gitops_gate.audit.chain import Row, canonical, digest
from gitops_gate.audit.store import AuditStore
from tests.audit.events import event

FORGED = canonical({"action": "check", "result": "success", "forged": True})


def _rehashed(rows: list[Row]) -> str:
    """Event 4 rewritten and its hash recomputed: the next event no longer follows it."""
    sealed = digest(rows[3].prev, FORGED)
    return f"UPDATE gitops_gate_events SET body = '{FORGED}', hash = '{sealed}' WHERE seq = 4"


def _inserted(rows: list[Row]) -> str:
    """An event slipped in after event 3, linked to it to look real (later ones shift)."""
    sealed = digest(rows[2].hash, FORGED)
    return (
        "UPDATE gitops_gate_events SET seq = seq + 100 WHERE seq >= 4;"
        "UPDATE gitops_gate_events SET seq = seq - 99 WHERE seq >= 100;"
        "INSERT INTO gitops_gate_events (seq, time, action, prev, hash, body)"
        f" VALUES (4, '2026-11-02', 'check', '{rows[2].hash}', '{sealed}', '{FORGED}')"
    )


CASES: list[tuple[Callable[[list[Row]], str], list[tuple[str, int]]]] = [
    # Someone edits what an event says and leaves its hash.
    (
        lambda rows: (
            "UPDATE gitops_gate_events SET body = replace(body, '\"n\":4', '\"n\":40')"
            " WHERE seq = 4"
        ),
        [("modified", 4)],
    ),
    (_rehashed, [("modified", 4)]),
    (lambda rows: "DELETE FROM gitops_gate_events WHERE seq = 4", [("deleted", 5)]),
    (lambda rows: "DELETE FROM gitops_gate_events WHERE seq = 1", [("deleted", 2)]),
    (_inserted, [("inserted", 4)]),
    # Two events swap places.
    (
        lambda rows: (
            "UPDATE gitops_gate_events SET seq = 100 WHERE seq = 4;"
            "UPDATE gitops_gate_events SET seq = 4 WHERE seq = 5;"
            "UPDATE gitops_gate_events SET seq = 5 WHERE seq = 100"
        ),
        [("reordered", 4)],
    ),
]


@pytest.mark.parametrize(
    ("sql", "expected"),
    CASES,
    ids=["modified", "rehashed", "deleted", "deleted-first", "inserted", "reordered"],
)
def test_a_tampered_log_is_reported_at_the_tampered_position(
    store: AuditStore,
    tamper: Callable[[str], None],
    sql: Callable[[list[Row]], str],
    expected: list[tuple[str, int]],
) -> None:
    store.append_many(event(n) for n in range(1, 9))
    assert store.verify().ok

    for statement in sql(list(store.query())).split(";"):
        tamper(statement)
    report = store.verify()

    assert [(p.kind, p.seq) for p in report.problems] == expected
    assert not report.ok


def test_an_empty_log_verifies(store: AuditStore) -> None:
    report = store.verify()

    assert report.ok and report.events == 0
