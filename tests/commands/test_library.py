"""`gitops_gate.check`, the library entry every command runs through, as a program calls it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import gitops_gate
from gitops_gate.errors import UsageError
from tests.helpers.tree import write_tree

# A key in AWS's documentation, not a real one.
LEAK = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  KEY: AKIAIOSFODNN7EXAMPLE\n"
)
DEPLOY = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec:\n      containers:\n"
    "        - {name: web, image: nginx, extra: 1, ports: [{containerPort: x}]}\n"
)
REPO = {
    ".git/HEAD": "",
    "apps/web.yaml": DEPLOY,
    "apps/cm.yaml": LEAK,
    "apps/bad.yaml": "a: [\n",
    "values.yaml": "replicas: 2\n",
}


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_importing_the_package_loads_nothing_else() -> None:
    heavy = ("yaml", "jsonschema", "rich", "git", "pathspec", "detect_secrets", "networkx")
    code = (
        "import sys, gitops_gate\n"
        f"heavy = {heavy!r}\n"
        "print(sorted(m for m in sys.modules if m.startswith('gitops_gate.')"
        " or m.split('.')[0] in heavy))\n"
        "from gitops_gate import check, CheckResult\n"
        "print(check.__module__, CheckResult.__module__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.splitlines() == ["['gitops_gate._version']", "gitops_gate.api gitops_gate.api"]


@pytest.mark.parametrize("checks", [("secrets",), ("schema", "policy", "secrets", "windows")])
def test_a_library_call_never_forks_its_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checks: tuple[str, ...]
) -> None:
    root = write_tree(tmp_path / "repo", REPO)

    def no_fork() -> int:
        raise AssertionError("the library forked its caller's process")

    monkeypatch.setattr(os, "fork", no_fork)
    result = gitops_gate.check([root], checks=checks, engines={"schema": "builtin"})

    found = [(f.rule, f.path, f.line) for f in result.findings if f.check == "secrets"]
    assert found == [("secret-detected", "apps/cm.yaml", 5)]
    # The CLI's choice: the same scan in forked children (where this process may fork).
    if hasattr(os, "fork"):
        with pytest.raises(AssertionError, match="forked"):
            gitops_gate.check([root], checks=("secrets",), fork_secrets=True)


@pytest.mark.parametrize(
    "options",
    [{}, {"strict": True}, {"skip_kinds": ["Deployment"]}, {"reject_kinds": ["ConfigMap"]}],
    ids=["defaults", "strict", "skip", "reject"],
)
@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_the_schema_check_alone_finds_what_it_finds_beside_the_others(
    tmp_path: Path, options: dict[str, Any], named: bool
) -> None:
    """Alone (as `validate` runs it) the schema check skips work; the findings stay the same."""
    root = write_tree(tmp_path / "repo", REPO)
    paths = [root / "apps", root / "values.yaml"] if named else [root]
    common: dict[str, Any] = {
        "engines": {"schema": "builtin"},
        "schema_options": {**options, "cache": False},
        "named_are_manifests": named,
    }

    alone = gitops_gate.check(paths, checks=("schema",), **common)
    beside = gitops_gate.check(paths, checks=("schema", "windows"), **common)

    def seen(result: gitops_gate.CheckResult) -> list[tuple[str, str | None, int | None, str]]:
        kept = (f for f in result.findings if f.check in ("load", "schema"))
        return sorted((f.rule, f.path, f.line, f.message) for f in kept)

    assert seen(alone) == seen(beside)
    assert alone.failed and beside.failed  # apps/bad.yaml
    assert alone.resources == beside.resources == 2
    named_yaml = [x[:3] for x in seen(alone) if x[0] == "missing-kind"]
    assert named_yaml == ([("missing-kind", "values.yaml", 1)] if named else [])


def test_an_unknown_check_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown check 'lint'"):
        gitops_gate.check([tmp_path], checks=("schema", "lint"))
