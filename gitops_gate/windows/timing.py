"""When a window is open, computed with the UTC offset of each occurrence's own date.

Argo CD (`SyncWindow.active`) shifts *now* by the zone's offset of *now* and runs the cron
there, so an occurrence that began before a daylight-saving change is an hour off after it.
Here every wall-clock fire time is converted with its own date's offset. A fire time that
does not exist (the spring-forward gap) is read with the offset before the change, so
`30 2 * * *` fires at 03:30 summer time that day; a fire time that happens twice (fall back)
fires once, at the first. A window lasts its duration in elapsed time, as Go's `Add` does.
One more small difference: Argo CD counts a window as open strictly after its start; here
it is open from its start, [start, start + duration).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from gitops_gate.windows.cron import CronSchedule
from gitops_gate.windows.model import SyncWindow

_DAY = timedelta(days=1)
SEARCH_DAYS = 5 * 366 + 2  # robfig/cron gives up after five years too

Interval = tuple[datetime, datetime]


def is_open(window: SyncWindow, at: datetime) -> bool:
    """True when `at` lies inside an occurrence of the window (and inside its date range)."""
    if (window.from_ and at < window.from_) or (window.until and at >= window.until):
        return False
    fired = prev_fire(window.schedule, window.zone, at)
    return fired is not None and at < fired + window.duration


def intervals(window: SyncWindow, start: datetime, end: datetime) -> Iterator[Interval]:
    """The window's open intervals that overlap [start, end), merged where they touch."""
    lo = max(start, window.from_) if window.from_ else start
    hi = min(end, window.until) if window.until else end
    if lo >= hi:
        return
    for s, e in _raw_intervals(window, lo, hi):
        s = max(s, window.from_) if window.from_ else s
        e = min(e, window.until) if window.until else e
        if s < e:
            yield s, e


def _raw_intervals(window: SyncWindow, start: datetime, end: datetime) -> Iterator[Interval]:
    cron, zone, length = window.schedule, window.zone, window.duration
    fired = prev_fire(cron, zone, start)
    s = fired if fired is not None and fired + length > start else next_fire(cron, zone, start)
    while s is not None and s < end:
        e = s + length
        while (latest := prev_fire(cron, zone, e)) is not None and latest + length > e:
            e = latest + length  # a later occurrence begins before this one ends
        yield s, e
        s = next_fire(cron, zone, e)


def prev_fire(cron: CronSchedule, zone: ZoneInfo, at: datetime) -> datetime | None:
    """The latest fire time at or before `at`."""
    day = at.astimezone(zone).date() + _DAY
    for _ in range(SEARCH_DAYS):
        if cron.matches(day) and (found := _day_fire(cron, zone, day, at, before=True)):
            return found
        day -= _DAY
    return None


def next_fire(cron: CronSchedule, zone: ZoneInfo, at: datetime) -> datetime | None:
    """The earliest fire time strictly after `at`."""
    day = at.astimezone(zone).date() - _DAY
    for _ in range(SEARCH_DAYS):
        if cron.matches(day) and (found := _day_fire(cron, zone, day, at, before=False)):
            return found
        day += _DAY
    return None


def _day_fire(
    cron: CronSchedule, zone: ZoneInfo, day: date, at: datetime, *, before: bool
) -> datetime | None:
    """On one local day: the last fire at or before `at`, or the first one after it."""
    offset = _steady_offset(zone, day)
    if offset is None:  # the offset changes today: wall-clock order is not time order
        fires = [_instant(zone, day, h, m) for h, m in cron.times]
        if before:
            return max((t for t in fires if t <= at), default=None)
        return min((t for t in fires if t > at), default=None)
    midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
    minutes = cron.minutes_of_day
    since = (at - midnight) // timedelta(minutes=1)
    i = bisect_right(minutes, since)
    if before:
        return midnight + timedelta(minutes=minutes[i - 1]) if i > 0 else None
    return midnight + timedelta(minutes=minutes[i]) if i < len(minutes) else None


def _instant(zone: ZoneInfo, day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=4096)
def _steady_offset(zone: ZoneInfo, day: date) -> timedelta | None:
    """The day's UTC offset, or None when it changes during the day."""
    start = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
    end = datetime.combine(day + _DAY, time(0), tzinfo=zone).utcoffset()
    return start if start == end else None
