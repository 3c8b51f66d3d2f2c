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

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
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
    if window.always_open or window.broken or window.duration <= timedelta(0):
        return window.always_open
    fired = prev_fire(window.schedule, window.zone, at)
    return fired is not None and at < fired + window.duration


def intervals(window: SyncWindow, start: datetime, end: datetime) -> Iterator[Interval]:
    """The window's open intervals that overlap [start, end), merged where they touch."""
    lo = max(start, window.from_) if window.from_ else start
    hi = min(end, window.until) if window.until else end
    if lo < hi and window.always_open:
        yield lo, hi
    if lo >= hi or window.always_open or window.broken or window.duration <= timedelta(0):
        return  # never (or always) open; a broken window blocks through the verdict instead
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
        e = _merged_end(cron, zone, length, s, limit=end)
        yield s, e
        s = next_fire(cron, zone, e)


def _merged_end(
    cron: CronSchedule, zone: ZoneInfo, length: timedelta, fire: datetime, *, limit: datetime
) -> datetime:
    """The end of the run of occurrences from `fire` on, each starting before the last ends.

    Works a day at a time, so a window that fires every minute costs days, not minutes.
    Past `limit` the exact end no longer matters to the caller, which clips there.
    """
    cursor: datetime | None = fire
    while cursor is not None and cursor <= limit:
        last = _last_before_gap(cron, zone, length, cursor)
        if last is not None:
            return last + length
        last_today = _last_of_day(cron, zone, cursor.astimezone(zone).date())
        following = next_fire(cron, zone, last_today)
        if following is None or following > last_today + length:
            return last_today + length
        cursor = following
    return (cursor or fire) + length


def _last_before_gap(
    cron: CronSchedule, zone: ZoneInfo, length: timedelta, cursor: datetime
) -> datetime | None:
    """On cursor's local day, the first fire from cursor on whose successor that day comes
    later than it ends; None when every fire that day is followed in time."""
    day = cursor.astimezone(zone).date()
    offset = _steady_offset(zone, day)
    if offset is None:
        every = _day_fires(cron, zone, day)
        fires = every[bisect_left(every, cursor) :]
        return next((a for a, b in pairwise(fires) if b - a > length), None)
    midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
    minutes = cron.minutes_of_day
    i = bisect_left(minutes, (cursor - midnight) // timedelta(minutes=1))
    big = _gaps(cron, length)
    k = bisect_left(big, i)
    return midnight + timedelta(minutes=minutes[big[k]]) if k < len(big) else None


@lru_cache(maxsize=256)
def _gaps(cron: CronSchedule, length: timedelta) -> tuple[int, ...]:
    """Indexes into a day's fires after which the next fire that day comes after it ends."""
    m = cron.minutes_of_day
    return tuple(j for j in range(len(m) - 1) if timedelta(minutes=m[j + 1] - m[j]) > length)


def _last_of_day(cron: CronSchedule, zone: ZoneInfo, day: date) -> datetime:
    offset = _steady_offset(zone, day)
    if offset is None:
        return _day_fires(cron, zone, day)[-1]
    midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
    return midnight + timedelta(minutes=cron.minutes_of_day[-1])


@lru_cache(maxsize=64)
def _day_fires(cron: CronSchedule, zone: ZoneInfo, day: date) -> tuple[datetime, ...]:
    """All fire times of one local day, in time order."""
    offset = _steady_offset(zone, day)
    if offset is None:
        return tuple(sorted(_instant(zone, day, h, m) for h, m in cron.times))
    midnight = datetime.combine(day, time(0), tzinfo=UTC) - offset
    return tuple(midnight + timedelta(minutes=m) for m in cron.minutes_of_day)


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
        fires = _day_fires(cron, zone, day)
        i = bisect_right(fires, at)
        if before:
            return fires[i - 1] if i > 0 else None
        return fires[i] if i < len(fires) else None
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
