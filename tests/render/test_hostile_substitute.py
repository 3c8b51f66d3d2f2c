"""A substitution pattern a PR writes (`${v//*a*a*a*b/x}`) must not backtrack for ever."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
from gitops_gate.render.substitute import substitute
print(substitute("x: ${v/PATTERN/y}", {"v": "a" * LENGTH}).text[:12])
"""


@pytest.mark.parametrize(
    ("pattern", "length"),
    [("/********b", 60), ("/*a*a*a*a*a*b", 60), ("%*a*a*a*a*a*b", 60), ("#a*a*a*a*a*b", 60),
     ("/*b", 1_000_000)],
)  # fmt: skip
def test_a_pattern_of_many_stars_ends(pattern: str, length: int) -> None:
    # In a child: a regex stuck in C cannot be interrupted, only killed at the timeout.
    code = SCRIPT.replace("PATTERN", pattern).replace("LENGTH", str(length))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("x: "), done.stdout
