"""A sync window as Argo CD defines it, plus our holiday-freeze range, parsed from raw YAML."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gitops_gate.keys import ResourceKey
from gitops_gate.windows.cron import CronError, CronSchedule, CronUnsupported, parse_cron
from gitops_gate.windows.duration import DurationError, format_duration, parse_duration
from gitops_gate.windows.match import Target, selects

_SELECTORS = ("applications", "namespaces", "clusters")


class Kind(enum.StrEnum):
    ALLOW = "allow"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a window was written: file, line of the entry, and its JSON pointer."""

    path: str
    line: int | None
    pointer: str
    resource: ResourceKey | None = None


@dataclass(frozen=True, slots=True, eq=False)
class SyncWindow:
    """One window. `from_`/`until` bound it to a date range (a holiday freeze)."""

    name: str
    kind: Kind
    schedule: CronSchedule
    duration: timedelta
    zone: ZoneInfo
    origin: Origin
    manual_sync: bool = False
    sync_overrun: bool = False
    applications: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    and_operator: bool = False
    description: str = ""
    from_: datetime | None = None
    until: datetime | None = None
    whole_environment: bool = field(default=False)
    # Why Argo CD cannot parse the window; while it exists Argo CD refuses every sync of the
    # Applications it matches, manual ones too (CanSync returns an error).
    broken: str = ""
    # What the gate warns about a window it keeps: Argo CD reads it, but not as written.
    notes: tuple[str, ...] = ()

    @property
    def always_open(self) -> bool:
        """A schedule that never fires: robfig returns the zero time, which Argo CD reads as
        an occurrence that began long ago and never ends."""
        return not self.broken and not self.schedule.ever_fires()

    def applies_to(self, target: Target) -> bool:
        if self.whole_environment:
            return True
        return selects(
            target,
            applications=self.applications,
            namespaces=self.namespaces,
            clusters=self.clusters,
            and_operator=self.and_operator,
        )

    @property
    def label(self) -> str:
        """`deny "0 22 * * *" for 1h (Europe/Amsterdam)`, plus the date range if any."""
        if self.broken:
            return f"{self.kind} Argo CD cannot parse, so no sync passes ({self.broken})"
        text = f'{self.kind} "{self.schedule.text}" for {format_duration(self.duration)}'
        text += f" ({self.zone.key})"
        if self.from_ or self.until:
            start = self.from_.date().isoformat() if self.from_ else "…"
            end = (self.until - timedelta(microseconds=1)).date().isoformat() if self.until else "…"
            text += f" from {start} until {end}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "broken": self.broken or None,
            "kind": self.kind.value,
            "schedule": self.schedule.text,
            "duration": format_duration(self.duration),
            "timeZone": self.zone.key,
            "manualSync": self.manual_sync,
            "syncOverrun": self.sync_overrun,
            "description": self.description or None,
            "from": self.from_.isoformat() if self.from_ else None,
            "until": self.until.isoformat() if self.until else None,
            "path": self.origin.path,
            "line": self.origin.line,
        }


class WindowError(ValueError):
    """One wrong field of one window: `field` names it, for a file:line."""

    def __init__(
        self, field: str, message: str, *, hint: str | None = None, argo_reads: bool = False
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.hint = hint
        self.argo_reads = argo_reads  # Argo CD can parse it; gitops-gate cannot evaluate it


@dataclass(frozen=True, slots=True)
class Dialect:
    """What the source accepts: AppProjects are held to Argo CD's rules, our config to ours."""

    argo: bool


ARGO = Dialect(argo=True)
CONFIG = Dialect(argo=False)


def parse_window(raw: Any, *, name: str, origin: Origin, dialect: Dialect) -> SyncWindow:
    """A SyncWindow from one raw `syncWindows` entry; WindowError names the bad field.

    AppProject windows are read as Argo CD reads them: one whose schedule or duration it
    cannot parse comes back `broken` (it blocks), an unknown time zone is UTC, a duration
    of zero or less never opens; each such window carries a note saying so. A window Argo CD
    ignores (it selects nothing, or its kind is neither allow nor deny) raises WindowError.
    """
    if not isinstance(raw, Mapping):
        raise WindowError("", "a sync window must be a mapping")
    selectors = {key: _strings(raw, key) for key in _SELECTORS}
    if dialect.argo and not any(selectors.values()):
        raise WindowError(
            "",
            "the window selects nothing",
            hint="Argo CD requires applications, namespaces or clusters",
        )
    kind = raw.get("kind")
    notes: list[str] = []
    try:
        schedule = _schedule(raw.get("schedule"), dialect)
        duration = _duration(raw.get("duration"), dialect)
    except WindowError as e:
        if not dialect.argo or e.argo_reads:
            raise
        return _broken(raw, name, origin, selectors, e)
    if kind not in ("allow", "deny"):
        raise WindowError("kind", f"kind must be allow or deny, not {kind!r}")
    zone = _zone(raw.get("timeZone"), dialect, notes)
    from_, until = _date_range(raw, zone, dialect, Kind(kind), notes)
    if dialect.argo:
        notes += _argo_notes(schedule, duration)
    return SyncWindow(
        name=str(raw.get("name") or name),
        kind=Kind(kind),
        schedule=schedule,
        duration=duration,
        zone=zone,
        origin=origin,
        applications=selectors["applications"],
        namespaces=selectors["namespaces"],
        clusters=selectors["clusters"],
        description=str(raw.get("description") or ""),
        from_=from_,
        until=until,
        whole_environment=not dialect.argo and not any(selectors.values()),
        manual_sync=_bool(raw, "manualSync"),
        sync_overrun=_bool(raw, "syncOverrun"),
        and_operator=_bool(raw, "andOperator"),
        notes=tuple(notes),
    )


def _broken(
    raw: Mapping[str, Any],
    name: str,
    origin: Origin,
    selectors: dict[str, tuple[str, ...]],
    error: WindowError,
) -> SyncWindow:
    """A window Argo CD cannot parse: kept, never open, and blocking what it matches."""
    text, kind = raw.get("schedule"), raw.get("kind")
    return SyncWindow(
        name=str(raw.get("name") or name),
        kind=Kind(kind) if kind in ("allow", "deny") else Kind.DENY,
        schedule=_NEVER if not isinstance(text, str) else replace(_NEVER, text=text),
        duration=timedelta(0),
        zone=ZoneInfo("UTC"),
        origin=origin,
        applications=selectors["applications"],
        namespaces=selectors["namespaces"],
        clusters=selectors["clusters"],
        and_operator=raw.get("andOperator") is True,
        broken=error.message,
    )


def _argo_notes(schedule: CronSchedule, duration: timedelta) -> list[str]:
    notes = []
    if duration <= timedelta(0):
        notes.append(
            f"duration {format_duration(duration)} is not positive: Argo CD keeps the window "
            "but it never opens (an allow window then blocks every sync it matches)"
        )
    if not schedule.ever_fires():
        notes.append(
            f"schedule {schedule.text!r} never fires: Argo CD treats the window as open all "
            "the time"
        )
    return notes


_NEVER = CronSchedule(
    "", frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), False, False
)


def _schedule(value: Any, dialect: Dialect) -> CronSchedule:
    if not isinstance(value, str):
        raise WindowError("schedule", "schedule must be a cron expression such as '0 22 * * *'")
    try:
        schedule = parse_cron(value, descriptors=not dialect.argo)
    except CronUnsupported as e:
        raise WindowError("schedule", f"schedule {value!r}: {e}", argo_reads=True) from e
    except CronError as e:
        raise WindowError("schedule", f"invalid schedule {value!r}: {e}") from e
    if not dialect.argo and not schedule.ever_fires():
        raise WindowError("schedule", f"schedule {value!r} never fires")
    return schedule


def _duration(value: Any, dialect: Dialect) -> timedelta:
    if not isinstance(value, str):
        raise WindowError("duration", "duration must be a string such as 1h30m")
    try:
        duration = parse_duration(value)
    except DurationError as e:
        raise WindowError("duration", str(e)) from e
    if not dialect.argo and duration <= timedelta(0):
        raise WindowError("duration", f"duration {value!r} must be positive")
    return duration


def _zone(value: Any, dialect: Dialect, notes: list[str]) -> ZoneInfo:
    if value in (None, ""):
        return ZoneInfo("UTC")
    try:
        if not isinstance(value, str) or value.startswith(("/", ".")) or "\\" in value:
            raise ValueError(value)
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as e:
        if dialect.argo:  # Argo CD logs a warning and uses UTC
            notes.append(f"unknown time zone {value!r}: Argo CD evaluates the window in UTC")
            return ZoneInfo("UTC")
        raise WindowError(
            "timeZone",
            f"unknown time zone {value!r}",
            hint="use an IANA name such as Europe/Berlin",
        ) from e


def _date_range(
    raw: Mapping[str, Any], zone: ZoneInfo, dialect: Dialect, kind: Kind, notes: list[str]
) -> tuple[datetime | None, datetime | None]:
    present = [key for key in ("from", "until") if raw.get(key) is not None]
    if not present:
        return None, None
    if dialect.argo:  # not in Argo CD's schema: it applies the window every day
        notes.append(f"Argo CD ignores {present[0]!r}: the window applies on every date")
        return None, None
    if kind is not Kind.DENY:
        raise WindowError(present[0], "from/until apply to deny windows (holiday freezes) only")
    start = _moment(raw.get("from"), zone, "from", end_of_day=False)
    end = _moment(raw.get("until"), zone, "until", end_of_day=True)
    if start and end and start >= end:
        raise WindowError("until", "until is before from")
    return start, end


def _moment(value: Any, zone: ZoneInfo, key: str, *, end_of_day: bool) -> datetime | None:
    """A date (the whole day, so `until` is inclusive) or a local date and time."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text) + timedelta(days=1 if end_of_day else 0)
            local = datetime.combine(day, time(0))
        else:
            local = datetime.fromisoformat(text)
    except ValueError as e:
        raise WindowError(key, f"{key} {text!r} is not a date (YYYY-MM-DD[THH:MM])") from e
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=zone).astimezone(UTC)


def _strings(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WindowError(key, f"{key} must be a list of globs")
    return tuple(value)


def _bool(raw: Mapping[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise WindowError(key, f"{key} must be true or false, not {value!r}")
    return value
