"""Builders for window tests: a window from a few fields, a UTC moment from text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gitops_gate.windows.model import CONFIG, Origin, SyncWindow, parse_window


def window(kind: str, schedule: str, duration: str, **fields: Any) -> SyncWindow:
    """A window as written in .gitops-gate.yaml: `manualSync=True`, `timeZone="..."`, etc."""
    raw = {"kind": kind, "schedule": schedule, "duration": duration, **fields}
    name = fields.pop("name", f"{kind} {schedule}")
    return parse_window(raw, name=name, origin=Origin("test.yaml", 1, "/w"), dialect=CONFIG)


def utc(text: str) -> datetime:
    """`2025-01-06 09:30` as a UTC moment, or an ISO time with its own offset."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
