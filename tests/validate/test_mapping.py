"""Schema violations name the offending value, never quote it, whichever engine wrote them."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_gate.validate.mapping import without_value

SECRET = "Vb7" + "xQ2mLk9PzR4tWn8s"


@pytest.mark.parametrize(
    ("message", "instance", "expected"),
    [
        (f'"{SECRET}" is longer than 5 characters', SECRET, "value is longer than 5 characters"),
        (f'"{SECRET}" is not one of "a" or "b"', SECRET, 'value is not one of "a" or "b"'),
        (
            f"'{SECRET}' does not match pattern '^[a-z]+$'",
            SECRET,
            "value does not match pattern '^[a-z]+$'",
        ),
        (
            f'{{"k":"{SECRET}"}} has more than 0 properties',
            {"k": SECRET},
            "the value has more than 0 properties",
        ),
        (
            f'{{"b":1,"k":"{SECRET}"}} is not valid',
            {"k": SECRET, "b": 1},
            '{"b":1,"k":"<value>"} is not valid',
        ),
        ("98765432 is greater than the maximum of 3", 98765432, None),
    ],
    ids=[
        "builtin-maxlength",
        "builtin-enum",
        "kubeconform-pattern",
        "object",
        "reordered",
        "number",
    ],
)
def test_without_value(message: str, instance: Any, expected: str | None) -> None:
    assert without_value(message, instance) == (message if expected is None else expected)
