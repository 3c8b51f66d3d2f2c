"""Moments as people read and write them: `--at` parsing and `2025-01-06 06:00 CET` output."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gitops_gate.errors import UsageError


def parse_moment(text: str | None, *, now: datetime | None = None) -> datetime:
    """`now`, ISO 8601 (`2025-03-30T02:30`, `...Z`, `...+02:00`), optionally `ZONE` after a space.

    A time without offset or zone is UTC.
    """
    return read_moment(text, now=now)[0]


def read_moment(text: str | None, *, now: datetime | None = None) -> tuple[datetime, str | None]:
    """parse_moment, and a notice when the local time given with a zone does not exist (the
    clocks skip it: it is read with the offset before the change) or happens twice (the
    first is taken)."""
    if text is None or text.strip().lower() == "now":
        return (now or datetime.now(UTC)).astimezone(UTC), None
    stamp, zone_name = text.strip(), ""
    moment = _iso(stamp)
    if moment is None and " " in stamp:
        stamp, _, zone_name = stamp.rpartition(" ")
        moment = _iso(stamp.strip())
    if moment is None:
        raise UsageError(
            f"cannot read time {text!r}", hint="use ISO 8601, e.g. 2025-03-30T02:30+02:00"
        )
    if zone_name and moment.tzinfo is not None:
        raise UsageError(f"time {text!r} has both an offset and a zone", hint="give one of them")
    notice = None
    if moment.tzinfo is None:
        zone = _zone(zone_name) if zone_name else ZoneInfo("UTC")
        notice = _local_notice(moment, zone)
        moment = moment.replace(tzinfo=zone)
    if not _EARLIEST <= moment < _LATEST:
        raise UsageError(
            f"time {text!r} is out of range",
            hint="give a time between 1970 and 9000: windows look years ahead from it",
        )
    return moment.astimezone(UTC), notice


def _local_notice(local: datetime, zone: ZoneInfo) -> str | None:
    first = local.replace(tzinfo=zone)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        return (
            f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks skip it); "
            f"read as {format_moment(first.astimezone(UTC), zone)}"
        )
    if first.utcoffset() != local.replace(tzinfo=zone, fold=1).utcoffset():
        return (
            f"{local:%Y-%m-%d %H:%M} happens twice in {zone.key}; read as the first, "
            f"{format_moment(first, zone)}"
        )
    return None


# Windows look for the next opening up to years ahead; near datetime.max that overflows.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None


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
