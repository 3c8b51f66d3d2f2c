"""Rego a PR writes that the engines refuse to run: one config error at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.cli import main
from gitops_gate.errors import ConfigError
from tests.helpers.toolchain import ensure_tool
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


def _outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "home.rego"
    secret.parent.mkdir()
    secret.write_text('package home\n\npassword := "Hn3kW8pQz5RtY2mXc7vB"\n')
    return secret


@pytest.mark.parametrize("engine", ENGINES)
def test_a_policy_linked_out_of_the_repository_is_refused_unread(
    tmp_path: Path, engine: str
) -> None:
    root = write_tree(tmp_path / "repo", {**pods(1), "policies/ok.rego": RECURSIVE})
    (root / "policies/home.rego").symlink_to(_outside(tmp_path))

    with pytest.raises(ConfigError) as caught:
        _run(root, engine)

    assert caught.value.path == "policies/home.rego"
    assert "leaves the repository" in caught.value.message
    assert "Hn3kW8pQz5RtY2mXc7vB" not in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_policy_folder_linked_out_of_the_repository_is_not_walked(
    tmp_path: Path, engine: str
) -> None:
    # `policies -> /` read every .rego on the machine, conftest's examples among them.
    root = write_tree(tmp_path / "repo", pods(1))
    (root / "policies").symlink_to(_outside(tmp_path).parent)

    with pytest.raises(ConfigError) as caught:
        _run(root, engine)

    assert caught.value.path == "policies"
    assert "leaves the repository" in caught.value.message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_policy_that_is_not_utf8_is_one_error_at_its_line(tmp_path: Path, engine: str) -> None:
    root = write_tree(tmp_path, pods(1))
    (root / "policies").mkdir()
    (root / "policies/bad.rego").write_bytes(b"package team.bad\n\n# caf\xe9\n")

    with pytest.raises(ConfigError) as caught:
        _run(root, engine)

    assert (caught.value.path, caught.value.line) == ("policies/bad.rego", 3)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_policy_test_refuses_a_test_linked_out_of_the_repository(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine == "subprocess":
        ensure_tool("conftest")
    root = write_tree(tmp_path / "repo", {"policies/ok_test.rego": "package ok_test\n"})
    (root / "policies/home_test.rego").symlink_to(_outside(tmp_path))
    monkeypatch.chdir(root)

    code = main(["policy", "test", "--engine", engine])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("gitops-gate: policies/home_test.rego: policy is a link that leaves")
    assert "Hn3kW8pQz5RtY2mXc7vB" not in err
