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


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "call",
    [
        'sprintf("%v", [opa.runtime().env])',  # every variable of the CI job, tokens too
        'sprintf("%v", [http.send({"method": "GET", "url": "http://127.0.0.1:9/"})])',
        'sprintf("%v", [net.lookup_ip_addr("example.invalid")])',
        'sprintf("%v", [parse_config_file("/etc/hostname")])',  # conftest reads any file
        'sprintf("%v", [parse_combined_config_files(["/etc/hostname"])])',
    ],
    ids=["runtime-env", "http-send", "dns", "read-file", "read-files"],
)
def test_a_rule_reaching_out_of_the_repository_is_refused_before_it_runs(
    tmp_path: Path, engine: str, call: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTED_TOKEN", "Zq8vN3xLp2Rt7WmKa1b2")
    policy = f"package team.out\n\nimport rego.v1\n\ndeny contains msg if {{\n\tmsg := {call}\n}}\n"
    write_tree(tmp_path, {**pods(1), "policies/out.rego": policy})

    with pytest.raises(ConfigError) as caught:
        _run(tmp_path, engine)

    assert (caught.value.path, caught.value.line) == ("policies/out.rego", 6)
    assert "reads outside the repository" in caught.value.message
    assert "Zq8vN3xLp2Rt7WmKa1b2" not in str(caught.value)
