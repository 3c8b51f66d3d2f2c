"""Rego a PR writes that the engines refuse to run: one config error at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.errors import ConfigError
from tests.helpers.tree import write_tree
from tests.policy.test_bounds import ENGINES, pods
from tests.policy.test_engines import _run

# OPA refuses recursion when it compiles; rego-cpp finds it only when a query runs, and says so
# in a form its Python binding cannot read (the built-in engine's worker crashed: exit 3).
RECURSIVE = """\
package team.loop

import rego.v1

f(x) := y if {
\ty := f(x)
}

deny contains msg if {
\tmsg := f(input.kind)
}
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_recursive_rule_is_a_config_error_naming_its_file(tmp_path: Path, engine: str) -> None:
    write_tree(tmp_path, {**pods(2), "policies/loop.rego": RECURSIVE})

    with pytest.raises(ConfigError) as caught:
        _run(tmp_path, engine)

    assert caught.value.path == "policies/loop.rego"
    assert caught.value.line in (5, 9)  # conftest names f, rego-cpp the rule that calls it
    assert "recursi" in caught.value.message.lower()
    assert caught.value.exit_code == 2
