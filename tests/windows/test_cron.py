"""The cron parser agrees with robfig/cron v3, the parser Argo CD uses."""

from __future__ import annotations

from datetime import date

import pytest

from gitops_gate.windows.cron import CronError, parse_cron


@pytest.mark.parametrize(
    ("spec", "field", "expected"),
    [
        ("0 9 * * Mon-Fri", "weekdays", {1, 2, 3, 4, 5}),
        ("0 9 * * mon,WED,fri", "weekdays", {1, 3, 5}),
        ("0 0 * * sun", "weekdays", {0}),
        ("0 0 * JAN-mar *", "months", {1, 2, 3}),
        ("0 0 1,15 * *", "days", {1, 15}),
        ("*/15 * * * *", "minutes", {0, 15, 30, 45}),
        ("5/20 * * * *", "minutes", {5, 25, 45}),  # N/step means N-max/step
        ("0 1-10/3 * * *", "hours", {1, 4, 7, 10}),
        ("0 0 ? * *", "days", set(range(1, 32))),
        ("  0 0 * * *  ", "hours", {0}),
        # What strconv.Atoi and robfig's splitting accept, so Argo CD does too:
        ("+5 * * * *", "minutes", {5}),
        ("005 * * * *", "minutes", {5}),
        ("1,,15 * * * *", "minutes", {1, 15}),
        ("*-5 * * * *", "minutes", set(range(60))),  # only the part before `-` is read
        ("0 0 * * *-Fri", "weekdays", set(range(7))),
        ("*-5/20 * * * *", "minutes", {0, 20, 40}),
        ("0 0 * * mon/2", "weekdays", {1, 3, 5}),
    ],
    ids=lambda v: str(v),
)
def test_fields(spec: str, field: str, expected: set[int]) -> None:
    assert getattr(parse_cron(spec), field) == expected


@pytest.mark.parametrize(
    ("descriptor", "same_as"),
    [
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"),
        ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ],
)
def test_descriptors(descriptor: str, same_as: str) -> None:
    a, b = parse_cron(descriptor), parse_cron(same_as)
    assert (a.minutes, a.hours, a.days, a.months, a.weekdays) == (
        b.minutes,
        b.hours,
        b.days,
        b.months,
        b.weekdays,
    )


# 2025-06-06 is a Friday, 2025-06-13 a Friday the 13th, 2025-05-13 a Tuesday.
@pytest.mark.parametrize(
    ("spec", "day", "fires"),
    [
        ("0 0 13 * Fri", date(2025, 6, 6), True),  # both restricted: either matches
        ("0 0 13 * Fri", date(2025, 5, 13), True),
        ("0 0 13 * Fri", date(2025, 6, 7), False),
        ("0 0 13 * *", date(2025, 6, 6), False),  # a star day field: both must match
        ("0 0 * * Fri", date(2025, 5, 13), False),
        ("0 0 ? * Fri", date(2025, 6, 6), True),
        ("0 0 */1 * Fri", date(2025, 6, 5), False),  # */1 keeps the star
        ("0 0 */2 * Fri", date(2025, 6, 6), True),  # */2 drops it: day 6 is even, a Friday
        ("0 0 */2 * Fri", date(2025, 6, 1), True),  # day 1, a Sunday
        ("0 0 */2 * Fri", date(2025, 6, 2), False),
        ("0 0 1-31 * Fri", date(2025, 6, 2), True),  # 1-31 is not a star
        ("0 0 31 * *", date(2025, 2, 28), False),
        ("0 0 29 2 *", date(2024, 2, 29), True),
    ],
    ids=lambda v: str(v),
)
def test_day_of_month_and_week(spec: str, day: date, fires: bool) -> None:
    assert parse_cron(spec).matches(day) is fires


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty schedule"),
        ("0 9 * *", "expected exactly 5 fields, found 4"),
        ("0 0 9 * * *", "expected exactly 5 fields, found 6"),
        ("60 * * * *", "minute '60' is outside 0-59"),
        ("0 24 * * *", "hour '24' is outside 0-23"),
        ("0 0 0 * *", "day of month '0' is outside 1-31"),
        ("0 0 * 13 *", "month '13' is outside 1-12"),
        ("0 0 * * 7", "day of week '7' is outside 0-6"),  # robfig v3 has no 7 for Sunday
        ("0 0 * * Fri-Mon", "day of week range 'Fri-Mon' starts after it ends"),
        ("*/0 * * * *", "step of minute '*/0' must be positive"),
        ("1-2-3 * * * *", "too many hyphens in minute '1-2-3'"),
        ("*/2/3 * * * *", "too many slashes"),
        ("a * * * *", "minute 'a': 'a' is not a number"),
        ("0 0 * * Monday", "'Monday' is not a number or a name such as 'sun'"),
        ("@every 1h", "unknown descriptor '@every 1h'"),
        ("CRON_TZ=UTC 0 0 * * *", "prefix is not supported (set timeZone instead)"),
    ],
    ids=lambda v: str(v),
)
def test_invalid(spec: str, message: str) -> None:
    with pytest.raises(CronError) as e:
        parse_cron(spec)
    assert message in str(e.value)


def test_argo_cd_takes_no_descriptors() -> None:
    with pytest.raises(CronError, match="Argo CD does not accept descriptors"):
        parse_cron("@daily", descriptors=False)


@pytest.mark.parametrize(
    ("spec", "fires"),
    [("0 0 30 2 *", False), ("0 0 31 4,6 *", False), ("0 0 29 2 *", True), ("0 0 30 2 Mon", True)],
)
def test_ever_fires(spec: str, fires: bool) -> None:
    assert parse_cron(spec).ever_fires() is fires
