"""The policy test cases, read from policies/*_cases_test.rego with the built-in engine."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

POLICIES = Path(__file__).resolve().parents[2] / "policies"


@functools.cache
def all_cases() -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """(defaults, [(package, case)]) from every cases file."""
    import regopy  # type: ignore[import-untyped]

    rego = regopy.Interpreter()
    files = sorted(POLICIES.rglob("*cases_test.rego"))
    for f in files:
        rego.add_module(str(f), f.read_text())
    defaults = rego.query("x := data.gitops_gate.case_defaults").results[0].bindings["x"]
    tables = rego.query("x := data.gitops_gate.cases").results[0].bindings["x"]
    cases = [(pkg, case) for pkg, table in sorted(tables.items()) for case in table["cases"]]
    return defaults, cases
