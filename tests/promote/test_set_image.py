"""set-image: the tag line of the environment's own overlay changes, and nothing else."""

from __future__ import annotations

import difflib
from pathlib import Path

import git
import pytest

from gitops_gate.audit.event import AuditEvent
from gitops_gate.errors import LocatedError, UsageError
from gitops_gate.promote.flow import WriteOptions, set_image
from gitops_gate.promote.writeback import GateRefused
from tests.helpers.tree import commit
from tests.promote.conftest import DEPLOYMENT, FILES, IMAGE, root_of, show

DIGEST = "sha256:" + "ab" * 32


def _changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]


def test_a_new_tag_changes_one_line_on_a_new_branch_and_leaves_the_work_tree(
    seeds: git.Repo,
) -> None:
    events: list[AuditEvent] = []
    rel = "clusters/dev/kustomization.yaml"
    out = set_image(root_of(seeds), "dev", [f"{IMAGE}=v1.2.0-dev.4"], options=WriteOptions(),
                    sink=events.append)  # fmt: skip
    after = show(seeds, out.branch or "", rel)
    assert _changed_lines(FILES[rel], after) == [
        "-    newTag: v1.2.0-dev.3  # moved by gitops-gate",
        "+    newTag: v1.2.0-dev.4  # moved by gitops-gate",
    ]
    assert out.branch == "gitops-gate/set-image/dev/web-v1.2.0-dev.4"
    assert seeds.head.ref.name == "main"  # the user's branch and files are as they were
    assert (root_of(seeds) / rel).read_text() == FILES[rel]
    assert [(e.action, e.environment, e.revision) for e in events] == [
        ("set-image", "dev", out.commit)
    ]


def test_a_digest_replaces_the_tag(seeds: git.Repo) -> None:
    rel = "clusters/production/kustomization.yaml"
    out = set_image(root_of(seeds), "production", [f"{IMAGE}@{DIGEST}"],
                    options=WriteOptions(), sink=lambda e: None)  # fmt: skip
    assert _changed_lines(FILES[rel], show(seeds, out.branch or "", rel)) == [
        "-    newTag: v1.1.0  # moved by gitops-gate",
        f"+    digest: {DIGEST}  # moved by gitops-gate",
    ]


def test_dry_run_prints_the_patch_and_makes_no_branch(seeds: git.Repo) -> None:
    out = set_image(root_of(seeds), "staging", [f"{IMAGE}=v1.2.0-rc.2"],
                    options=WriteOptions(dry_run=True), sink=lambda e: None)  # fmt: skip
    assert "-    newTag: v1.2.0-rc.1" in out.patch and "+    newTag: v1.2.0-rc.2" in out.patch
    assert (out.branch, out.commit) == (None, None)
    assert [h.name for h in seeds.heads] == ["main"]


def test_an_image_only_a_shared_base_sets_is_refused_naming_the_file_and_the_overlay(
    seeds: git.Repo,
) -> None:
    commit(seeds, {"clusters/staging/kustomization.yaml": "resources:\n  - ../../base/web\n"},
           "staging takes the base's tag")  # fmt: skip
    with pytest.raises(LocatedError) as caught:
        set_image(root_of(seeds), "staging", [f"{IMAGE}=v2"], options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip
    line = caught.value.one_line()
    assert line.startswith("base/web/deployment.yaml:15: image ghcr.io/acme/web for 'staging'")
    assert "shared with dev, production" in line
    assert "clusters/staging/kustomization.yaml" in line
    assert caught.value.exit_code == 2


def test_an_image_the_environment_does_not_use_is_refused(seeds: git.Repo) -> None:
    with pytest.raises(UsageError, match=r"ghcr\.io/acme/api is not used by environment 'dev'"):
        set_image(root_of(seeds), "dev", ["ghcr.io/acme/api=v1"], options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip


def test_a_result_that_fails_the_gate_is_not_written(seeds: git.Repo) -> None:
    worker = DEPLOYMENT.replace(IMAGE, "ghcr.io/acme/worker").replace("name: web", "name: worker")
    listed = "base/web\n  - worker.yaml\n"
    dev = FILES["clusters/dev/kustomization.yaml"].replace("base/web\n", listed)
    files = {"clusters/dev/worker.yaml": worker, "clusters/dev/kustomization.yaml": dev}
    commit(seeds, files, "a worker for dev")
    with pytest.raises(GateRefused, match=r"clusters/dev/worker.yaml:15: .*\[no-latest-tag\]"):
        set_image(root_of(seeds), "dev", ["ghcr.io/acme/worker=latest"], options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip
    assert [h.name for h in seeds.heads] == ["main"]


def test_a_helm_release_value_tag_is_moved_in_place(tmp_path: Path) -> None:
    from tests.helpers.tree import make_repo

    release = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: web}
spec:
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: acme}}}
  values:
    image:
      repository: ghcr.io/acme/web
      tag: "1.10"   # quoted: 1.10 is not 1.1
"""
    files = {
        ".gitops-gate.yaml": "version: 1\nvalidate: {skipKinds: [HelmRelease]}\n"
        "environments:\n  dev: {paths: [clusters/dev]}\n",
        "clusters/dev/web.yaml": release,
    }
    repo = make_repo(tmp_path / "repo", files)
    out = set_image(root_of(repo), "dev", [f"{IMAGE}=1.11"], options=WriteOptions(),
                    sink=lambda e: None)  # fmt: skip
    after = show(repo, out.branch or "", "clusters/dev/web.yaml")
    assert _changed_lines(release, after) == [
        '-      tag: "1.10"   # quoted: 1.10 is not 1.1',
        '+      tag: "1.11"   # quoted: 1.10 is not 1.1',
    ]
