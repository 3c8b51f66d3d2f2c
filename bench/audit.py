"""Benchmark: the audit store beside plain inserts of the same rows, on SQLite and PostgreSQL.

100,000 events (by default) in batches of 1,000, each batch one durable transaction
(SQLite: WAL, synchronous=FULL; PostgreSQL: synchronous_commit on, its default):
- append: `append_many` (redact, canonical JSON, SHA-256 chain, head read under the write
  lock) beside the floor, plain `executemany` of the finished rows into the same table;
- export: `audit export --format jsonl` to /dev/null beside a plain SELECT written as lines;
- verify: recompute the chain beside a plain SELECT of the same rows;
- export memory: tracemalloc's peak while exporting 10,000 and then all events (flat = the
  same at both sizes).
Targets: append >= 5,000/s; export >= 100,000/s; verify >= 200,000/s; export memory flat.
Run: `python3 -m uv run python bench/audit.py [N] [--postgres]` (PostgreSQL from the
machine's packages, started on a temp folder as the tests start it).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

from gitops_gate.audit.chain import GENESIS, prepare, seal
from gitops_gate.audit.export import export
from gitops_gate.audit.open import open_store
from gitops_gate.audit.store import AuditStore, Query
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from gitops_gate.redact import Redactor
from tests.audit.events import START, event

BATCH = 1000
COLUMNS = "seq, time, action, environment, key, prev, hash, body"


def rows(n: int) -> list[tuple[Any, ...]]:
    """The rows the store would write for n events, prepared once for the floor."""
    prepared = [prepare(event(i), Redactor()) for i in range(n)]
    sealed = seal(GENESIS, [p.body for p in prepared])
    return [
        (i + 1, p.time, p.action, p.environment, p.key, *s)
        for i, (p, s) in enumerate(zip(prepared, sealed, strict=True))
    ]


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def export_peak(store: AuditStore, query: Query) -> int:
    with Path(os.devnull).open("w") as out:
        tracemalloc.start()
        export(store.query(query), "jsonl", out)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def measure(store: AuditStore, floor: Floor, n: int, table: list[str], name: str) -> None:
    events = [event(i) for i in range(n)]
    ours = timed(lambda: [store.append_many(events[s : s + BATCH]) for s in range(0, n, BATCH)])
    prepared = rows(n)  # the floor's rows are built before its clock starts
    plain = timed(lambda: floor.insert(prepared))
    with Path(os.devnull).open("w") as out:
        exported = timed(lambda: export(store.query(), "jsonl", out))
        plain_export = timed(lambda: floor.export(out))
    verified = timed(store.verify)
    assert store.verify().ok and store.verify().events == n
    plain_read = timed(floor.read)
    small = Query(until=START + timedelta(hours=10_000))
    peaks = (export_peak(store, small), export_peak(store, Query()))
    table += [
        _line(name, "append (batches of 1,000)", n, ours, plain, 5_000),
        _line(name, "export jsonl", n, exported, plain_export, 100_000),
        _line(name, "verify", n, verified, plain_read, 200_000),
        f"| {name} | export peak memory 10k -> {n // 1000}k | {peaks[0] / 1e6:.2f} MB -> "
        f"{peaks[1] / 1e6:.2f} MB | | flat |",
    ]


def _line(name: str, what: str, n: int, ours: float, floor: float, target: int) -> str:
    rate = n / ours
    ok = "ok" if rate >= target else "MISSED"
    return (
        f"| {name} | {what} | {ours:.2f} s = {rate:,.0f}/s | {floor:.2f} s = {n / floor:,.0f}/s"
        f" ({ours / floor:.1f}x) | >= {target:,}/s {ok} |"
    )


class Floor:
    """Plain driver calls on a table like the store's."""

    insert: Callable[[list[tuple[Any, ...]]], None]
    export: Callable[[Any], None]
    read: Callable[[], None]
    reset: Callable[[], None]


class SqliteFloor(Floor):
    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.reset()

    def reset(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS plain")
        self.db.execute(
            "CREATE TABLE plain (seq INTEGER PRIMARY KEY, time TEXT, action TEXT, "
            "environment TEXT, key TEXT UNIQUE, prev TEXT, hash TEXT, body TEXT)"
        )

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        for start in range(0, len(rows), BATCH):
            self.db.execute("BEGIN IMMEDIATE")
            sql = f"INSERT INTO plain ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?)"  # noqa: S608
            self.db.executemany(sql, rows[start : start + BATCH])
            self.db.execute("COMMIT")

    def export(self, out: Any) -> None:
        for seq, prev, digest, body in self.db.execute(
            "SELECT seq, prev, hash, body FROM plain ORDER BY seq"
        ):
            out.write(f'{{"seq":{seq},"prev":"{prev}","hash":"{digest}","event":{body}}}\n')

    def read(self) -> None:
        for _ in self.db.execute("SELECT seq, prev, hash, body FROM plain ORDER BY seq"):
            pass


class PostgresFloor(Floor):
    def __init__(self, url: str) -> None:
        import psycopg

        self.db = psycopg.connect(url, autocommit=True)
        self.reset()

    def reset(self) -> None:
        self.db.execute("DROP TABLE IF EXISTS plain")
        self.db.execute(
            "CREATE TABLE plain (seq BIGINT PRIMARY KEY, time TEXT, action TEXT, "
            "environment TEXT, key TEXT UNIQUE, prev TEXT, hash TEXT, body TEXT)"
        )

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        for start in range(0, len(rows), BATCH):
            with self.db.transaction(), self.db.cursor() as cursor:
                sql = f"INSERT INTO plain ({COLUMNS}) VALUES ({', '.join(['%s'] * 8)})"  # noqa: S608
                cursor.executemany(sql, rows[start : start + BATCH])

    def _rows(self) -> Iterator[tuple[Any, ...]]:
        with self.db.cursor() as cursor:  # single-row mode, as the store reads
            yield from cursor.stream("SELECT seq, prev, hash, body FROM plain ORDER BY seq")

    def export(self, out: Any) -> None:
        for seq, prev, digest, body in self._rows():
            out.write(f'{{"seq":{seq},"prev":"{prev}","hash":"{digest}","event":{body}}}\n')

    def read(self) -> None:
        for _ in self._rows():
            pass


def main(argv: list[str]) -> int:
    n = int(next((a for a in argv if a.isdigit()), "100000"))
    table = [
        "| backend | operation | gitops-gate | plain driver (floor) | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        store = open_store(Config(root=folder, audit=AuditSection(path="audit.sqlite")))
        measure(store, SqliteFloor(folder / "plain.sqlite"), n, table, "SQLite")
        store.close()
        if "--postgres" in argv:
            from tests.helpers.postgres import serving

            server = stack.enter_context(serving())
            store = open_store(Config(root=folder, audit=AuditSection(url=server.new_database())))
            measure(store, PostgresFloor(server.new_database()), n, table, "PostgreSQL")
            store.close()
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
