"""Argo CD's `CanSync` rules over a moment: allowed, manual-only or denied, and until when."""

from __future__ import annotations

import enum
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from gitops_gate.windows.model import Kind, SyncWindow
from gitops_gate.windows.timing import Interval, intervals, is_open, prev_fire

# How far ahead to look for the next change, widening only when nothing changes sooner.
_HORIZONS = (
    timedelta(hours=1),
    timedelta(days=2),
    timedelta(days=16),
    timedelta(days=64),
    timedelta(days=400),
)


class State(enum.StrEnum):
    ALLOWED = "allowed"
    MANUAL_ONLY = "manual-only"
    DENIED = "denied"

    @property
    def rank(self) -> int:
        return (State.ALLOWED, State.MANUAL_ONLY, State.DENIED).index(self)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The state at one moment and the windows that decided it."""

    state: State
    deciding: tuple[SyncWindow, ...] = ()


def verdict(windows: Sequence[SyncWindow], active: Iterable[SyncWindow]) -> Verdict:
    """CanSync for the windows that match one Application, given which of them are open.

    A window Argo CD cannot parse denies everything, manual syncs too. Else an open deny
    wins (manual syncs pass only if every open deny has manualSync); else an open allow
    allows, whatever other allows are closed (Argo CD before v2.8.0 blocked here, bug
    #10425); else closed allows deny (manual syncs pass only if every one has manualSync).
    """
    broken = [w for w in windows if w.broken]
    if broken:  # Argo CD's CanSync fails on a window it cannot parse: nothing syncs
        return Verdict(State.DENIED, tuple(broken))
    open_ = set(active)
    denies = [w for w in windows if w.kind is Kind.DENY and w in open_]
    if denies:
        manual = all(w.manual_sync for w in denies)
        return Verdict(State.MANUAL_ONLY if manual else State.DENIED, tuple(denies))
    allows = [w for w in windows if w.kind is Kind.ALLOW]
    opened = [w for w in allows if w in open_]
    if opened:
        return Verdict(State.ALLOWED, tuple(opened))
    if allows:
        manual = all(w.manual_sync for w in allows)
        return Verdict(State.MANUAL_ONLY if manual else State.DENIED, tuple(allows))
    return Verdict(State.ALLOWED)


def worst(verdicts: Sequence[Verdict]) -> Verdict:
    """Several Applications together: the most restrictive state, with all windows behind it."""
    if not verdicts:
        return Verdict(State.ALLOWED)
    state = max((v.state for v in verdicts), key=lambda s: s.rank)
    deciding: dict[int, SyncWindow] = {}
    for v in verdicts:
        if v.state is state:
            deciding.update((id(w), w) for w in v.deciding)
    return Verdict(state, tuple(deciding.values()))


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of time with one state."""

    start: datetime
    end: datetime
    verdict: Verdict


def segments(
    groups: Sequence[Sequence[SyncWindow]], start: datetime, end: datetime
) -> list[Segment]:
    """The state over [start, end) for the Applications whose windows are `groups`, merged."""
    unique = {id(w): w for group in groups for w in group}
    spans = {key: list(intervals(w, start, end)) for key, w in unique.items()}
    cuts = {start} | {t for ivs in spans.values() for iv in ivs for t in iv if start < t < end}
    points = sorted(cuts)
    starts = {key: [s for s, _ in ivs] for key, ivs in spans.items()}
    out: list[Segment] = []
    for i, at in enumerate(points):
        active = [unique[k] for k, ivs in spans.items() if _inside(ivs, starts[k], at)]
        v = worst([verdict(group, active) for group in groups])
        stop = points[i + 1] if i + 1 < len(points) else end
        if out and out[-1].verdict.state is v.state:
            out[-1] = Segment(out[-1].start, stop, out[-1].verdict)
        else:
            out.append(Segment(at, stop, v))
    return out


def _inside(ivs: list[Interval], starts: list[datetime], at: datetime) -> bool:
    i = bisect_right(starts, at) - 1
    return i >= 0 and at < ivs[i][1]


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for a moment: state, deciding windows, and when the state next changes."""

    at: datetime
    state: State
    deciding: tuple[SyncWindow, ...]
    until: datetime | None
    next_state: State | None
    overrun: bool = False
    started_allowed: bool | None = None  # with `started`: could the sync start then?

    def can_sync(self, *, manual: bool = False) -> bool:
        return self.state is State.ALLOWED or (manual and self.state is State.MANUAL_ONLY)

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "state": self.state.value,
            "decidedBy": [w.to_json() for w in self.deciding],
            "until": self.until.isoformat() if self.until else None,
            "nextState": self.next_state.value if self.next_state else None,
            "syncOverrun": self.overrun,
        }


def decide(
    groups: Sequence[Sequence[SyncWindow]],
    at: datetime,
    *,
    started: datetime | None = None,
    manual: bool = False,
) -> Decision:
    """The decision at `at`; with `started`, whether a sync begun then may run on (syncOverrun)."""
    for horizon in _HORIZONS:
        segs = segments(groups, at, at + horizon)
        if len(segs) > 1:
            current, following = segs[0], segs[1]
            break
    else:
        current, following = segs[0], None
    then = None if started is None else decide(groups, started).can_sync(manual=manual)
    overrun = bool(then) and _overruns(groups, at, manual=manual)
    instant = _at_instant(groups, at)
    if instant.state is not current.verdict.state:
        return Decision(
            at, instant.state, instant.deciding, at, current.verdict.state, overrun, then
        )
    return Decision(
        at=at,
        state=current.verdict.state,
        deciding=current.verdict.deciding,
        until=following.start if following else None,
        next_state=following.verdict.state if following else None,
        overrun=overrun,
        started_allowed=then,
    )


def _overruns(groups: Sequence[Sequence[SyncWindow]], at: datetime, *, manual: bool) -> bool:
    """A sync allowed when it started may finish if every window now blocking it has
    syncOverrun (the caller checks it was allowed when it started)."""
    now = _at_instant(groups, at)
    if now.state is State.ALLOWED or (manual and now.state is State.MANUAL_ONLY):
        return False
    return all(w.sync_overrun for w in now.deciding)


_TICK = timedelta(microseconds=1)


def active(windows: Iterable[SyncWindow], at: datetime) -> list[SyncWindow]:
    """Argo CD's `SyncWindows.active`: the windows open at the instant `at`.

    Argo CD counts an occurrence as open when `Next(now - duration)` is before now, so at
    the very instant a window opens it is still closed; a moment later it is open.
    """
    return [w for w in windows if _open_at(w, at)]


def inactive_allows(windows: Iterable[SyncWindow], at: datetime) -> list[SyncWindow]:
    """Argo CD's `SyncWindows.inactiveAllows`: the allow windows closed at `at`."""
    windows = list(windows)
    open_ = active(windows, at)
    return [w for w in windows if w.kind is Kind.ALLOW and not w.broken and w not in open_]


def _open_at(window: SyncWindow, at: datetime) -> bool:
    """Open by Argo CD's test: a fire time strictly between `at - duration` and `at`."""
    if window.always_open or not is_open(window, at):
        return window.always_open and is_open(window, at)
    fired = prev_fire(window.schedule, window.zone, at - _TICK)
    return fired is not None and fired + window.duration > at


def _at_instant(groups: Sequence[Sequence[SyncWindow]], at: datetime) -> Verdict:
    """The verdict at exactly `at`, where a window opening at that instant is still closed."""
    unique = {id(w): w for group in groups for w in group}
    open_ = active(unique.values(), at)
    return worst([verdict(group, open_) for group in groups])
