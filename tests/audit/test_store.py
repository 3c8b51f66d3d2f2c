"""The store on every backend: what is appended comes back in order, chained, filtered."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from importlib import resources

import jsonschema
import pytest

from gitops_gate.audit.chain import GENESIS, digest
from gitops_gate.audit.open import sink
from gitops_gate.audit.store import AuditStore, Query
from tests.audit.events import START, event


def test_appended_events_come_back_in_order_and_chained(store: AuditStore) -> None:
    first = store.append(event(1))
    assert store.append_many(event(n) for n in range(2, 6)) == 4

    rows = list(store.query())

    assert [r.event()["details"]["n"] for r in rows] == [1, 2, 3, 4, 5]
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert first is not None and first.prev == GENESIS
    assert all(r.hash == digest(r.prev, r.body) for r in rows)
    assert [r.prev for r in rows[1:]] == [r.hash for r in rows[:-1]]
    report = store.verify()
    assert report.ok and report.events == 5 and report.head == rows[-1].hash


def test_every_stored_body_matches_the_packaged_json_schema(store: AuditStore) -> None:
    store.append_many(event(n) for n in range(6))
    schema = json.loads(
        resources.files("gitops_gate.audit").joinpath("event.schema.json").read_text()
    )

    for row in store.query():
        jsonschema.validate(row.event(), schema)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query(), list(range(12))),
        (Query(environment="production"), [1, 3, 5, 7, 9, 11]),
        (Query(action="reconcile"), [2, 5, 8, 11]),
        (Query(action="git.commit"), [1, 4, 7, 10]),
        (Query(action="git"), [1, 4, 7, 10]),
        (Query(since=START + timedelta(hours=3), until=START + timedelta(hours=6)), [3, 4, 5]),
    ],
    ids=["all", "env", "action-family", "action", "action-prefix", "time-range"],
)
def test_query_filters(store: AuditStore, query: Query, expected: list[int]) -> None:
    store.append_many(event(n) for n in range(12))

    assert [r.event()["details"]["n"] for r in store.query(query)] == expected


def test_an_event_with_a_known_key_is_appended_once(store: AuditStore) -> None:
    assert store.append(event(1, key="commit:abc")) is not None
    assert store.append(event(2, key="commit:abc")) is None
    batch = [event(3, key="commit:def"), event(4, key="commit:def"), event(5, key="commit:abc")]

    assert store.append_many(batch) == 1
    assert [r.event()["details"]["n"] for r in store.query()] == [1, 3]
    assert store.verify().ok


def test_a_second_store_on_the_same_log_continues_the_chain(
    store: AuditStore, open_again: Callable[[], AuditStore]
) -> None:
    store.append_many(event(n) for n in range(3))
    other = open_again()
    try:
        other.append(event(3))
    finally:
        other.close()
    store.append(event(4))

    assert [r.seq for r in store.query()] == [1, 2, 3, 4, 5]
    assert store.verify().ok


def test_the_sink_the_pr_check_and_reconciler_take_appends_to_the_store(store: AuditStore) -> None:
    write = sink(store)

    write(event(1))
    write(event(2))

    assert [r.event()["details"]["n"] for r in store.query()] == [1, 2]
