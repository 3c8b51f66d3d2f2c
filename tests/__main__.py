"""README's test command (`python -m tests`): lint, format, types, layers, pytest + coverage.

Every step runs even when an earlier one fails, so one CI run shows every problem; the exit code
is the first failing step's. Extra arguments go to pytest (`python -m tests -k windows -x`).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Branch coverage of the package may not fall under this floor: 90.65% measured on 2026-12-05,
# less a point of slack for runs where a tool-dependent branch is not taken.
COVERAGE_FLOOR = 89

STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ruff check", ("ruff", "check", ".")),
    ("ruff format", ("ruff", "format", "--check", ".")),
    ("mypy", ("mypy",)),
    ("import layers", ("lint-imports",)),
)


def _pytest(extra: Sequence[str]) -> tuple[str, ...]:
    return (
        sys.executable,
        "-m",
        "pytest",
        "--cov=gitops_gate",
        "--cov-branch",
        "--cov-report=term:skip-covered",
        f"--cov-fail-under={COVERAGE_FLOOR}",
        *extra,
    )


def main(argv: Sequence[str]) -> int:
    failed: list[str] = []
    for name, argv_ in STEPS:
        print(f"== {name}: {' '.join(argv_)}", flush=True)
        if subprocess.run(argv_, cwd=ROOT, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"== failed before the tests: {', '.join(failed)}", flush=True)
    print("== pytest", flush=True)
    code = subprocess.run(_pytest(argv), cwd=ROOT, check=False).returncode
    if failed:
        print(f"== failed: {', '.join(failed)}", flush=True)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
