"""Where Argo CD will be an hour off: AppProject windows open across a daylight-saving change.

Argo CD converts with the offset of *now*, so once the clocks change during an open
occurrence it moves that occurrence's end by the size of the change. gitops-gate computes it
right; this check tells users when the cluster will disagree with the gate.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gitops_gate.findings import Finding, Severity
from gitops_gate.windows.model import SyncWindow
from gitops_gate.windows.sources import CHECK, RULE
from gitops_gate.windows.timing import is_open
from gitops_gate.windows.when import format_moment

_YEAR = 366
_STEP = timedelta(minutes=15)


def dst_findings(windows: Sequence[SyncWindow], now: datetime) -> list[Finding]:
    """A warning for each AppProject window open at a clock change in the coming year."""
    findings = []
    for window in windows:
        if window.origin.resource is None:
            continue  # our own config: only gitops-gate evaluates it
        change = next((c for c in changes(window.zone, now) if is_open(window, c[0])), None)
        if change is not None:
            findings.append(_finding(window, *change))
    return findings


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


def _finding(window: SyncWindow, at: datetime, shift: timedelta) -> Finding:
    direction = "early" if shift > timedelta(0) else "late"
    hours = abs(shift) / timedelta(hours=1)
    amount = "an hour" if hours == 1 else f"{hours:g} hours"
    message = (
        f"window {window.name} is open when the clocks change at "
        f"{format_moment(at, window.zone)}: Argo CD will end it {amount} {direction} "
        "(it applies today's UTC offset to the whole window; gitops-gate does not)"
    )
    origin = window.origin
    return Finding(
        RULE, Severity.WARNING, message, CHECK, origin.path, origin.line, origin.resource
    )
