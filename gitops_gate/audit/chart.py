"""A bar chart of changes and failures per week, as inline SVG (no script, no font files)."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

WIDTH, HEIGHT, PAD = 720, 200, 30
CHANGE, FAILURE = "#3b6fb6", "#c0392b"


def weekly_svg(weeks: dict[date, list[int]], title: str) -> str:
    """Two bars a week (changes, failures), every week from the first to the last shown."""
    if not weeks:
        return ""
    days = _every_week(min(weeks), max(weeks))
    top = max(1, *(max(weeks.get(d, [0, 0])) for d in days))
    slot = (WIDTH - 2 * PAD) / len(days)
    bars = []
    for i, day in enumerate(days):
        changes, failures = weeks.get(day, [0, 0])
        x = PAD + i * slot
        bars.append(_bar(x, slot / 2.5, changes, top, CHANGE, f"week of {day}: {changes} changes"))
        bars.append(
            _bar(x + slot / 2.5, slot / 2.5, failures, top, FAILURE, f"{failures} failures")
        )
        if len(days) <= 12 or i % (len(days) // 12 + 1) == 0:
            bars.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="10">{day:%m-%d}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<text x="{PAD}" y="14" font-size="11">max {top} a week;'
        f' <tspan fill="{CHANGE}">changes</tspan>, <tspan fill="{FAILURE}">failures</tspan></text>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}"'
        ' stroke="#888"/>' + "".join(bars) + "</svg>"
    )


def _bar(x: float, width: float, value: int, top: int, colour: str, label: str) -> str:
    height = (HEIGHT - 2 * PAD - 10) * value / top
    y = HEIGHT - PAD - height
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"'
        f' fill="{colour}"><title>{escape(label)}</title></rect>'
    )


def _every_week(first: date, last: date) -> list[date]:
    count = (last - first).days // 7 + 1
    return [first + timedelta(weeks=n) for n in range(min(count, 260))]  # five years at most
