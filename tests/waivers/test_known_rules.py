"""A waiver may name any rule a check reports: the list of them keeps up with the code."""

from __future__ import annotations

import re
from pathlib import Path

import gitops_gate
from gitops_gate.waivers import CHECK_RULES

# A rule id given where a finding is made: Finding("id", ...), rule="id", SOME_RULE = "id".
_MADE = re.compile(
    r'(?:Finding\(\s*"|\brule\s*=\s*"|\b[A-Z_]*RULE[A-Z_]*\s*=\s*")([a-z][a-z0-9]*(?:-[a-z0-9]+)+)"'
)


def test_every_rule_a_check_makes_can_be_waived() -> None:
    package = Path(gitops_gate.__file__).parent
    made = {
        rule
        for path in package.rglob("*.py")
        if "waivers" not in path.relative_to(package).parts
        for rule in _MADE.findall(path.read_text(encoding="utf-8"))
    }
    assert made >= {"secret-detected", "sync-windows", "policy-error"}  # the scan sees them
    assert made - CHECK_RULES == set()
