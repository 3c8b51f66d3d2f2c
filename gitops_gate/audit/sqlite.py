"""The embedded store: one SQLite file per repository, in WAL mode, fsynced on every commit.

synchronous=FULL, not NORMAL: in WAL mode NORMAL survives a killed process but may lose the
last commits when the machine loses power, and an audit log that forgets what it said it kept
is worse than a slow one. The cost is one fsync per transaction, which `append_many` shares
across a batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from gitops_gate.audit.chain import Anchor, Prepared, Row, fresh_events, prepare, seal
from gitops_gate.audit.event import AuditEvent
from gitops_gate.audit.store import Query, stamp
from gitops_gate.audit.verify import VerifyReport, verify_rows
from gitops_gate.errors import EnvironmentProblem
from gitops_gate.redact import Redactor

SCHEMA = """
CREATE TABLE IF NOT EXISTS gitops_gate_events (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    action TEXT NOT NULL,
    environment TEXT,
    key TEXT UNIQUE,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gitops_gate_events_time ON gitops_gate_events (time);
CREATE INDEX IF NOT EXISTS gitops_gate_events_env_time ON gitops_gate_events (environment, time);
CREATE TABLE IF NOT EXISTS gitops_gate_anchor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
"""
_INSERT = (
    "INSERT INTO gitops_gate_events (seq, time, action, environment, key, prev, hash, body)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
T = TypeVar("T")
_ALL = "SELECT seq, prev, hash, body FROM gitops_gate_events ORDER BY seq"
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another's transaction


class SqliteStore:
    """An AuditStore in one SQLite file."""

    def __init__(self, path: Path, *, redactor: Redactor | None = None) -> None:
        self.location = str(path)
        self._redactor = redactor or Redactor()
        with self._errors("open"):
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: every transaction below is an explicit BEGIN IMMEDIATE.
            self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)

    def append(self, event: AuditEvent) -> Row | None:
        rows = self._write([event])
        return rows[0] if rows else None

    def append_many(self, events: Iterable[AuditEvent]) -> int:
        return len(self._write(list(events)))

    def query(self, query: Query | None = None) -> Iterator[Row]:
        return (Row(*found) for found in self._rows(query or Query()))

    def verify(self) -> VerifyReport:
        with self._errors("read"):
            self._db.execute("BEGIN")  # one snapshot: the anchor and the rows agree
            try:
                anchor = self._anchor()  # read first: the cursor below must run unwrapped
                return verify_rows(self._db.execute(_ALL), anchor)
            finally:
                self._db.execute("COMMIT")

    def prune(self, before: datetime) -> int:
        """Remove the oldest events up to the first at or after before; the last one removed
        becomes the anchor the chain is verified from."""
        return self._transaction(lambda: self._prune(stamp(before)))

    def _prune(self, before: str) -> int:
        db, anchor = self._db, self._anchor()
        sql = "SELECT MIN(seq), MAX(seq) FROM gitops_gate_events WHERE time >= ?"
        first_kept, _ = db.execute(sql, (before,)).fetchone()
        if first_kept is None:
            first_kept = db.execute("SELECT MAX(seq) + 1 FROM gitops_gate_events").fetchone()[0]
        cut = db.execute(
            "SELECT seq, hash FROM gitops_gate_events WHERE seq < ? ORDER BY seq DESC LIMIT 1",
            (first_kept or 0,),
        ).fetchone()
        if cut is None or cut[0] <= anchor.seq:
            return 0
        gone = db.execute("DELETE FROM gitops_gate_events WHERE seq <= ?", (cut[0],)).rowcount
        db.execute("INSERT OR REPLACE INTO gitops_gate_anchor VALUES (1, ?, ?)", cut)
        return int(gone)

    def _anchor(self) -> Anchor:
        found = self._db.execute("SELECT seq, hash FROM gitops_gate_anchor").fetchone()
        return Anchor(*found) if found else Anchor()

    def _rows(self, query: Query) -> Iterator[tuple[int, str, str, str]]:
        where, params = query.where("?")
        # where holds placeholders only; the values go as parameters.
        sql = f"SELECT seq, prev, hash, body FROM gitops_gate_events WHERE {where} ORDER BY seq"  # noqa: S608
        with self._errors("read"):
            yield from self._db.execute(sql, params)

    def close(self) -> None:
        self._db.close()

    def _write(self, events: list[AuditEvent]) -> list[Row]:
        prepared = [prepare(e, self._redactor) for e in events]  # before the lock: CPU work
        return self._transaction(lambda: self._insert(prepared))

    def _transaction(self, work: Callable[[], T]) -> T:
        with self._errors("write"):
            # IMMEDIATE takes the write lock before the head is read: two writers never
            # chain onto the same head.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                done = work()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return done

    def _insert(self, prepared: list[Prepared]) -> list[Row]:
        head_sql = "SELECT seq, hash FROM gitops_gate_events ORDER BY seq DESC LIMIT 1"
        found = self._db.execute(head_sql).fetchone()
        seq, head = found if found else self._anchor()
        keyed = [p.key for p in prepared if p.key is not None]
        known = self._known_keys(keyed) if keyed else set()
        fresh = fresh_events(prepared, known)
        sealed = seal(head, [p.body for p in fresh])
        rows = [Row(seq + n, *s) for n, s in enumerate(sealed, 1)]
        self._db.executemany(
            _INSERT,
            (
                (r.seq, p.time, p.action, p.environment, p.key, r.prev, r.hash, r.body)
                for p, r in zip(fresh, rows, strict=True)
            ),
        )
        return rows

    def _known_keys(self, keys: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):  # SQLite's cap on parameters per statement
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key FROM gitops_gate_events WHERE key IN ({marks})"  # noqa: S608 - placeholders
            found.update(k for (k,) in self._db.execute(sql, chunk))
        return found

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """A full disk, a read-only file or a lock held too long: one line, exit 3."""
        try:
            yield
        except (sqlite3.Error, OSError) as e:
            raise EnvironmentProblem(
                f"{self.location}: cannot {doing} the audit store: {e}",
                hint="free disk space, make the store writable, or set audit.path",
            ) from e
