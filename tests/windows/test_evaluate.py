"""Argo CD's CanSync rules, as a table: windows, a moment, manual or not, the answer."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from gitops_gate.windows import State, SyncWindow, decide
from tests.windows.build import utc, window

# 2025-01-06 is a Monday. Times are UTC unless a window says otherwise.
OFFICE = window("allow", "0 9 * * Mon-Fri", "8h", name="office")
OFFICE_MANUAL = window("allow", "0 9 * * Mon-Fri", "8h", manualSync=True, name="office")
MORNING = window("allow", "0 6 * * *", "2h", name="morning")
MORNING_MANUAL = window("allow", "0 6 * * *", "2h", manualSync=True, name="morning")
LUNCH_DENY = window("deny", "0 12 * * *", "1h", name="lunch")
LUNCH_DENY_MANUAL = window("deny", "0 12 * * *", "1h", manualSync=True, name="lunch")
NOON_DENY_MANUAL = window("deny", "30 11 * * *", "2h", manualSync=True, name="noon")
NIGHT_DENY = window("deny", "0 22 * * *", "4h", name="night")
MONTH_END = window("deny", "0 20 31 * *", "8h", name="month-end")
YEAR_END = window("deny", "0 18 31 12 *", "48h", name="year-end")
HOURLY_DENY = window("deny", "0 * * * *", "1h", name="hourly")
MINUTELY_DENY = window("deny", "* * * * *", "1h", name="minutely")
FIRST_OR_MONDAY = window("deny", "0 0 1 * Mon", "24h", name="first-or-monday")


CASES: list[tuple[str, Sequence[SyncWindow], str, bool, State, bool]] = [
    # (id, windows, moment, manual, expected state, can sync)
    ("no windows", [], "2025-01-06 10:00", False, State.ALLOWED, True),
    ("active allow", [OFFICE], "2025-01-06 10:00", False, State.ALLOWED, True),
    ("inactive allow", [OFFICE], "2025-01-06 18:00", False, State.DENIED, False),
    ("inactive allow, manual", [OFFICE], "2025-01-06 18:00", True, State.DENIED, False),
    (
        "inactive manual allow, auto",
        [OFFICE_MANUAL],
        "2025-01-06 18:00",
        False,
        State.MANUAL_ONLY,
        False,
    ),
    ("inactive manual allow", [OFFICE_MANUAL], "2025-01-06 18:00", True, State.MANUAL_ONLY, True),
    ("active deny", [LUNCH_DENY], "2025-01-06 12:30", True, State.DENIED, False),
    ("inactive deny", [LUNCH_DENY], "2025-01-06 13:00", False, State.ALLOWED, True),
    ("active manual deny", [LUNCH_DENY_MANUAL], "2025-01-06 12:30", True, State.MANUAL_ONLY, True),
    (
        "active manual deny, auto",
        [LUNCH_DENY_MANUAL],
        "2025-01-06 12:30",
        False,
        State.MANUAL_ONLY,
        False,
    ),
    (
        "two denies, one manual",
        [LUNCH_DENY, NOON_DENY_MANUAL],
        "2025-01-06 12:30",
        True,
        State.DENIED,
        False,
    ),
    (
        "two manual denies",
        [LUNCH_DENY_MANUAL, NOON_DENY_MANUAL],
        "2025-01-06 12:30",
        True,
        State.MANUAL_ONLY,
        True,
    ),
    (
        "only the open deny counts",
        [LUNCH_DENY, NOON_DENY_MANUAL],
        "2025-01-06 13:10",
        True,
        State.MANUAL_ONLY,
        True,
    ),
    (
        "allow and deny overlap: deny wins",
        [OFFICE, LUNCH_DENY],
        "2025-01-06 12:30",
        False,
        State.DENIED,
        False,
    ),
    (
        "allow and manual deny overlap",
        [OFFICE, LUNCH_DENY_MANUAL],
        "2025-01-06 12:30",
        True,
        State.MANUAL_ONLY,
        True,
    ),
    (
        "allow open again after deny",
        [OFFICE, LUNCH_DENY],
        "2025-01-06 13:00",
        False,
        State.ALLOWED,
        True,
    ),
    (
        "#10425: one of two allows open",
        [OFFICE, MORNING],
        "2025-01-06 10:00",
        False,
        State.ALLOWED,
        True,
    ),
    (
        "#10425: the other one open",
        [OFFICE, MORNING],
        "2025-01-06 07:00",
        False,
        State.ALLOWED,
        True,
    ),
    ("#10425: on a weekend", [OFFICE, MORNING], "2025-01-04 07:00", False, State.ALLOWED, True),
    (
        "two closed allows, one manual",
        [OFFICE, MORNING_MANUAL],
        "2025-01-06 20:00",
        True,
        State.DENIED,
        False,
    ),
    (
        "two closed manual allows",
        [OFFICE_MANUAL, MORNING_MANUAL],
        "2025-01-06 20:00",
        True,
        State.MANUAL_ONLY,
        True,
    ),
    (
        "closed allow and closed deny",
        [OFFICE, LUNCH_DENY],
        "2025-01-06 20:00",
        False,
        State.DENIED,
        False,
    ),
    ("names: Mon-Fri on a Saturday", [OFFICE], "2025-01-04 10:00", False, State.DENIED, False),
    ("names: Mon-Fri on a Friday", [OFFICE], "2025-01-10 16:59", False, State.ALLOWED, True),
    ("crosses midnight: inside", [NIGHT_DENY], "2025-01-07 01:59", False, State.DENIED, False),
    ("crosses midnight: after", [NIGHT_DENY], "2025-01-07 02:00", False, State.ALLOWED, True),
    # Argo CD: Next(now - d).Before(now) is false at the very start, true a moment later.
    ("closed at its exact start", [NIGHT_DENY], "2025-01-06 22:00", False, State.ALLOWED, True),
    ("open just after", [NIGHT_DENY], "2025-01-06 22:00:00.000001", False, State.DENIED, False),
    # Back to back, each hour's occurrence ends as the next begins: a one-instant gap there.
    ("hourly, on the hour", [HOURLY_DENY], "2025-01-06 10:00", False, State.ALLOWED, True),
    ("hourly, just after", [HOURLY_DENY], "2025-01-06 10:00:01", False, State.DENIED, False),
    ("every minute, on it", [MINUTELY_DENY], "2025-01-06 10:00", False, State.DENIED, False),
    ("crosses a month end", [MONTH_END], "2025-02-01 03:59", False, State.DENIED, False),
    ("no 31st in February", [MONTH_END], "2025-03-01 01:00", False, State.ALLOWED, True),
    ("crosses a year end", [YEAR_END], "2026-01-01 12:00", False, State.DENIED, False),
    (
        "day fields OR-ed: a Monday",
        [FIRST_OR_MONDAY],
        "2025-01-13 10:00",
        False,
        State.DENIED,
        False,
    ),
    (
        "day fields OR-ed: the 1st",
        [FIRST_OR_MONDAY],
        "2025-01-01 10:00",
        False,
        State.DENIED,
        False,
    ),
    (
        "day fields OR-ed: neither",
        [FIRST_OR_MONDAY],
        "2025-01-08 10:00",
        False,
        State.ALLOWED,
        True,
    ),
]


@pytest.mark.parametrize(
    ("windows", "moment", "manual", "state", "can_sync"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_can_sync(
    windows: Sequence[SyncWindow], moment: str, manual: bool, state: State, can_sync: bool
) -> None:
    decision = decide([windows], utc(moment))
    assert (decision.state, decision.can_sync(manual=manual)) == (state, can_sync)


@pytest.mark.parametrize(
    ("windows", "moment", "deciding", "until", "next_state"),
    [
        ([OFFICE], "2025-01-06 10:00", ["office"], "2025-01-06 17:00", State.DENIED),
        ([OFFICE], "2025-01-10 18:00", ["office"], "2025-01-13 09:00", State.ALLOWED),
        ([OFFICE, LUNCH_DENY], "2025-01-06 12:30", ["lunch"], "2025-01-06 13:00", State.ALLOWED),
        ([OFFICE, MORNING], "2025-01-06 07:00", ["morning"], "2025-01-06 08:00", State.DENIED),
        (
            [OFFICE, MORNING],
            "2025-01-06 20:00",
            ["office", "morning"],
            "2025-01-07 06:00",
            State.ALLOWED,
        ),
        ([YEAR_END], "2025-12-31 19:00", ["year-end"], "2026-01-02 18:00", State.ALLOWED),
        ([], "2025-01-06 10:00", [], None, None),
    ],
    ids=[
        "open allow",
        "over the weekend",
        "deny inside allow",
        "earlier allow",
        "two closed allows",
        "year end",
        "none",
    ],
)
def test_deciding_windows_and_next_change(
    windows: Sequence[SyncWindow],
    moment: str,
    deciding: list[str],
    until: str | None,
    next_state: State | None,
) -> None:
    decision = decide([windows], utc(moment))
    assert [w.name for w in decision.deciding] == deciding
    assert decision.until == (utc(until) if until else None)
    assert decision.next_state == next_state


def test_several_applications_take_the_most_restrictive() -> None:
    decision = decide([[OFFICE], [LUNCH_DENY_MANUAL], []], utc("2025-01-06 12:30"))
    assert decision.state is State.MANUAL_ONLY
    assert [w.name for w in decision.deciding] == ["lunch"]


OVERRUN_ALLOW = window("allow", "0 9 * * *", "8h", syncOverrun=True, name="day")
PLAIN_ALLOW = window("allow", "0 9 * * *", "8h", name="day")
OVERRUN_DENY = window("deny", "0 22 * * *", "1h", syncOverrun=True, name="night")
PLAIN_DENY = window("deny", "0 22 * * *", "1h", name="night")
LATE_ALLOW = window("allow", "0 13 * * *", "2h", syncOverrun=True, name="late")
EVENING_ALLOW = window("allow", "0 20 * * *", "3h", name="evening")


@pytest.mark.parametrize(
    ("windows", "started", "moment", "continues"),
    [
        ([OVERRUN_ALLOW], "2025-01-06 16:30", "2025-01-06 17:30", True),
        ([PLAIN_ALLOW], "2025-01-06 16:30", "2025-01-06 17:30", False),
        ([OVERRUN_ALLOW], "2025-01-06 08:00", "2025-01-06 08:30", False),  # began while closed
        ([OVERRUN_DENY], "2025-01-06 21:50", "2025-01-06 22:10", True),
        ([PLAIN_DENY], "2025-01-06 21:50", "2025-01-06 22:10", False),
        ([EVENING_ALLOW, OVERRUN_DENY], "2025-01-06 21:50", "2025-01-06 22:10", True),
        ([OVERRUN_ALLOW, PLAIN_DENY], "2025-01-06 16:50", "2025-01-06 22:10", False),
        ([OVERRUN_ALLOW, LATE_ALLOW], "2025-01-06 14:50", "2025-01-06 17:30", True),
        ([PLAIN_ALLOW, LATE_ALLOW], "2025-01-06 14:50", "2025-01-06 17:30", False),
    ],
    ids=[
        "allow ends",
        "allow ends, no overrun",
        "started closed",
        "deny begins",
        "deny begins, no overrun",
        "deny with overrun over allow without",
        "deny without overrun",
        "all closed allows overrun",
        "one closed allow without overrun",
    ],
)
def test_sync_overrun(
    windows: Sequence[SyncWindow], started: str, moment: str, continues: bool
) -> None:
    decision = decide([windows], utc(moment), started=utc(started))
    assert decision.overrun is continues
