"""promote: target gets what source runs, within the target's promotion.requires."""

from __future__ import annotations

import git
import pytest

from gitops_gate.audit.event import AuditEvent
from gitops_gate.promote.flow import WriteOptions, promote, set_image
from gitops_gate.promote.requires import PromotionRefused
from tests.helpers.tree import commit
from tests.promote.conftest import CONFIG, IMAGE, root_of, show

RULES = (
    CONFIG
    + """\
promotion:
  requires:
    production: {releaseTags: true, ranIn: [staging]}
"""
)


def test_promote_copies_the_source_tag_into_the_target_overlay(seeds: git.Repo) -> None:
    events: list[AuditEvent] = []
    out = promote(root_of(seeds), "dev", "staging", options=WriteOptions(), sink=events.append)
    after = show(seeds, out.branch or "", "clusters/staging/kustomization.yaml")
    assert "    newTag: v1.2.0-dev.3  # moved by gitops-gate" in after.splitlines()
    assert out.summary() == f"promote staging from dev: {IMAGE} v1.2.0-rc.1 -> v1.2.0-dev.3"
    assert events[0].details["from"] == "dev"


def test_production_refuses_a_pre_release_tag(seeds: git.Repo) -> None:
    commit(seeds, {".gitops-gate.yaml": RULES}, "production takes releases")
    with pytest.raises(PromotionRefused, match="production takes only release tags") as caught:
        promote(root_of(seeds), "staging", "production", options=WriteOptions(),
                sink=lambda e: None)  # fmt: skip
    assert caught.value.exit_code == 2
    assert [h.name for h in seeds.heads] == ["main"]


def test_production_refuses_a_release_staging_has_not_run(seeds: git.Repo) -> None:
    commit(seeds, {".gitops-gate.yaml": RULES}, "production takes releases")
    with pytest.raises(PromotionRefused, match=r"staging runs v1\.2\.0-rc\.1, not v1\.2\.0"):
        set_image(root_of(seeds), "production", [f"{IMAGE}=v1.2.0"], options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip


def test_a_release_staging_runs_is_promoted_to_production(seeds: git.Repo) -> None:
    commit(seeds, {".gitops-gate.yaml": RULES}, "production takes releases")
    staged = set_image(root_of(seeds), "staging", [f"{IMAGE}=v1.2.0"],
                       options=WriteOptions(branch="release"), sink=lambda e: None)  # fmt: skip
    out = promote(root_of(seeds), "staging", "production",
                  options=WriteOptions(base=staged.commit), sink=lambda e: None)  # fmt: skip
    after = show(seeds, out.branch or "", "clusters/production/kustomization.yaml")
    assert "    newTag: v1.2.0  # moved by gitops-gate" in after.splitlines()


def test_nothing_to_promote_is_a_usage_error(seeds: git.Repo) -> None:
    with pytest.raises(Exception, match="already runs what was asked"):
        promote(root_of(seeds), "dev", "dev", options=WriteOptions(), sink=lambda e: None)
