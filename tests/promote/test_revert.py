"""revert: the revert commit touches only the files the environment is built from."""

from __future__ import annotations

import git
import pytest

from gitops_gate.errors import UsageError
from gitops_gate.promote.flow import WriteOptions
from gitops_gate.promote.revert import revert
from tests.helpers.tree import commit
from tests.promote.conftest import FILES, overlay, root_of, show

DEV, PROD = "clusters/dev/kustomization.yaml", "clusters/production/kustomization.yaml"


def _bump_both(repo: git.Repo) -> str:
    return commit(repo, {DEV: overlay("v1.3.0-dev.1"), PROD: overlay("v1.3.0")}, "bump web")


def test_the_last_change_is_reverted_in_production_alone(seeds: git.Repo) -> None:
    bumped = _bump_both(seeds)
    out = revert(root_of(seeds), "production", None, options=WriteOptions(), sink=lambda e: None)
    assert (out.reverted, out.files) == (bumped, [PROD])
    assert show(seeds, out.branch or "", PROD) == FILES[PROD].rstrip("\n")
    assert show(seeds, out.branch or "", DEV) == overlay("v1.3.0-dev.1").rstrip("\n")
    message = seeds.commit(out.commit).message
    assert message.startswith('Revert "bump web" for production')


def test_a_commit_that_did_not_reach_the_environment_is_refused(seeds: git.Repo) -> None:
    only_dev = commit(seeds, {DEV: overlay("v1.3.0-dev.2")}, "dev only")
    with pytest.raises(UsageError, match=f"commit {only_dev[:12]} changed nothing"):
        revert(root_of(seeds), "production", only_dev, options=WriteOptions(),
               sink=lambda e: None)  # fmt: skip


def test_a_revert_that_conflicts_with_later_changes_is_refused(seeds: git.Repo) -> None:
    bumped = _bump_both(seeds)
    commit(seeds, {PROD: overlay("v1.3.1")}, "hotfix")
    with pytest.raises(UsageError, match="does not revert cleanly"):
        revert(root_of(seeds), "production", bumped, options=WriteOptions(), sink=lambda e: None)
