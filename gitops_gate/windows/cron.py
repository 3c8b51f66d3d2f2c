"""Five-field cron schedules with robfig/cron v3's semantics, the parser Argo CD uses."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NUMBER = re.compile(r"\+?[0-9]+")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    low: int
    high: int
    names: dict[str, int] | None = None


_FIELDS = (
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day of month", 1, 31),
    _Field("month", 1, 12, {n: i + 1 for i, n in enumerate(_MONTHS)}),
    _Field("day of week", 0, 6, {n: i for i, n in enumerate(_DAYS)}),
)

# robfig's descriptors, minus `@every`: an interval has no wall-clock start to open a window at.
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


class CronError(ValueError):
    """A schedule that robfig/cron (and so Argo CD) would refuse, or one we refuse on purpose."""


class CronUnsupported(CronError):
    """A schedule robfig accepts that gitops-gate does not evaluate (a `TZ=` prefix)."""


@dataclass(frozen=True)
class CronSchedule:
    """The wall-clock times a schedule fires at; time zones are applied by the caller."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    days_star: bool
    weekdays_star: bool

    def matches(self, day: date) -> bool:
        """True when the schedule fires on this calendar day.

        As in robfig (and Vixie cron), when both day fields are restricted a day matching
        either one fires; when either is `*` (or `?`, or `*/1`) both must match.
        """
        if day.month not in self.months:
            return False
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.days_star or self.weekdays_star:
            return dom and dow
        return dom or dow

    @cached_property
    def times(self) -> tuple[tuple[int, int], ...]:
        """(hour, minute) pairs it fires at on a matching day, in order."""
        return tuple((h, m) for h in sorted(self.hours) for m in sorted(self.minutes))

    @cached_property
    def minutes_of_day(self) -> tuple[int, ...]:
        """`times` as minutes since midnight, for bisecting."""
        return tuple(h * 60 + m for h, m in self.times)

    def ever_fires(self) -> bool:
        """False for schedules such as `0 0 30 2 *` that name no real day."""
        if not (self.minutes and self.hours and self.months):
            return False
        real_day = any(d <= calendar.monthrange(2024, m)[1] for m in self.months for d in self.days)
        if self.days_star or self.weekdays_star:
            return real_day and bool(self.weekdays)
        return real_day or bool(self.weekdays)


def parse_cron(text: str, *, descriptors: bool = True) -> CronSchedule:
    """Parse `minute hour day-of-month month day-of-week`, names allowed (`Mon-Fri`, `jan`)."""
    spec = text.strip()
    if not spec:
        raise CronError("empty schedule")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        raise CronUnsupported(f"{spec.split()[0]!r} prefix is not supported (set timeZone instead)")
    if spec.startswith("@"):
        if not descriptors:
            raise CronError(f"Argo CD does not accept descriptors such as {spec!r}")
        if spec not in _DESCRIPTORS:
            raise CronError(f"unknown descriptor {spec!r} (use one of {', '.join(_DESCRIPTORS)})")
        spec = _DESCRIPTORS[spec]
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}")
    values = [_parse_field(f, spec_field) for f, spec_field in zip(fields, _FIELDS, strict=True)]
    return CronSchedule(
        text=text.strip(),
        minutes=values[0][0],
        hours=values[1][0],
        days=values[2][0],
        months=values[3][0],
        weekdays=values[4][0],
        days_star=values[2][1],
        weekdays_star=values[4][1],
    )


def _parse_field(text: str, field: _Field) -> tuple[frozenset[int], bool]:
    """The values of one comma-separated field, and whether it counts as `*`."""
    values: set[int] = set()
    star = False
    for part in (p for p in text.split(",") if p):
        found, part_star = _parse_range(part, field)
        values |= found
        star = star or part_star
    return frozenset(values), star


def _parse_range(expr: str, field: _Field) -> tuple[set[int], bool]:
    """`*`, `N`, `N-M`, each optionally `/step`; `N/step` means `N-max/step`, as in robfig."""
    range_part, slash, step_text = expr.partition("/")
    if "/" in step_text:
        raise CronError(f"too many slashes in {field.name} {expr!r}")
    low_text, dash, high_text = range_part.partition("-")
    # robfig looks only before the first hyphen for a star: `*-5` (even `*-x`) is `*`.
    star = low_text in ("*", "?")
    if star:
        low, high = field.low, field.high
    else:
        if "-" in high_text:
            raise CronError(f"too many hyphens in {field.name} {expr!r}")
        low = _value(low_text, field, expr)
        high = _value(high_text, field, expr) if dash else (field.high if slash else low)
    step = _number(step_text, field, expr) if slash else 1
    if step == 0:
        raise CronError(f"step of {field.name} {expr!r} must be positive")
    if low < field.low or high > field.high:
        raise CronError(f"{field.name} {expr!r} is outside {field.low}-{field.high}")
    if low > high:
        raise CronError(f"{field.name} range {expr!r} starts after it ends")
    # robfig drops the star bit for `*/2`: a stepped star restricts the day like a list.
    return set(range(low, high + 1, step)), star and step == 1


def _value(text: str, field: _Field, expr: str) -> int:
    if field.names and text.lower() in field.names:
        return field.names[text.lower()]
    return _number(text, field, expr)


def _number(text: str, field: _Field, expr: str) -> int:
    if not _NUMBER.fullmatch(text):
        names = f" or a name such as {next(iter(field.names))!r}" if field.names else ""
        raise CronError(f"{field.name} {expr!r}: {text!r} is not a number{names}")
    return int(text)
