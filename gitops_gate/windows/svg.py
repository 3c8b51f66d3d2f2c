"""The week timeline as a standalone SVG: one lane per environment, a tooltip per stretch.

The x axis is local wall-clock time: every day is 24 hours wide and a moment sits at its local
hour on its day, as the day lines and the tooltips read. On the day the clocks go forward the
skipped hour holds no moment (a stretch across it is drawn through it); on the day they go back
the repeated hour is drawn once, both passes on the same pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from gitops_gate.report.escape import xml_text as escape
from gitops_gate.windows.evaluate import Segment, State
from gitops_gate.windows.timeline import Lane
from gitops_gate.windows.when import format_moment

_FILL = {State.ALLOWED: "#2da44e", State.MANUAL_ONLY: "#d4a72c", State.DENIED: "#cf222e"}
_LABEL_W, _HOUR_W, _LANE_H, _GAP, _TOP = 160, 6, 26, 10, 34


def render_svg(
    lanes: Sequence[Lane], start: datetime, zone: ZoneInfo, *, days: int = 7, now: datetime
) -> str:
    """A self-contained SVG document (no scripts, no external fonts)."""
    width = _LABEL_W + days * 24 * _HOUR_W + 10
    height = _TOP + len(lanes) * (_LANE_H + _GAP) + 30
    end = start + timedelta(days=days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f"<title>Sync windows {escape(format_moment(start, zone))} to "
        f"{escape(format_moment(end, zone))}</title>",
    ]
    parts += _day_ticks(start, zone, days, height)
    for i, lane in enumerate(lanes):
        y = _TOP + i * (_LANE_H + _GAP)
        parts.append(f'<text x="4" y="{y + 17}">{escape(lane.name)}</text>')
        parts += [_rect(seg, start, end, y, zone) for seg in lane.segments]
    if start <= now < end:
        x = _x(now, start, zone)
        parts.append(f'<line x1="{x}" y1="{_TOP - 6}" x2="{x}" y2="{height - 30}" stroke="#000"/>')
    parts.append(_legend(height - 10))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _x(at: datetime, start: datetime, zone: ZoneInfo) -> float:
    # Naive local times subtract as wall clocks: hours that pass would shift every later bar
    # by the clock change, off the day lines (24 h apart) and off the hour its tooltip names.
    wall = at.astimezone(zone).replace(tzinfo=None) - start.astimezone(zone).replace(tzinfo=None)
    return round(_LABEL_W + wall / timedelta(hours=1) * _HOUR_W, 2)


def _rect(seg: Segment, start: datetime, end: datetime, y: int, zone: ZoneInfo) -> str:
    a, b = max(seg.start, start), min(seg.end, end)
    state = seg.verdict.state
    names = ", ".join(w.name for w in seg.verdict.deciding) or "no window"
    tip = f"{state.value} {format_moment(a, zone)} to {format_moment(b, zone)} ({names})"
    # A stretch inside the repeated hour may end at an earlier wall time than it starts.
    x = _x(a, start, zone)
    w = max(0.0, round(_x(b, start, zone) - x, 2))
    return (
        f'<rect x="{x}" y="{y}" width="{w}" height="{_LANE_H}" fill="{_FILL[state]}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _day_ticks(start: datetime, zone: ZoneInfo, days: int, height: int) -> list[str]:
    out = []
    for d in range(days + 1):
        local = (start.astimezone(zone) + timedelta(days=d)).replace(tzinfo=None)
        x = _x(local.replace(tzinfo=zone), start, zone)
        out.append(f'<line x1="{x}" y1="14" x2="{x}" y2="{height - 30}" stroke="#999"/>')
        if d < days:
            out.append(f'<text x={quoteattr(str(x + 4))} y="24">{local:%a %d %b}</text>')
    return out


def _legend(y: int) -> str:
    items = []
    for i, state in enumerate(State):
        x = _LABEL_W + i * 130
        items.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{_FILL[state]}"/>')
        items.append(f'<text x="{x + 16}" y="{y}">{state.value}</text>')
    return "".join(items)
