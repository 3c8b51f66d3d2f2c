"""The shared store: one PostgreSQL table that CI runners and reconcilers append to together.

psycopg 3 (with its binary wheel, which bundles libpq): the maintained driver, typed, and
its server-side cursors stream an export in constant memory. Writers serialise on a
transaction-scoped advisory lock taken before the chain's head is read, so two writers never
chain onto the same head; readers are never blocked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gitops_gate.audit.chain import Anchor, Prepared, Row, fresh_events, prepare, seal
from gitops_gate.audit.event import AuditEvent
from gitops_gate.audit.store import Query, stamp
from gitops_gate.audit.verify import VerifyReport, verify_rows
from gitops_gate.errors import EnvironmentProblem
from gitops_gate.redact import Redactor

if TYPE_CHECKING:
    import psycopg

TABLE = "gitops_gate_events"
ANCHOR = "gitops_gate_anchor"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    seq BIGINT PRIMARY KEY,
    time TEXT NOT NULL,
    action TEXT NOT NULL,
    environment TEXT,
    key TEXT UNIQUE,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_time ON {TABLE} (time);
CREATE INDEX IF NOT EXISTS {TABLE}_env_time ON {TABLE} (environment, time);
CREATE TABLE IF NOT EXISTS {ANCHOR} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
)
"""
_COLUMNS = "seq, time, action, environment, key, prev, hash, body"
_COPY = f"COPY {TABLE} ({_COLUMNS}) FROM STDIN"
LOCK = 0x6A7E_A0D1  # the advisory lock every gitops-gate writer takes: any constant would do


def without_password(url: str) -> str:
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


class PostgresStore:
    """An AuditStore in one PostgreSQL table."""

    def __init__(self, url: str, *, redactor: Redactor | None = None) -> None:
        import psycopg  # heavy: only for a postgresql:// store

        self.location = without_password(url)
        self._redactor = redactor or Redactor()
        with self._errors("open"):
            self._db = psycopg.connect(url, autocommit=True, connect_timeout=10)
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
                for statement in SCHEMA.split(";"):
                    self._db.execute(statement)

    def append(self, event: AuditEvent) -> Row | None:
        rows = self._write([event])
        return rows[0] if rows else None

    def append_many(self, events: Iterable[AuditEvent]) -> int:
        return len(self._write(list(events)))

    def query(self, query: Query | None = None) -> Iterator[Row]:
        return (Row(*found) for found in self._rows(query or Query()))

    def verify(self) -> VerifyReport:
        with self._errors("read"), self._db.transaction():
            # One snapshot for the anchor and the rows.
            self._db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return verify_rows(self._rows(Query()), self._anchor(self._db))

    def prune(self, before: datetime) -> int:
        """Remove the oldest events up to the first at or after before; the last one removed
        becomes the anchor the chain is verified from."""
        with self._errors("write"), self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            return self._prune(self._db, stamp(before))

    def _prune(self, db: psycopg.Connection[Any], before: str) -> int:
        anchor = self._anchor(db)
        first_sql = f"SELECT MIN(seq) FROM {TABLE} WHERE time >= %s"  # noqa: S608
        first_kept = db.execute(first_sql, (before,)).fetchone()
        limit = first_kept[0] if first_kept and first_kept[0] is not None else None
        if limit is None:
            found = db.execute(f"SELECT MAX(seq) + 1 FROM {TABLE}").fetchone()  # noqa: S608
            limit = found[0] if found and found[0] is not None else 0
        cut_sql = f"SELECT seq, hash FROM {TABLE} WHERE seq < %s ORDER BY seq DESC LIMIT 1"  # noqa: S608
        cut = db.execute(cut_sql, (limit,)).fetchone()
        if cut is None or cut[0] <= anchor.seq:
            return 0
        gone = db.execute(f"DELETE FROM {TABLE} WHERE seq <= %s", (cut[0],)).rowcount  # noqa: S608
        db.execute(
            f"INSERT INTO {ANCHOR} VALUES (1, %s, %s)"  # noqa: S608
            " ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash",
            cut,
        )
        return int(gone)

    def _anchor(self, db: psycopg.Connection[Any]) -> Anchor:
        found = db.execute(f"SELECT seq, hash FROM {ANCHOR}").fetchone()  # noqa: S608
        return Anchor(*found) if found else Anchor()

    def _rows(self, query: Query) -> Iterator[tuple[int, str, str, str]]:
        where, params = query.where("%s")
        sql = f"SELECT seq, prev, hash, body FROM {TABLE} WHERE {where} ORDER BY seq"  # noqa: S608
        # stream(): libpq's single-row mode, so memory stays flat; faster here than a named
        # (server-side) cursor's pages, and it needs no transaction of its own.
        with self._errors("read"), self._db.cursor() as cursor:
            yield from cursor.stream(sql, params)

    def close(self) -> None:
        self._db.close()

    def _write(self, events: list[AuditEvent]) -> list[Row]:
        prepared = [prepare(e, self._redactor) for e in events]
        with self._errors("write"), self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            return self._insert(self._db, prepared)

    def _insert(self, db: psycopg.Connection[Any], prepared: list[Prepared]) -> list[Row]:
        head_sql = f"SELECT seq, hash FROM {TABLE} ORDER BY seq DESC LIMIT 1"  # noqa: S608
        found = db.execute(head_sql).fetchone()
        seq, head = found if found else self._anchor(db)
        keys = [p.key for p in prepared if p.key is not None]
        known: set[str] = set()
        if keys:
            sql = f"SELECT key FROM {TABLE} WHERE key = ANY(%s)"  # noqa: S608
            known = {k for (k,) in db.execute(sql, (keys,))}
        fresh = fresh_events(prepared, known)
        rows = [Row(seq + n, *s) for n, s in enumerate(seal(head, [p.body for p in fresh]), 1)]
        # COPY, not executemany: one stream for the batch, about twice as fast.
        with db.cursor() as cursor, cursor.copy(_COPY) as copy:
            for p, r in zip(fresh, rows, strict=True):
                copy.write_row(
                    (r.seq, p.time, p.action, p.environment, p.key, r.prev, r.hash, r.body)
                )
        return rows

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """A server down, a full disk, a missing grant: one line, exit 3."""
        import psycopg

        try:
            yield
        except psycopg.Error as e:
            reason = without_password(str(e).strip().splitlines()[0] if str(e).strip() else "")
            raise EnvironmentProblem(
                f"{self.location}: cannot {doing} the audit store: {reason or type(e).__name__}",
                hint="check that the server is up and the URL's user may write",
            ) from e
