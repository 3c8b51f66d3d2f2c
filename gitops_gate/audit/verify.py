"""Recompute the chain and name each break: an event modified, deleted, inserted or reordered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gitops_gate.audit.chain import GENESIS, Row, digest


@dataclass(frozen=True, slots=True)
class Problem:
    """One break: what happened (modified, deleted, inserted, reordered) at which position."""

    kind: str
    seq: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "message": self.message}


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What `audit verify` found: how many events, the chain's head, and every break."""

    events: int
    head: str
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "schemaVersion": 1,
            "events": self.events,
            "head": self.head,
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
        }


class _Link(NamedTuple):
    seq: int
    prev: str
    hash: str
    sound: bool  # the stored hash is the hash of the stored body


def verify_rows(rows: Iterable[Row]) -> VerifyReport:
    """Walk rows in stored order; the bodies are hashed and dropped, only the links are kept."""
    links = [_Link(r.seq, r.prev, r.hash, digest(r.prev, r.body) == r.hash) for r in rows]
    problems: list[Problem] = []
    at: dict[str, int] = {}  # hash -> index, built at the first broken link
    for i, link in enumerate(links):
        if not link.sound:
            problems.append(Problem("modified", link.seq, f"event {link.seq} was modified"))
        if link.prev != (links[i - 1].hash if i else GENESIS):
            at = at or {other.hash: n for n, other in enumerate(links)}
            problems.extend(_broken_link(links, i, at, problems))
    head = links[-1].hash if links else GENESIS
    return VerifyReport(len(links), head, tuple(problems))


def _broken_link(
    links: list[_Link], i: int, at: dict[str, int], found: list[Problem]
) -> list[Problem]:
    """Why links[i] does not follow links[i-1]; nothing when an earlier break explains it."""
    here, expected = links[i], (links[i - 1].hash if i else GENESIS)
    points_to = at.get(here.prev)
    if points_to is not None and points_to > i:
        return [Problem("reordered", here.seq, f"event {here.seq} is out of order")]
    if points_to is not None:  # it follows an earlier event: what stands between is foreign
        between = {links[n].seq for n in range(points_to, i)}
        if any(p.seq in between for p in found):
            return []
        seq = links[points_to + 1].seq
        return [Problem("inserted", seq, f"event {seq} was inserted")]
    if i + 1 < len(links) and links[i + 1].prev == expected:
        return [Problem("inserted", here.seq, f"event {here.seq} was inserted")]
    return [_missing(links, i)]


def _missing(links: list[_Link], i: int) -> Problem:
    """links[i] follows an event no longer stored: deleted, or rewritten in place."""
    here = links[i]
    before = links[i - 1].seq if i else 0
    if here.seq == before + 1 and i:
        return Problem("modified", before, f"event {before} was rewritten (its hash changed)")
    return Problem("deleted", here.seq, f"an event before event {here.seq} was deleted")
