"""Recompute the chain and name each break: an event modified, deleted, inserted or reordered."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gitops_gate.audit.chain import Anchor


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
    pruned: int = 0  # the events before this seq were removed by retention (anchored)

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
            "prunedThrough": self.pruned,
        }


GENESIS_ANCHOR = Anchor()


class _Link(NamedTuple):
    seq: int
    prev: str
    hash: str
    sound: bool  # the stored hash is the hash of the stored body


def verify_rows(
    rows: Iterable[tuple[int, str, str, str]], start: Anchor = GENESIS_ANCHOR
) -> VerifyReport:
    """Walk (seq, prev, hash, body) rows in stored order; only the links are kept, and the
    loop is written out (no helper per row): it runs for every event in the log."""
    links: list[tuple[int, str, str, bool]] = []
    problems: list[Problem] = []
    expected, sha256 = start.hash, hashlib.sha256
    for seq, prev, digest_, body in rows:
        sound = sha256(f"{prev}\n{body}".encode()).hexdigest() == digest_
        links.append((seq, prev, digest_, sound))  # a plain tuple: _Link's __new__ is slow
        if not sound or prev != expected:
            problems.append(_MARK)  # classified below, once every link is known
        expected = digest_
    if problems:
        problems = _classify([_Link(*link) for link in links], start)
    head = links[-1][2] if links else start.hash
    return VerifyReport(len(links), head, tuple(problems), start.seq)


_MARK = Problem("", 0, "")


def _classify(links: list[_Link], start: Anchor) -> list[Problem]:
    problems: list[Problem] = []
    at = {link.hash: n for n, link in enumerate(links)}
    for i, link in enumerate(links):
        if not link.sound:
            problems.append(Problem("modified", link.seq, f"event {link.seq} was modified"))
        if link.prev != (links[i - 1].hash if i else start.hash):
            problems.extend(_broken_link(links, i, at, problems, start))
    return problems


def _broken_link(
    links: list[_Link], i: int, at: dict[str, int], found: list[Problem], start: Anchor
) -> list[Problem]:
    """Why links[i] does not follow links[i-1]; nothing when an earlier break explains it."""
    here, expected = links[i], (links[i - 1].hash if i else start.hash)
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
    return [_missing(links, i, start)]


def _missing(links: list[_Link], i: int, start: Anchor) -> Problem:
    """links[i] follows an event no longer stored: deleted, or rewritten in place."""
    here = links[i]
    before = links[i - 1].seq if i else start.seq
    if here.seq == before + 1 and i:
        return Problem("modified", before, f"event {before} was rewritten (its hash changed)")
    return Problem("deleted", here.seq, f"an event before event {here.seq} was deleted")
