"""The week SVG: bars sit on their local hour on every day, across both clock changes."""

from __future__ import annotations

import re
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from gitops_gate.windows.svg import render_svg
from gitops_gate.windows.timeline import lane, week_start
from tests.windows.build import utc, window

BERLIN = ZoneInfo("Europe/Berlin")
DENIED_BAR = re.compile(r'<rect x="([\d.]+)" y="34" width="([\d.]+)" [^>]*fill="#cf222e">')
DAY_LINE = re.compile(r'<line x1="([\d.]+)" y1="14" [^>]*stroke="#999"/>')


def draw(monday: str) -> str:
    start = week_start(utc(monday), BERLIN)
    deny = window("deny", "0 6 * * *", "2h", timeZone="Europe/Berlin")
    return render_svg([lane("prod", [[deny]], start, 7)], start, BERLIN, now=utc("2000-01-01"))


@pytest.mark.parametrize(
    "monday",
    ["2025-03-24T12:00Z", "2025-10-20T12:00Z", "2025-06-02T12:00Z"],
    ids=["clocks-forward-23h-sunday", "clocks-back-25h-sunday", "no-change"],
)
def test_a_daily_window_is_drawn_at_the_same_place_on_every_day(monday: str) -> None:
    svg = draw(monday)
    days = [float(x) for x in DAY_LINE.findall(svg)]
    bars = [(float(x), float(w)) for x, w in DENIED_BAR.findall(svg)]

    assert [round(b - a, 2) for a, b in pairwise(days)] == [144.0] * 7
    assert bars == [(days[d] + 6 * 6, 2 * 6) for d in range(7)]


def test_the_now_line_sits_at_its_local_hour_after_the_clocks_go_forward() -> None:
    start = week_start(utc("2025-03-24T12:00Z"), BERLIN)
    now = utc("2025-03-30T10:00Z")  # Sunday 12:00 in Berlin, 11 hours into a 23 h day
    svg = render_svg([], start, BERLIN, now=now)

    assert '<line x1="1096.0" y1="28"' in svg  # 160 px labels + (6 days + 12 h) * 6 px
