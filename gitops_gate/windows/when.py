"""Moments as people read and write them: `--at` parsing and `2025-01-06 06:00 CET` output."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gitops_gate.errors import UsageError


def parse_moment(text: str | None, *, now: datetime | None = None) -> datetime:
    """`now`, ISO 8601 (`2025-03-30T02:30`, `...Z`, `...+02:00`), optionally `ZONE` after a space.

    A time without offset or zone is UTC.
    """
    if text is None or text.strip().lower() == "now":
        return (now or datetime.now(UTC)).astimezone(UTC)
    stamp, _, zone_name = text.strip().partition(" ")
    zone = _zone(zone_name.strip()) if zone_name.strip() else UTC
    try:
        moment = datetime.fromisoformat(stamp.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"cannot read time {text!r}", hint="use ISO 8601, e.g. 2025-03-30T02:30+02:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    elif zone_name.strip():
        raise UsageError(f"time {text!r} has both an offset and a zone", hint="give one of them")
    return moment.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Berlin"
        ) from None


def parse_zone(name: str | None) -> ZoneInfo | None:
    return _zone(name) if name else None


def format_moment(moment: datetime, zone: ZoneInfo) -> str:
    """`2025-10-27 21:00 CET`: the wall clock of the zone, with its abbreviation."""
    local = moment.astimezone(zone)
    seconds = f":{local.second:02d}" if local.second else ""
    return local.strftime("%Y-%m-%d %H:%M") + seconds + " " + (local.tzname() or zone.key)


def format_delta(delta: timedelta) -> str:
    """`2d 3h`, `45m`, `now`: roughly how long until something."""
    minutes = int(delta.total_seconds() // 60)
    if minutes <= 0:
        return "now"
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else ""]
    parts.append(f"{minutes}m" if minutes and not days else "")
    return " ".join(p for p in parts if p)
