"""One graph a run: a hook's selection, the windows check and the deployed plan share it, and
find what each finds reading the repo itself (the slow path)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import git
import pytest

from gitops_gate.api import check
from gitops_gate.checks import CheckContext, run_checks
from gitops_gate.config import Config, load_config
from gitops_gate.deployed.plan import render_reached
from gitops_gate.findings import Finding
from gitops_gate.graph.shared import SharedGraph, shared_for
from gitops_gate.hooks.affected import select
from gitops_gate.hooks.runtime import plan
from gitops_gate.manifests.loader import load
from gitops_gate.windows import check as windows_check
from tests.helpers.data import CORPORA
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import TESTER, write_tree

CHEAP = ("windows", "render")  # the policy check renders: the slow test below
NAMES = sorted(p.name for p in CORPORA.iterdir() if p.is_dir())

# A deny window open all the time: every change reaching production is blocked.
WINDOWED = {
    ".gitops-gate.yaml": (
        "version: 1\nenvironments:\n"
        "  production:\n    paths: [clusters/production]\n    production: true\n"
        "    syncWindows: [{kind: deny, name: freeze, schedule: '* * * * *', duration: 1h}]\n"
        "  staging: {paths: [clusters/staging]}\n"
    ),
    "base/app/kustomization.yaml": "resources: [cm.yaml]\n",
    "base/app/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\n",
    "clusters/production/kustomization.yaml": "resources: [../../base/app]\n",
    "clusters/staging/kustomization.yaml": "resources: [../../base/app]\n",
}


def _committed(tmp_path: Path, corpus: str) -> Path:
    root = Path(shutil.copytree(CORPORA / corpus, tmp_path / corpus))
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add("-A")
    repo.index.commit("corpus", author=TESTER, committer=TESTER)
    return root


def _changes(root: Path) -> list[str]:
    """About five YAML files spread over the repo, each changed on its own."""
    files = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.yaml")
        if ".git" not in p.parts and p.name != ".gitops-gate.yaml"
    )
    return files[:: max(1, len(files) // 5)]


def _shown(found: list[Finding]) -> list[tuple[object, ...]]:
    return [(f.rule, f.severity.label, f.path, f.line, f.message) for f in found]


@pytest.mark.parametrize("corpus", NAMES)
def test_a_hook_handing_its_graph_to_check_finds_the_same(tmp_path: Path, corpus: str) -> None:
    root = _committed(tmp_path, corpus)
    for changed in _changes(root):
        hook = plan("check", root, [changed], "HEAD")
        fast, slow = (
            check(hook.paths, root=root, checks=CHEAP, base_ref="HEAD", changed=[changed], graph=g)
            for g in (hook.graph, None)
        )
        assert _shown(fast.findings) == _shown(slow.findings), changed


@pytest.mark.parametrize("corpus", NAMES)
def test_each_step_finds_with_the_shared_graph_what_it_finds_alone(
    tmp_path: Path, corpus: str
) -> None:
    root = Path(shutil.copytree(CORPORA / corpus, tmp_path / corpus))
    config = load_config(root)
    loaded = load([root], root=root)
    for changed in _changes(root):
        shared = SharedGraph(config)
        assert select(root, [changed], config, graph=shared) == select(root, [changed], config)
        alone = windows_check(config, loaded.resources, changed=[changed])
        with_shared = windows_check(config, loaded.resources, changed=[changed], graph=shared)
        assert _shown(with_shared) == _shown(alone), changed


def test_the_windows_check_blocks_alike_with_and_without_the_runs_graph(tmp_path: Path) -> None:
    root = write_tree(tmp_path, WINDOWED)
    config = load_config(root)
    ctx = CheckContext(
        config=config,
        loaded=load([root], root=root),
        paths=(root,),
        engines={},
        changed=("base/app/cm.yaml",),
    )

    alone = run_checks(ctx, ["windows"])
    shared = run_checks(dataclasses.replace(ctx, graph=SharedGraph(config)), ["windows"])

    assert [f.rule for f in alone] == ["window-blocked"]
    assert _shown(shared) == _shown(alone)


def test_a_graph_made_for_other_environments_is_not_taken(tmp_path: Path) -> None:
    """A hook selects with the work tree's config, checks with the base's: when their
    environments differ (an edit of .gitops-gate.yaml not yet committed), the check reads the
    repo again, and a change reaching only the base's production is still blocked."""
    root = write_tree(tmp_path, WINDOWED)
    config = load_config(root)
    staging_only = dataclasses.replace(config, environments=config.environments[1:])
    given = SharedGraph(staging_only)
    changed = ["clusters/production/kustomization.yaml"]

    assert given.graph().affected_environments(changed) == []
    assert shared_for(config, given) is not given
    found = windows_check(config, load([root], root=root).resources, changed=changed, graph=given)
    assert [(f.rule, f.extra["environment"]) for f in found] == [("window-blocked", "production")]


def test_a_graph_made_for_the_same_environments_is_taken(tmp_path: Path) -> None:
    root = write_tree(tmp_path, WINDOWED)
    given = SharedGraph(load_config(root))

    assert shared_for(load_config(root), given) is given
    assert shared_for(Config(root=root), given) is not given


@pytest.mark.slow
@pytest.mark.parametrize("corpus", [n for n in NAMES if "flux2" in n or "homelab" in n])
def test_the_deployed_plan_renders_alike_with_the_shared_graph(
    tmp_path: Path, corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = Path(shutil.copytree(CORPORA / corpus, tmp_path / corpus))
    config = load_config(root)
    loaded = load([root], root=root)
    for changed in _changes(root):
        shared = SharedGraph(config)
        select(root, [changed], config, graph=shared)
        fast = render_reached(loaded, config, [changed], shared)
        slow = render_reached(loaded, config, [changed])
        assert (fast.skipped, fast.failed) == (slow.skipped, slow.failed), changed
        assert _shown(fast.findings) == _shown(slow.findings), changed
        assert [(d.env.name, d.files, d.rendered.objects) for d in fast.deployed] == [
            (d.env.name, d.files, d.rendered.objects) for d in slow.deployed
        ], changed
