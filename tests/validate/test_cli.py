"""`gitops-gate validate` as a user runs it: exit codes, formats, the cache, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate import cli
from tests.conftest import Run
from tests.helpers.data import FIXTURES
from tests.helpers.tree import write_tree

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{containerPort: "eighty"}]
"""


@pytest.fixture(autouse=True)
def _command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if "validate" not in cli._COMMAND_MODULES:
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, "validate"))
    # Results cache in this test's folder; the tools cache stays where `tools install` put it.
    # Modules that bind cache_root by name are imported first: one first imported under the
    # patch would keep the lambda for the rest of the session (tools would look in tmp_path).
    import gitops_gate.config.load
    import gitops_gate.render.cache
    import gitops_gate.tools.resolve
    import gitops_gate.validate.crd_cache
    import gitops_gate.validate.store  # noqa: F401

    monkeypatch.setattr("gitops_gate.cachedir.cache_root", lambda: tmp_path / "cache")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "repo", {".git/HEAD": "", "apps/web.yaml": DEPLOY, "values.yaml": "a: 1\n"}
    )


def test_an_invalid_field_fails_with_its_line(cli: Callable[..., Run], repo: Path) -> None:
    run = cli("validate", "--engine", "builtin", str(repo))
    assert run.code == 1
    assert (
        "apps/web.yaml:12: error: Deployment.apps web spec.template.spec.containers[0]" in run.out
    )
    assert "values.yaml" not in run.out


def test_a_file_named_explicitly_is_read_as_manifests(cli: Callable[..., Run]) -> None:
    """kubeconform errors on missing_kind.yaml (`key: value`); walking a repo we would call it
    other YAML (values.yaml), but a file named on the command line is meant as a manifest."""
    run = cli("validate", "--engine", "builtin", str(FIXTURES / "missing_kind.yaml"))
    assert run.code == 1
    assert "missing 'kind' key" in run.out


def test_second_run_takes_unchanged_documents_from_the_cache(
    cli: Callable[..., Run], repo: Path
) -> None:
    first = cli("validate", "--engine", "builtin", "--format", "json", str(repo))
    second = cli("validate", "--engine", "builtin", "--format", "json", str(repo))
    assert json.loads(first.out)["summary"]["cached"] == 0
    assert json.loads(second.out)["summary"]["cached"] == 1
    assert json.loads(second.out)["findings"] == json.loads(first.out)["findings"]
    text = cli("validate", "--engine", "builtin", str(repo))
    assert "1 unchanged document taken from the cache" in text.out


@pytest.mark.parametrize("fmt", ["junit", "sarif", "github"])
def test_every_format_carries_the_finding(cli: Callable[..., Run], repo: Path, fmt: str) -> None:
    run = cli("validate", "--engine", "builtin", "--format", fmt, str(repo))
    assert run.code == 1
    assert "apps/web.yaml" in run.out


def test_a_schema_dir_that_does_not_exist_is_one_line_and_exit_2(
    cli: Callable[..., Run], repo: Path
) -> None:
    run = cli("validate", "--schema-location", str(repo / "nope"), str(repo))
    assert run.code == 2
    assert run.err.count("\n") == 1
    assert "does not exist" in run.err


def test_bad_yaml_is_a_finding_not_a_crash(cli: Callable[..., Run], tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {".git/HEAD": "", "bad.yaml": "a: [1, 2\n"})
    run = cli("validate", "--engine", "builtin", str(root))
    assert run.code == 1
    assert "bad.yaml" in run.out


@pytest.mark.slow
def test_subprocess_engine_gives_the_same_exit_code(cli: Callable[..., Run], repo: Path) -> None:
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    run = cli("validate", "--engine", "subprocess", str(repo))
    assert run.code == 1
    assert "with kubeconform" in run.out
    assert "apps/web.yaml:12:" in run.out
