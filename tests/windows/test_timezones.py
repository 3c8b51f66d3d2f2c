"""Windows in a time zone, on both sides of daylight-saving changes, where Argo CD is an hour off.

Europe/Berlin: 2025-03-30 02:00 CET -> 03:00 CEST (01:00 UTC); 2025-10-26 03:00 CEST -> 02:00 CET
(01:00 UTC). America/New_York: 2025-03-09 02:00 EST -> 03:00 EDT (07:00 UTC); 2025-11-02 02:00 EDT
-> 01:00 EST (06:00 UTC).
"""

from __future__ import annotations

import pytest

from gitops_gate.windows import State, SyncWindow, decide
from gitops_gate.windows.drift import dst_findings
from gitops_gate.windows.model import ARGO, Origin, parse_window
from tests.windows.build import utc, window

BERLIN_WEEKEND = window("deny", "0 22 * * Sat", "48h", timeZone="Europe/Berlin")
BERLIN_OFFICE = window("allow", "0 9 * * *", "8h", timeZone="Europe/Berlin")
BERLIN_0230 = window("deny", "30 2 * * *", "30m", timeZone="Europe/Berlin")
NY_OFFICE = window("allow", "0 9 * * Mon-Fri", "8h", timeZone="America/New_York")
NY_WEEKEND = window("deny", "0 18 * * Fri", "63h", timeZone="America/New_York")


@pytest.mark.parametrize(
    ("w", "moment", "state"),
    [
        # Starts Sat 22:00 CEST (20:00 UTC), ends 48h later Mon 20:00 UTC = 21:00 CET.
        (BERLIN_WEEKEND, "2025-10-27 19:59", State.DENIED),
        (BERLIN_WEEKEND, "2025-10-27 20:30", State.ALLOWED),  # Argo CD: still denied
        # Starts Sat 22:00 CET (21:00 UTC), ends Mon 21:00 UTC = 23:00 CEST.
        (BERLIN_WEEKEND, "2025-03-31 20:30", State.DENIED),  # Argo CD: already allowed
        (BERLIN_WEEKEND, "2025-03-31 21:00", State.ALLOWED),
        # 09:00 local is 08:00 UTC in winter, 07:00 UTC in summer.
        (BERLIN_OFFICE, "2025-03-29 07:30", State.DENIED),
        (BERLIN_OFFICE, "2025-03-30 07:30", State.ALLOWED),
        (BERLIN_OFFICE, "2025-10-26 07:30", State.DENIED),
        (BERLIN_OFFICE, "2025-10-26 15:30", State.ALLOWED),  # 16:30 CET
        # 02:30 does not exist on 2025-03-30: read with the winter offset, 01:30 UTC.
        (BERLIN_0230, "2025-03-30 00:45", State.ALLOWED),
        (BERLIN_0230, "2025-03-30 01:45", State.DENIED),
        # 02:30 happens twice on 2025-10-26: the window fires once, at the first.
        (BERLIN_0230, "2025-10-26 00:45", State.DENIED),
        (BERLIN_0230, "2025-10-26 01:45", State.ALLOWED),
        # 09:00 New York is 14:00 UTC before 2025-03-09, 13:00 UTC after.
        (NY_OFFICE, "2025-03-07 13:30", State.DENIED),
        (NY_OFFICE, "2025-03-10 13:30", State.ALLOWED),
        # Fri 18:00 EDT (22:00 UTC) + 63h = Mon 13:00 UTC = 08:00 EST.
        (NY_WEEKEND, "2025-11-03 12:59", State.DENIED),
        (NY_WEEKEND, "2025-11-03 13:30", State.ALLOWED),  # Argo CD: denied until 09:00 EST
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_own_date_offset(w: SyncWindow, moment: str, state: State) -> None:
    assert decide([[w]], utc(moment)).state is state


@pytest.mark.parametrize(
    ("w", "moment", "until"),
    [
        (BERLIN_WEEKEND, "2025-10-26 12:00", "2025-10-27 20:00"),
        (BERLIN_WEEKEND, "2025-03-30 12:00", "2025-03-31 21:00"),
        (NY_WEEKEND, "2025-11-02 12:00", "2025-11-03 13:00"),
        (NY_OFFICE, "2025-03-07 23:00", "2025-03-10 13:00"),
    ],
)
def test_next_change_across_the_change(w: SyncWindow, moment: str, until: str) -> None:
    assert decide([[w]], utc(moment)).until == utc(until)


def _project_window(**fields: str) -> SyncWindow:
    raw = {"kind": "deny", "applications": ["*"], **fields}
    origin = Origin("projects/prod.yaml", 7, "/spec/syncWindows/0")
    from gitops_gate.keys import ResourceKey

    key = ResourceKey("argoproj.io", "AppProject", "argocd", "prod")
    origin = Origin(origin.path, origin.line, origin.pointer, key)
    return parse_window(raw, name="appproject/prod#0", origin=origin, dialect=ARGO)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"schedule": "0 22 * * Sat", "duration": "48h", "timeZone": "Europe/Berlin"},
            "window appproject/prod#0 is open when the clocks change at 2025-10-26 02:00 CET: "
            "Argo CD will end it an hour late",
        ),
        (
            {"schedule": "0 18 * * Sat", "duration": "24h", "timeZone": "America/New_York"},
            "at 2025-11-02 01:00 EST: Argo CD will end it an hour late",
        ),
        ({"schedule": "0 22 * * *", "duration": "1h", "timeZone": "Europe/Berlin"}, None),
        ({"schedule": "0 22 * * Sat", "duration": "48h", "timeZone": "UTC"}, None),
    ],
    ids=["Berlin weekend", "New York weekend", "a short window", "UTC"],
)
def test_warns_where_argo_cd_is_off(fields: dict[str, str], expected: str | None) -> None:
    findings = dst_findings([_project_window(**fields)], utc("2025-10-01 00:00"))
    messages = [f.message for f in findings]
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and expected in messages[0]
        assert (findings[0].rule, findings[0].path, findings[0].line) == (
            "sync-windows",
            "projects/prod.yaml",
            7,
        )


def test_spring_forward_ends_early() -> None:
    w = _project_window(schedule="0 22 * * Sat", duration="48h", timeZone="Europe/Berlin")
    [finding] = dst_findings([w], utc("2025-03-01 00:00"))
    assert "at 2025-03-30 03:00 CEST: Argo CD will end it an hour early" in finding.message


@pytest.mark.parametrize(
    ("fields", "now", "expected"),
    [
        (  # ends exactly at the fall-back change: Argo CD keeps it to 03:00 on the new clock
            {"schedule": "0 1 * * *", "duration": "2h", "timeZone": "Europe/Berlin"},
            "2025-10-20 00:00",
            "window appproject/prod#0 is open when the clocks change at 2025-10-26 02:00 CET: "
            "Argo CD will end it an hour late",
        ),
        (  # starts in the spring-forward gap: Argo CD opens it at the change itself
            {"schedule": "30 2 * * *", "duration": "1h", "timeZone": "Europe/Berlin"},
            "2025-03-20 00:00",
            "window appproject/prod#0: after the clocks change at 2025-03-30 03:00 CEST, Argo CD "
            "holds it open 2025-03-30 03:00 CEST to 2025-03-30 03:30 CEST where gitops-gate "
            "holds it open 2025-03-30 03:30 CEST to 2025-03-30 04:30 CEST",
        ),
        (  # in the repeated hour: Argo CD runs it a second time, on the new clock
            {"schedule": "30 2 * * *", "duration": "30m", "timeZone": "Europe/Berlin"},
            "2025-10-20 00:00",
            "after the clocks change at 2025-10-26 02:00 CET, Argo CD holds it open "
            "2025-10-26 02:30 CET to 2025-10-26 03:00 CET where gitops-gate holds it open never",
        ),
        (  # ends exactly at the spring-forward change: both end it there
            {"schedule": "0 1 * * *", "duration": "1h", "timeZone": "Europe/Berlin"},
            "2025-03-20 00:00",
            None,
        ),
    ],
    ids=["ends at fall-back", "starts in the gap", "repeated hour", "ends at spring-forward"],
)
def test_replays_argo_cd_after_each_change(
    fields: dict[str, str], now: str, expected: str | None
) -> None:
    findings = dst_findings([_project_window(**fields)], utc(now))
    if expected is None:
        assert findings == []
    else:
        [finding] = findings
        assert expected in finding.message
        assert finding.severity.label == "warning"
