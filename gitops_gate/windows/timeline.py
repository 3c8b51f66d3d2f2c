"""A week of window states per lane (environment or Application), as terminal text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from gitops_gate.report.escape import markup, terminal
from gitops_gate.windows.evaluate import Segment, State, segments
from gitops_gate.windows.model import SyncWindow

CELLS_PER_DAY = 48  # half an hour each
_GLYPH = {State.ALLOWED: "█", State.MANUAL_ONLY: "▒", State.DENIED: "░"}
_STYLE = {State.ALLOWED: "green", State.MANUAL_ONLY: "yellow", State.DENIED: "red"}
LEGEND = "  ".join(f"[{_STYLE[s]}]{_GLYPH[s]}[/] {s.value}" for s in State)


@dataclass(frozen=True, slots=True)
class Lane:
    """One row of the timeline: its name and the state over the whole span."""

    name: str
    segments: tuple[Segment, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "segments": [
                {
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                    "state": s.verdict.state.value,
                    "windows": [w.name for w in s.verdict.deciding],
                }
                for s in self.segments
            ],
        }


def week_start(at: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of `at`'s day in the display zone, where the week begins."""
    local = at.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def lane(name: str, groups: Sequence[Sequence[SyncWindow]], start: datetime, days: int) -> Lane:
    return Lane(name, tuple(segments(groups, start, start + timedelta(days=days))))


def render(lanes: Sequence[Lane], start: datetime, zone: ZoneInfo, days: int = 7) -> list[str]:
    """Rich-markup lines: per lane, one line per day of half-hour cells, worst state wins."""
    width = max((len(terminal(ln.name)) for ln in lanes), default=0)
    ruler = "".join(f"{h:02d}".ljust(12) for h in range(0, 24, 6))
    lines = [f"{'':{width}}  {'':10}  {ruler.rstrip()}  ({zone.key})"]
    for ln in lanes:
        for d in range(days):
            day = (start.astimezone(zone) + timedelta(days=d)).date()
            # The name is repo text in Rich markup: escaped, then padded by its shown width.
            label = (
                markup(ln.name) + " " * (width - len(terminal(ln.name))) if d == 0 else " " * width
            )
            lines.append(f"{label}  {day:%a %m-%d}  {_cells(ln.segments, day, zone)}")
    lines.append(LEGEND)
    return lines


def _cells(segs: Sequence[Segment], day: date, zone: ZoneInfo) -> str:
    midnight = datetime.combine(day, time(0))
    states = []
    for k in range(CELLS_PER_DAY):
        a = (midnight + timedelta(minutes=30 * k)).replace(tzinfo=zone)
        b = (midnight + timedelta(minutes=30 * (k + 1))).replace(tzinfo=zone)
        states.append(_worst_between(segs, a, max(a, b)))
    runs = ((state, len(list(run))) for state, run in groupby(states))
    return "".join(f"[{_STYLE[s]}]{_GLYPH[s] * n}[/]" if s else " " * n for s, n in runs)


def _worst_between(segs: Sequence[Segment], a: datetime, b: datetime) -> State | None:
    found = [s.verdict.state for s in segs if s.start <= a < s.end or a <= s.start < b]
    return max(found, key=lambda s: s.rank) if found else None
