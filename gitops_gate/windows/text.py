"""The terminal lines of `gitops-gate windows`: state, until when, and the deciding windows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from gitops_gate.report.escape import markup, terminal
from gitops_gate.windows.evaluate import State
from gitops_gate.windows.when import format_delta, format_moment

if TYPE_CHECKING:
    from gitops_gate.windows.report import Row

_STYLE = {State.ALLOWED: "green", State.MANUAL_ONLY: "yellow", State.DENIED: "bold red"}


def subject_lines(rows: Sequence[Row], at: datetime) -> Iterator[str]:
    """Rich-markup lines: one per subject, then one per window that decided it."""
    width = max((len(terminal(r.name)) for r in rows), default=0)
    for row in rows:
        d = row.decision
        state = f"[{_STYLE[d.state]}]{d.state.value:11}[/]"
        name = markup(row.name) + " " * (width - len(terminal(row.name)))
        yield f"{name}  {state}  {markup(_change(row, at))}".rstrip()
        if d.started_allowed is not None:
            yield "    " + _overrun(row)
        if not d.deciding:
            yield "    no window is open" if d.until else "    no sync window applies"
        for w in d.deciding:
            manual = ", manual sync allowed" if w.manual_sync else ""
            where = f"{w.origin.path}:{w.origin.line}" if w.origin.line else w.origin.path
            about = f" - {w.description}" if w.description else ""
            yield "    " + markup(f"{w.name}: {w.label}{manual}{about}  ({where})")


def _change(row: Row, at: datetime) -> str:
    d = row.decision
    if d.until is None or d.next_state is None:
        return "no change within a year" if d.deciding else ""
    when = format_moment(d.until, row.zone)
    return f"until {when} (in {format_delta(d.until - at)}), then {d.next_state.value}"


def _overrun(row: Row) -> str:
    """Argo CD's syncOverrun question for a sync that started at --started."""
    d = row.decision
    if not d.started_allowed:
        return "a sync started then: was not allowed to start"
    if d.can_sync():
        return "a sync started then: runs on (syncing is allowed now)"
    if d.overrun:
        return "a sync started then: runs on (every window now blocking it has syncOverrun)"
    return "a sync started then: is stopped (a window now blocking it has no syncOverrun)"
