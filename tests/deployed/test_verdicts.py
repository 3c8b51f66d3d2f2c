"""Remembered policy outcomes give what evaluating again gives, and never outlive a policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deployed.test_evaluate import PINNED, overlay, policy, repo, seen
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree

pytestmark = pytest.mark.slow

CUSTOM = """\
package custom

import rego.v1

deny contains msg if {
	input.kind == "Deployment"
	msg := "Deployments need an owner label"
}
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return repo(tmp_path / "repo", "subprocess", overlay("production", PINNED), overlay("staging"))


def test_a_second_run_finds_what_the_first_found(root: Path) -> None:
    first = seen(policy(root))

    assert seen(policy(root)) == first
    assert ("no-latest-tag", "error", "app/base/deploy.yaml", 14, "environments: staging") in first


def test_a_new_policy_judges_objects_judged_before(root: Path) -> None:
    policy(root)
    write_tree(root, {"policies/custom.rego": CUSTOM})

    found = [f for f in seen(policy(root)) if f[0] == "custom"]

    assert found == [
        ("custom", "error", "app/base/deploy.yaml", 1, "environments: production, staging")
    ]


def test_a_damaged_cache_is_evaluated_again(root: Path, tmp_path: Path) -> None:
    first = seen(policy(root))
    for entry in (tmp_path / "cache").rglob("policy-verdicts/*.json"):
        entry.write_text('{"engine": "builtin", "verdicts": {}}')

    assert seen(policy(root)) == first
