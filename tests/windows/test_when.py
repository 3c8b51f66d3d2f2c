"""`--at` and `--started` read a local time, and say when the clocks make it odd."""

from __future__ import annotations

import pytest

from gitops_gate.windows.when import read_moment
from tests.windows.build import utc


@pytest.mark.parametrize(
    ("text", "moment", "notice"),
    [
        ("2025-03-30T02:30 Europe/Berlin", "2025-03-30 01:30",
         "2025-03-30 02:30 does not exist in Europe/Berlin (the clocks skip it); "
         "read as 2025-03-30 03:30 CEST"),
        ("2025-10-26T02:30 Europe/Berlin", "2025-10-26 00:30",
         "2025-10-26 02:30 happens twice in Europe/Berlin; read as the first, "
         "2025-10-26 02:30 CEST"),
        ("2025-10-26T04:30 Europe/Berlin", "2025-10-26 03:30", None),
        ("2025-03-30T02:30", "2025-03-30 02:30", None),  # UTC has no gap
        ("2025-03-30T02:30+01:00", "2025-03-30 01:30", None),  # an offset says which
    ],
    ids=["gap", "repeated", "plain", "utc", "offset"],
)  # fmt: skip
def test_odd_local_times_are_named(text: str, moment: str, notice: str | None) -> None:
    assert read_moment(text) == (utc(moment), notice)
