"""The store's interface, which every backend (SQLite, PostgreSQL) implements, and its query."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from gitops_gate.audit.chain import Row
from gitops_gate.audit.event import AuditEvent
from gitops_gate.audit.verify import VerifyReport


@dataclass(frozen=True, slots=True)
class Query:
    """Which events to read: a time range (since inclusive, until exclusive), an environment,
    and an action or its family (`reconcile` matches `reconcile.sync`)."""

    since: datetime | None = None
    until: datetime | None = None
    environment: str | None = None
    action: str | None = None

    def where(self, mark: str) -> tuple[str, list[str]]:
        """The SQL condition and its parameters; mark is the driver's placeholder."""
        terms, params = ["1=1"], []
        if self.since is not None:
            terms.append(f"time >= {mark}")
            params.append(stamp(self.since))
        if self.until is not None:
            terms.append(f"time < {mark}")
            params.append(stamp(self.until))
        if self.environment is not None:
            terms.append(f"environment = {mark}")
            params.append(self.environment)
        if self.action is not None:
            terms.append(f"(action = {mark} OR action LIKE {mark})")
            params += [self.action, f"{self.action}.%"]
        return " AND ".join(terms), params


def stamp(moment: datetime) -> str:
    """A time as events spell it (UTC, microseconds), so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class AuditStore(Protocol):
    """An append-only, hash-chained event log. One writer or many: each append is one
    transaction that reads the chain's head and adds after it, so the chain stays one line."""

    location: str  # where it is, for messages (a path, or a URL without its password)

    def append(self, event: AuditEvent) -> Row | None:
        """Append event; None when an event with its key is already stored."""
        ...

    def append_many(self, events: Iterable[AuditEvent]) -> int:
        """Append events in one transaction; how many were new."""
        ...

    def query(self, query: Query = ...) -> Iterator[Row]:
        """The matching events in chain order, streamed."""
        ...

    def verify(self) -> VerifyReport: ...

    def prune(self, before: datetime) -> int:
        """Remove the oldest events, up to the first at or after before (retention); the last
        removed is kept as the anchor verify starts from. How many were removed."""
        ...

    def close(self) -> None: ...
