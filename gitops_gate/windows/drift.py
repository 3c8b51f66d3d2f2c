"""Where Argo CD will be off around a daylight-saving change, found by replaying it.

Argo CD reads a window's wall clock with the UTC offset of the moment it checks (of
`time.Now()`), so after the clocks change it moves an occurrence still open by the size of
the change (ending it early, or late: one that gitops-gate ends exactly at a fall-back change
stays open an hour more), runs a fire time of the repeated hour again, and opens one whose
local start falls in the spring-forward gap at the change itself. gitops-gate places each
occurrence with its own date's offset; this check replays Argo CD's reading after each change
and warns where the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gitops_gate.findings import Finding, Severity
from gitops_gate.windows.model import SyncWindow
from gitops_gate.windows.sources import CHECK, RULE
from gitops_gate.windows.timing import Interval, intervals, is_open
from gitops_gate.windows.when import format_moment

_YEAR = 366
_STEP = timedelta(minutes=15)
_TICK = timedelta(microseconds=1)


def dst_findings(windows: Sequence[SyncWindow], now: datetime) -> list[Finding]:
    """A warning for each AppProject window Argo CD will read differently after a clock
    change in the coming year (the first such change)."""
    findings = []
    for window in windows:
        if window.origin.resource is None or not _placed(window):
            continue  # our own config (only gitops-gate evaluates it), or never placed in time
        for at, shift in changes(window.zone, now):
            finding = _compare(window, at, shift)
            if finding is not None:
                findings.append(finding)
                break
    return findings


def _placed(window: SyncWindow) -> bool:
    return not (window.broken or window.always_open or window.duration <= timedelta(0))


def changes(zone: ZoneInfo, now: datetime) -> Iterator[tuple[datetime, timedelta]]:
    """Each clock change of the zone in the year from now: (instant, new minus old offset)."""
    day = now.astimezone(zone).date()
    for _ in range(_YEAR):
        before, after = _offset(zone, day), _offset(zone, day + timedelta(days=1))
        if before != after:
            yield _instant_of_change(zone, day, before), after - before
        day += timedelta(days=1)


def _offset(zone: ZoneInfo, day: date) -> timedelta:
    return datetime.combine(day, time(12), tzinfo=zone).utcoffset() or timedelta(0)


def _instant_of_change(zone: ZoneInfo, day: date, before: timedelta) -> datetime:
    at = datetime.combine(day, time(12), tzinfo=UTC) - before
    while at.astimezone(zone).utcoffset() == before:
        at += _STEP
    return at


def _compare(window: SyncWindow, at: datetime, shift: timedelta) -> Finding | None:
    """The finding for one change, or None when Argo CD agrees from the change on."""
    end = at + window.duration + abs(shift) + _STEP
    ours = _clip(intervals(window, at, end), at, end)
    argo = _clip(_argo_intervals(window, at, end), at, end)
    if ours == argo:
        return None
    if is_open(window, at - _TICK) and ours[1:] == argo[1:] and _ends_differ(ours, argo, at):
        late = _first_end(argo, at) - _first_end(ours, at)
        return _finding(window, _straddles(window, at, late))
    return _finding(window, _moved(window, at, ours, argo))


def _argo_intervals(window: SyncWindow, at: datetime, end: datetime) -> Iterator[Interval]:
    """When Argo CD holds the window open in [at, end): the schedule run on the wall clock
    as if it were UTC, moved by the one offset in force after the change."""
    offset = at.astimezone(window.zone).utcoffset() or timedelta(0)
    naive = replace(window, zone=ZoneInfo("UTC"), from_=None, until=None)
    for s, e in intervals(naive, at + offset, end + offset):
        yield s - offset, e - offset


def _clip(spans: Iterator[Interval], lo: datetime, hi: datetime) -> list[Interval]:
    return [(max(s, lo), min(e, hi)) for s, e in spans if min(e, hi) > max(s, lo)]


def _ends_differ(ours: list[Interval], argo: list[Interval], at: datetime) -> bool:
    return _first_end(ours, at) != _first_end(argo, at)


def _first_end(spans: list[Interval], at: datetime) -> datetime:
    """The end of the occurrence open at the change: its first span, or the change itself."""
    return spans[0][1] if spans and spans[0][0] == at else at


def _straddles(window: SyncWindow, at: datetime, late: timedelta) -> str:
    hours = abs(late) / timedelta(hours=1)
    amount = "an hour" if hours == 1 else f"{hours:g} hours"
    return (
        f"window {window.name} is open when the clocks change at "
        f"{format_moment(at, window.zone)}: Argo CD will end it {amount} "
        f"{'late' if late > timedelta(0) else 'early'}"
    )


def _moved(window: SyncWindow, at: datetime, ours: list[Interval], argo: list[Interval]) -> str:
    return (
        f"window {window.name}: after the clocks change at {format_moment(at, window.zone)}, "
        f"Argo CD holds it open {_spans(argo, window.zone)} where gitops-gate holds it open "
        f"{_spans(ours, window.zone)}"
    )


def _spans(spans: list[Interval], zone: ZoneInfo) -> str:
    if not spans:
        return "never"
    return ", ".join(f"{format_moment(s, zone)} to {format_moment(e, zone)}" for s, e in spans)


def _finding(window: SyncWindow, text: str) -> Finding:
    message = f"{text} (it applies today's UTC offset to the whole window; gitops-gate does not)"
    origin = window.origin
    return Finding(
        RULE, Severity.WARNING, message, CHECK, origin.path, origin.line, origin.resource
    )
