"""Go's `time.ParseDuration` (`1h30m`, `90m`, `1.5h`), which Argo CD uses for window durations."""

from __future__ import annotations

import re
from datetime import timedelta
from fractions import Fraction

_UNITS_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,  # U+00B5 MICRO SIGN
    "μs": 1_000,  # U+03BC GREEK SMALL LETTER MU
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_COMPONENT = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]+)")
_MAX_NS = 2**63 - 1  # Go's Duration is an int64 of nanoseconds


class DurationError(ValueError):
    """Text that Go's time.ParseDuration would refuse."""


def parse_duration(text: str) -> timedelta:
    """Parse a Go duration; sub-microsecond parts are dropped, as timedelta cannot hold them."""
    s = text
    sign = -1 if s.startswith("-") else 1
    s = s[1:] if s[:1] in "+-" else s
    if s == "0":
        return timedelta(0)
    if not s:
        raise DurationError(f"invalid duration {text!r}")
    total = Fraction(0)
    pos = 0
    while pos < len(s):
        m = _COMPONENT.match(s, pos)
        if m is None and re.fullmatch(r"[0-9.]+", s[pos:]):
            raise DurationError(f"missing unit in duration {text!r} (for example 1h or 30m)")
        if m is None or m.group(1) in ("", "."):
            raise DurationError(f"invalid duration {text!r} (use a number and a unit: 1h30m)")
        unit = _UNITS_NS.get(m.group(2))
        if unit is None:
            raise DurationError(
                f"unknown unit {m.group(2)!r} in duration {text!r} (use h, m, s, ms, us or ns)"
            )
        total += Fraction(m.group(1).rstrip(".") or "0") * unit
        pos = m.end()
    if total > _MAX_NS:
        raise DurationError(f"duration {text!r} is too long")
    return sign * timedelta(microseconds=int(total // 1000))


def format_duration(value: timedelta) -> str:
    """`1h30m`-style text for a duration, whole minutes and up; `0m` for zero."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{days}d" if days else "",
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
    ]
    return "".join(parts) or "0m"
