"""Durations read as Go's time.ParseDuration reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gitops_gate.windows.duration import DurationError, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("90m", timedelta(minutes=90)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        (".5h", timedelta(minutes=30)),
        ("1.h", timedelta(hours=1)),
        ("2h45m30s", timedelta(hours=2, minutes=45, seconds=30)),
        ("300ms", timedelta(milliseconds=300)),
        ("1500us", timedelta(microseconds=1500)),
        ("1500µs", timedelta(microseconds=1500)),
        ("0", timedelta(0)),
        ("+1h", timedelta(hours=1)),
        ("-1h", timedelta(hours=-1)),
        ("720h", timedelta(days=30)),
    ],
)
def test_valid(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "invalid duration ''"),
        ("1", "missing unit in duration '1'"),
        ("1d", "unknown unit 'd'"),
        ("1h 30m", "unknown unit 'h '"),
        (".h", "invalid duration '.h'"),
        ("h", "invalid duration 'h'"),
        ("3000000h", "too long"),
    ],
)
def test_invalid(text: str, message: str) -> None:
    with pytest.raises(DurationError) as e:
        parse_duration(text)
    assert message in str(e.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(hours=1, minutes=30), "1h30m"),
        (timedelta(days=2, hours=1), "2d1h"),
        (timedelta(0), "0m"),
    ],
)
def test_format(value: timedelta, text: str) -> None:
    assert format_duration(value) == text
