"""Argo CD's own sync-window tests, case by case, against gitops-gate.

Translated from argoproj/argo-cd `pkg/apis/application/v1alpha1/types_test.go`
(TestSyncWindows_HasWindows, TestSyncWindows_Active, TestSyncWindows_InactiveAllows,
TestAppProjectSpec_AddWindow, TestSyncWindows_Matches, TestSyncWindows_CanSync,
TestSyncWindows_hasDeny, TestSyncWindows_hasAllow, TestSyncWindow_Active,
TestSyncWindow_Validate); each case id names the Argo CD test and case. Argo CD runs them at
`time.Now()`; here each runs on a winter and a summer day, so a case cannot pass by the
season alone. Where Argo CD returns an error (a window it cannot parse) gitops-gate keeps
the window as `broken`, which blocks every sync it matches, as CanSync's error does.
TestAppProjectSpec_DeleteWindow and TestSyncWindow_Update test editing a project through
the API, which gitops-gate does not do; they have no counterpart here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest

from gitops_gate.windows import State, SyncWindow, decide, verdict
from gitops_gate.windows.evaluate import active, inactive_allows
from gitops_gate.windows.match import Target
from gitops_gate.windows.model import ARGO, Origin, WindowError, parse_window

DAYS = (date(2025, 1, 15), date(2025, 7, 15))
UTC_M4 = timezone(timedelta(hours=-4), "UTC-4")


def argo(
    kind: str, schedule: str, duration: str, tz: str = "", *, manual: bool = False, **extra: Any
) -> SyncWindow:
    """A window as an AppProject holds it; selectors as Argo CD's newSyncWindow sets them."""
    raw = {
        "kind": kind,
        "schedule": schedule,
        "duration": duration,
        "timeZone": tz,
        "applications": ["app1"],
        "namespaces": ["public"],
        "manualSync": manual,
        **extra,
    }
    return parse_window(
        raw, name=f"{kind} {schedule}", origin=Origin("p.yaml", 1, "/"), dialect=ARGO
    )


def hour(day: date, h: int, zone: timezone = UTC) -> datetime:
    """Argo CD's timeWithHour: that hour on the test's day, in the given zone."""
    return datetime.combine(day, time(h), tzinfo=zone)


def _ids(cases: Sequence[tuple[Any, ...]], test: str) -> list[str]:
    return [f"{test}/{c[0]}" for c in cases]


def _days(cases: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [(*c, day) for c in cases for day in DAYS]


def _day_ids(cases: Sequence[tuple[Any, ...]], test: str) -> list[str]:
    return [f"{test}/{c[0]}@{day.isoformat()}" for c in cases for day in DAYS]


def test_TestSyncWindows_HasWindows() -> None:
    # True: a project with one window; False: after deleting it no window applies.
    assert decide([[argo("allow", "* * * * *", "1h")]], hour(DAYS[0], 10)).deciding
    empty = decide([[]], hour(DAYS[0], 10))
    assert (empty.state, empty.deciding) == (State.ALLOWED, ())


# (name, allow windows as (schedule, duration, timeZone), hour of now, zone of now, index of
# the one window expected, or None, how many are expected)
ACTIVE = [
    ("MatchFirst", [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")], 11, UTC, 0, 1),
    ("MatchSecond", [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")], 15, UTC, 1, 1),
    ("MatchBoth", [("* 10 * * *", "3h", ""), ("* 11 * * *", "3h", "")], 12, UTC, None, 2),
    ("MatchNone", [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")], 17, UTC, None, 0),
    (
        "MatchFirst-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")],
        11 - 4,
        UTC_M4,
        0,
        1,
    ),
    (
        "MatchSecond-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")],
        15 - 4,
        UTC_M4,
        1,
        1,
    ),
    (
        "MatchNone-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")],
        17 - 4,
        UTC_M4,
        None,
        0,
    ),
    (
        "MatchFirst-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 14 * * *", "2h", "America/New_York")],
        16,
        UTC,
        0,
        1,
    ),
    (
        "MatchSecond-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 14 * * *", "2h", "America/New_York")],
        20,
        UTC,
        1,
        1,
    ),
    (
        "MatchNone-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 14 * * *", "2h", "America/New_York")],
        22,
        UTC,
        None,
        0,
    ),
    (
        "MatchFirst-PositiveTimeZoneSpecified",
        [("* 8 * * *", "2h", "Asia/Dhaka"), ("* 12 * * *", "2h", "Asia/Dhaka")],
        3,
        UTC,
        0,
        1,
    ),
    (
        "MatchNone-InvalidSchedule",
        [("* 10 * * 7", "3h", ""), ("* 11 * * 7", "3h", "")],
        12,
        UTC,
        None,
        0,
    ),
    (
        "MatchNone-InvalidDuration",
        [("* 10 * * *", "3a", ""), ("* 11 * * *", "3a", "")],
        12,
        UTC,
        None,
        0,
    ),
]


@pytest.mark.parametrize(
    ("name", "specs", "h", "zone", "index", "count", "day"),
    _days(ACTIVE),
    ids=_day_ids(ACTIVE, "TestSyncWindows_Active"),
)
def test_TestSyncWindows_Active(
    name: str,
    specs: list[tuple[str, str, str]],
    h: int,
    zone: timezone,
    index: int | None,
    count: int,
    day: date,
) -> None:
    windows = [argo("allow", s, d, tz) for s, d, tz in specs]
    found = active(windows, hour(day, h, zone))
    assert len(found) == count
    if index is not None:
        assert found == [windows[index]]
    if "Invalid" in name:  # Argo CD: an error; here every window is kept as broken
        assert all(w.broken for w in windows)
        assert decide([windows], hour(day, h, zone)).state is State.DENIED


def test_TestSyncWindows_Active_WithTestProject() -> None:
    windows = [argo("allow", "* * * * *", "1h")]
    assert active(windows, hour(DAYS[0], 10) + timedelta(seconds=30)) == windows


INACTIVE_ALLOWS = [
    ("MatchFirst", [("* 10 * * *", "2h", ""), ("* 5 * * *", "2h", "")], 6, UTC, 0, 1),
    ("MatchSecond", [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")], 11, UTC, 1, 1),
    ("MatchBoth", [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")], 17, UTC, None, 2),
    ("MatchNone", [("* 10 * * *", "4h", ""), ("* 11 * * *", "4h", "")], 12, UTC, None, 0),
    (
        "MatchFirst-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 5 * * *", "2h", "")],
        6 - 4,
        UTC_M4,
        0,
        1,
    ),
    (
        "MatchSecond-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")],
        11 - 4,
        UTC_M4,
        1,
        1,
    ),
    (
        "MatchBoth-NonUTC",
        [("* 10 * * *", "2h", ""), ("* 14 * * *", "2h", "")],
        17 - 4,
        UTC_M4,
        None,
        2,
    ),
    (
        "MatchNone-NonUTC",
        [("* 10 * * *", "4h", ""), ("* 11 * * *", "4h", "")],
        12 - 4,
        UTC_M4,
        None,
        0,
    ),
    (
        "MatchFirst-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 5 * * *", "2h", "America/New_York")],
        11,
        UTC,
        0,
        1,
    ),
    (
        "MatchSecond-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 14 * * *", "2h", "America/New_York")],
        16,
        UTC,
        1,
        1,
    ),
    (
        "MatchBoth-TimeZoneSpecified",
        [("* 10 * * *", "2h", "America/New_York"), ("* 14 * * *", "2h", "America/New_York")],
        6,
        UTC,
        None,
        2,
    ),
    (
        "MatchNone-TimeZoneSpecified",
        [("* 10 * * *", "4h", ""), ("* 11 * * *", "4h", "")],
        12,
        UTC,
        None,
        0,
    ),
    (
        "MatchFirst-PositiveTimeZoneSpecified",
        [("* 8 * * *", "2h", "Asia/Dhaka"), ("* 12 * * *", "2h", "Asia/Dhaka")],
        7,
        UTC,
        0,
        1,
    ),
    ("MatchNone-InvalidSchedule", [("* 10 * * 7", "2h", "")], 17, UTC, None, 0),
    ("MatchNone-InvalidDuration", [("* 10 * * *", "2a", "")], 17, UTC, None, 0),
]


@pytest.mark.parametrize(
    ("name", "specs", "h", "zone", "index", "count", "day"),
    _days(INACTIVE_ALLOWS),
    ids=_day_ids(INACTIVE_ALLOWS, "TestSyncWindows_InactiveAllows"),
)
def test_TestSyncWindows_InactiveAllows(
    name: str,
    specs: list[tuple[str, str, str]],
    h: int,
    zone: timezone,
    index: int | None,
    count: int,
    day: date,
) -> None:
    windows = [argo("allow", s, d, tz) for s, d, tz in specs]
    found = inactive_allows(windows, hour(day, h, zone))
    assert len(found) == count
    if index is not None:
        assert found == [windows[index]]
    if "Invalid" in name:
        assert all(w.broken for w in windows)
        assert decide([windows], hour(day, h, zone)).state is State.DENIED


def test_TestSyncWindows_InactiveAllows_WithTestProject() -> None:
    # "0 0 1 1 1" fires on 1 January and on Mondays (either day field), for an hour.
    windows = [argo("allow", "0 0 1 1 1", "1h")]
    assert inactive_allows(windows, hour(DAYS[0], 10)) == windows


# (name, kind, schedule, duration, selectors, Argo CD's AddWindow/Validate says error)
VALIDATE = [
    ("TestAppProjectSpec_AddWindow/MissingKind", "", "* * * * *", "11", {}, True),
    ("TestAppProjectSpec_AddWindow/MissingSchedule", "allow", "", "", {}, True),
    ("TestAppProjectSpec_AddWindow/MissingDuration", "allow", "* * * * *", "", {}, True),
    ("TestAppProjectSpec_AddWindow/BadSchedule", "allow", "* * *", "1h", {}, True),
    ("TestAppProjectSpec_AddWindow/BadDuration", "deny", "* * * * *", "33mm", {}, True),
    ("TestAppProjectSpec_AddWindow/WorkingApplication", "allow", "1 * * * *", "1h", {}, False),
    (
        "TestAppProjectSpec_AddWindow/WorkingNamespace",
        "deny",
        "3 * * * *",
        "1h",
        {"applications": [], "namespaces": [], "clusters": ["cluster"]},
        False,
    ),
    ("TestSyncWindow_Validate/Validates", "allow", "* * * * *", "1h", {}, False),
    ("TestSyncWindow_Validate/IncorrectKind", "wrong", "* * * * *", "1h", {}, True),
    ("TestSyncWindow_Validate/IncorrectSchedule", "allow", "* * *", "1h", {}, True),
    ("TestSyncWindow_Validate/IncorrectDuration", "allow", "* * * * *", "1000days", {}, True),
]


@pytest.mark.parametrize(
    ("kind", "schedule", "duration", "selectors", "error"),
    [c[1:] for c in VALIDATE],
    ids=[c[0] for c in VALIDATE],
)
def test_validate(
    kind: str, schedule: str, duration: str, selectors: dict[str, list[str]], error: bool
) -> None:
    """Argo CD refuses these through its API; in a repository gitops-gate reports them: a
    window whose schedule or duration Argo CD cannot parse is kept as `broken` (it blocks),
    one whose kind is neither allow nor deny is skipped, as Argo CD's CanSync skips it."""
    try:
        window = argo(kind, schedule, duration, **selectors)
    except WindowError as e:
        assert error, e.message
        assert e.field == "kind"
        return
    assert bool(window.broken) is error


APP = Target(
    name="test-app", namespace="default", cluster_server="cluster1", cluster_name="clusterName"
)
MATCHES = [
    ("MatchNamespace", {"namespaces": ["default"]}, True),
    ("MatchCluster", {"clusters": ["cluster1"]}, True),
    ("MatchClusterName", {"clusters": ["clusterName"]}, True),
    ("MatchAppName", {"applications": ["test-app"]}, True),
    ("MatchWildcardAppName", {"applications": ["test-*"]}, True),
    ("NoMatch", {}, False),
]


@pytest.mark.parametrize(
    ("name", "changes", "matches"), MATCHES, ids=_ids(MATCHES, "TestSyncWindows_Matches")
)
def test_TestSyncWindows_Matches(name: str, changes: dict[str, list[str]], matches: bool) -> None:
    window = argo("allow", "* * * * *", "1h", **changes)  # app1 / public, plus the change
    assert window.applies_to(APP) is matches


ACTIVE_NOW = "* * * * *"
INACTIVE_NOW = "0 20 * * *"  # Argo CD: ten hours from now; here now is 10:00:30
# (name, windows as (kind, active, manualSync), manual sync, can sync)
CAN_SYNC: list[tuple[str, list[tuple[str, bool, bool]], bool, bool]] = [
    (
        "will allow manual sync if inactive-deny-window set with manual true",
        [("deny", False, True)],
        True,
        True,
    ),
    (
        "will allow manual sync if inactive-deny-window set with manual false",
        [("deny", False, False)],
        True,
        True,
    ),
    (
        "will deny manual sync if one inactive-allow-windows set with manual false",
        [("allow", False, True), ("allow", False, False)],
        True,
        False,
    ),
    (
        "will allow manual sync if on active-allow-window set with manual true",
        [("allow", True, True)],
        True,
        True,
    ),
    (
        "will allow manual sync if on active-allow-window set with manual false",
        [("allow", True, False)],
        True,
        True,
    ),
    ("will allow auto sync if on active-allow-window", [("allow", True, False)], False, True),
    (
        "will allow manual sync active-allow and inactive-deny",
        [("allow", True, False), ("deny", False, False)],
        True,
        True,
    ),
    (
        "will allow auto sync active-allow and inactive-deny",
        [("allow", True, False), ("deny", False, False)],
        False,
        True,
    ),
    ("will deny manual sync inactive-allow", [("allow", False, False)], True, False),
    ("will deny auto sync inactive-allow", [("allow", False, False)], False, False),
    (
        "will allow manual sync inactive-allow with ManualSync enabled",
        [("allow", False, True)],
        True,
        True,
    ),
    (
        "will deny auto sync inactive-allow with ManualSync enabled",
        [("allow", False, True)],
        False,
        False,
    ),
    (
        "will deny manual sync with inactive-allow and inactive-deny",
        [("allow", False, False), ("deny", False, False)],
        True,
        False,
    ),
    (
        "will deny auto sync with inactive-allow and inactive-deny",
        [("allow", False, False), ("deny", False, False)],
        False,
        False,
    ),
    (
        "will allow auto sync with active-allow and inactive-allow",
        [("allow", True, False), ("allow", False, False)],
        False,
        True,
    ),
    ("will deny manual sync with active-deny", [("deny", True, False)], True, False),
    ("will deny auto sync with active-deny", [("deny", True, False)], False, False),
    (
        "will allow manual sync with active-deny with ManualSync enabled",
        [("deny", True, True)],
        True,
        True,
    ),
    (
        "will deny auto sync with active-deny with ManualSync enabled",
        [("deny", True, True)],
        False,
        False,
    ),
    (
        "will deny manual sync with many active-deny having one with ManualSync disabled",
        [("deny", True, True), ("deny", True, True), ("deny", True, True), ("deny", True, False)],
        True,
        False,
    ),
    (
        "will deny auto sync with many active-deny having one with ManualSync disabled",
        [("deny", True, True), ("deny", True, True), ("deny", True, True), ("deny", True, False)],
        False,
        False,
    ),
    (
        "will deny manual sync with active-deny and active-allow windows with ManualSync disabled",
        [("allow", True, False), ("deny", True, False)],
        True,
        False,
    ),
    (
        "will allow manual sync with active-deny and active-allow windows with ManualSync enabled",
        [("allow", True, False), ("deny", True, True)],
        True,
        True,
    ),
    (
        "will deny auto sync with active-deny and active-allow windows with ManualSync enabled",
        [("allow", True, False), ("deny", True, True)],
        False,
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "specs", "manual", "can_sync", "day"),
    _days(CAN_SYNC),
    ids=_day_ids(CAN_SYNC, "TestSyncWindows_CanSync"),
)
def test_TestSyncWindows_CanSync(
    name: str, specs: list[tuple[str, bool, bool]], manual: bool, can_sync: bool, day: date
) -> None:
    windows = [
        argo(kind, ACTIVE_NOW if on else INACTIVE_NOW, "1h", manual=m) for kind, on, m in specs
    ]
    now = hour(day, 10) + timedelta(seconds=30)
    assert decide([windows], now).can_sync(manual=manual) is can_sync


@pytest.mark.parametrize("manual", [False, True], ids=["auto", "manual"])
def test_TestSyncWindows_CanSync_will_deny_and_return_error_with_invalid_windows(
    manual: bool,
) -> None:
    windows = [
        argo("allow", "* 10 * * 7", "1h"),
        argo("deny", "* 10 * * 7", "1h"),
        argo("allow", "* 10 * * 7", "1h", manual=True),
        argo("deny", "* 10 * * 7", "1h", manual=True),
    ]
    assert all(w.broken for w in windows)
    decision = decide([windows], hour(DAYS[0], 10) + timedelta(seconds=30))
    assert decision.state is State.DENIED
    assert not decision.can_sync(manual=manual)


# hasDeny, hasAllow and manualEnabled read the windows CanSync found open; here the windows
# are all open, and the verdict shows what each helper answered.
HELPERS = [
    ("TestSyncWindows_hasDeny/True", [("allow", False), ("deny", False)], State.DENIED),
    (
        "TestSyncWindows_hasDeny/TrueManualEnabled",
        [("allow", False), ("deny", True)],
        State.MANUAL_ONLY,
    ),
    ("TestSyncWindows_hasDeny/False", [("allow", False)], State.ALLOWED),
    ("TestSyncWindows_hasAllow/NoWindows", [], State.ALLOWED),
    ("TestSyncWindows_hasAllow/True", [("allow", False)], State.ALLOWED),
    ("TestSyncWindows_hasAllow/NoWindows-deny", [("deny", False)], State.DENIED),
]


@pytest.mark.parametrize(("specs", "state"), [c[1:] for c in HELPERS], ids=[c[0] for c in HELPERS])
def test_helpers(specs: list[tuple[str, bool]], state: State) -> None:
    windows = [argo(kind, ACTIVE_NOW, "1h", manual=m) for kind, m in specs]
    result = verdict(windows, windows)
    assert result.state is state
    assert bool(result.deciding) is bool(windows)


ONE_ACTIVE = [
    ("Allow-active", "allow", "* 10 * * *", "2h", 11, UTC, True),
    ("Allow-inactive", "allow", "* 10 * * *", "2h", 13, UTC, False),
    ("Deny-active", "deny", "* 10 * * *", "2h", 11, UTC, True),
    ("Deny-inactive", "deny", "* 10 * * *", "2h", 13, UTC, False),
    ("Allow-active-NonUTC", "allow", "* 10 * * *", "2h", 11 - 4, UTC_M4, True),
    ("Allow-inactive-NonUTC", "allow", "* 10 * * *", "2h", 13 - 4, UTC_M4, False),
    ("Deny-active-NonUTC", "deny", "* 10 * * *", "2h", 11 - 4, UTC_M4, True),
    ("Deny-inactive-NonUTC", "deny", "* 10 * * *", "2h", 13 - 4, UTC_M4, False),
    ("Allow-inactive-InvalidSchedule", "allow", "* 10 * * 7", "2h", 11, UTC, False),
    ("Deny-inactive-InvalidSchedule", "deny", "* 10 * * 7", "2h", 11, UTC, False),
    ("Allow-inactive-InvalidDuration", "allow", "* 10 * * *", "2a", 11, UTC, False),
    ("Deny-inactive-InvalidDuration", "deny", "* 10 * * *", "2a", 11, UTC, False),
]


@pytest.mark.parametrize(
    ("name", "kind", "schedule", "duration", "h", "zone", "is_active", "day"),
    _days(ONE_ACTIVE),
    ids=_day_ids(ONE_ACTIVE, "TestSyncWindow_Active"),
)
def test_TestSyncWindow_Active(
    name: str,
    kind: str,
    schedule: str,
    duration: str,
    h: int,
    zone: timezone,
    is_active: bool,
    day: date,
) -> None:
    window = argo(kind, schedule, duration)
    assert (active([window], hour(day, h, zone)) == [window]) is is_active
    assert bool(window.broken) is ("Invalid" in name)


def test_TestSyncWindow_Active_ActiveWindow() -> None:
    window = argo("allow", "* * * * *", "1h")
    assert active([window], hour(DAYS[1], 10) + timedelta(seconds=30)) == [window]
