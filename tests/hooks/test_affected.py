"""What a hook checks: changed files plus every environment that includes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.hooks.affected import affected_by_kustomize_references, select
from gitops_gate.hooks.runtime import plan
from tests.conftest import Run
from tests.helpers.data import FLUX_EXAMPLE
from tests.helpers.tree import write_tree

KUSTOMIZATION = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\n"

REPO = {
    ".gitops-gate.yaml": (
        "version: 1\nenvironments:\n"
        "  dev: {paths: [clusters/dev]}\n"
        "  prod: {paths: [clusters/prod], production: true}\n"
    ),
    "base/web/kustomization.yaml": KUSTOMIZATION + "resources: [deployment.yaml]\n",
    "base/web/deployment.yaml": DEPLOYMENT,
    "base/unused/kustomization.yaml": KUSTOMIZATION + "resources: [cm.yaml]\n",
    "base/unused/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    "components/ha/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        "patches: [{path: replicas.yaml}]\n"
    ),
    "components/ha/replicas.yaml": DEPLOYMENT + "spec: {replicas: 3}\n",
    "clusters/dev/kustomization.yaml": (
        KUSTOMIZATION + "resources: [../../base/web]\npatches: [{path: patches/debug.yaml}]\n"
    ),
    "clusters/dev/patches/debug.yaml": DEPLOYMENT,
    "clusters/prod/kustomization.yaml": (
        KUSTOMIZATION + "resources: [../../base/web]\ncomponents: [../../components/ha]\n"
    ),
    "README.md": "# repo\n",
    "policies/extra.rego": "package main\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path, REPO)


@pytest.mark.parametrize(
    ("changed", "environments"),
    [
        (["base/web/deployment.yaml"], ["dev", "prod"]),
        (["base/web/kustomization.yaml"], ["dev", "prod"]),
        (["clusters/dev/patches/debug.yaml"], ["dev"]),
        (["components/ha/replicas.yaml"], ["prod"]),
        (["base/unused/cm.yaml"], []),
        (["README.md"], []),
        (["clusters/dev/new.yaml"], ["dev"]),
    ],
    ids=[
        "base",
        "base-kustomization",
        "overlay-patch",
        "component",
        "unused",
        "docs",
        "new-in-env",
    ],
)
def test_affected_environments(changed: list[str], environments: list[str], repo: Path) -> None:
    config = load_config(repo)
    assert affected_by_kustomize_references(repo, changed, config) == environments
    assert list(select(repo, changed, config).environments) == environments


def test_a_changed_base_rechecks_every_environment_built_on_it(repo: Path) -> None:
    chosen = select(repo, ["base/web/deployment.yaml"], load_config(repo))
    assert chosen.paths == ("clusters/dev", "clusters/prod", "base/web/deployment.yaml")


def test_a_change_inside_an_environment_checks_that_environment(repo: Path) -> None:
    chosen = select(repo, ["clusters/dev/patches/debug.yaml"], load_config(repo))
    assert chosen.paths == ("clusters/dev",)


@pytest.mark.parametrize("changed", [".gitops-gate.yaml", "policies/extra.rego"])
def test_config_and_policies_check_everything(changed: str, repo: Path) -> None:
    chosen = select(repo, [changed, "README.md"], load_config(repo))
    assert chosen.everything
    assert chosen.paths == (".",)


def test_a_deleted_base_file_rechecks_its_environments_but_is_not_passed_on(repo: Path) -> None:
    (repo / "base/web/deployment.yaml").unlink()
    chosen = select(repo, ["base/web/deployment.yaml"], load_config(repo))
    assert chosen.environments == ("dev", "prod")
    assert chosen.deleted == ("base/web/deployment.yaml",)
    assert chosen.paths == ("clusters/dev", "clusters/prod")


def test_secrets_look_only_at_the_changed_files(repo: Path) -> None:
    chosen = plan("secrets", repo, ["base/web/deployment.yaml", "README.md"])
    assert chosen.selection.paths == ("base/web/deployment.yaml", "README.md")
    assert chosen.paths == [repo / "base/web/deployment.yaml", repo / "README.md"]
    assert chosen.config == repo / ".gitops-gate.yaml"


def test_nothing_to_check_is_an_empty_plan(repo: Path) -> None:
    assert plan("check", repo, []).selection.empty


def test_references_outside_the_repo_are_ignored(tmp_path: Path) -> None:
    repo = write_tree(
        tmp_path / "repo",
        {
            ".gitops-gate.yaml": "version: 1\nenvironments:\n  dev: {paths: [clusters/dev]}\n",
            "clusters/dev/kustomization.yaml": KUSTOMIZATION
            + "resources: [../../../elsewhere, https://example.com/x.yaml]\n",
        },
    )
    assert affected_by_kustomize_references(repo, ["x.yaml"], load_config(repo)) == []


@pytest.mark.parametrize(
    ("changed", "environments"),
    [
        ("apps/base/podinfo/release.yaml", ("production", "staging")),
        ("apps/staging/podinfo-values.yaml", ("staging",)),
        # Reached only through Flux Kustomizations' spec.path: the dependency graph's edges.
        ("infrastructure/controllers/cert-manager.yaml", ("production", "staging")),
        ("README.md", ()),
    ],
)
def test_flux_repo_environments_come_from_the_graph(
    changed: str, environments: tuple[str, ...]
) -> None:
    config = load_config(FLUX_EXAMPLE)
    assert select(FLUX_EXAMPLE, [changed], config).environments == environments


def test_a_file_deleted_from_a_flux_repo_rechecks_the_environments_that_named_it(
    tmp_path: Path,
) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(FLUX_EXAMPLE, repo)
    (repo / "apps/base/podinfo/release.yaml").unlink()

    chosen = select(repo, ["apps/base/podinfo/release.yaml"], load_config(repo))

    assert chosen.environments == ("production", "staging")
    assert chosen.deleted == ("apps/base/podinfo/release.yaml",)


TOKEN = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"  # in parts: this file holds no token


def test_the_check_hook_looks_for_secrets_in_the_changed_files_only(
    repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(repo, {"clusters/dev/notes.yaml": f"token: {TOKEN}\n"})
    monkeypatch.chdir(repo)

    other = cli("hooks", "run", "check", "clusters/dev/patches/debug.yaml")
    same = cli("hooks", "run", "check", "clusters/dev/notes.yaml")

    assert "secret-detected" not in other.out
    assert "clusters/dev/notes.yaml:1: error: GitHub Token found (value not shown)" in same.out
    assert TOKEN not in same.out
    assert same.code == 1


def test_the_check_hook_stops_a_change_that_reaches_a_closed_production_environment(
    repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    always_closed = (
        "    syncWindows:\n"
        "      - {kind: deny, name: freeze, schedule: '* * * * *', duration: 24h}\n"
    )
    config = REPO[".gitops-gate.yaml"].replace(
        "  prod: {paths: [clusters/prod], production: true}\n",
        "  prod:\n    paths: [clusters/prod]\n    production: true\n" + always_closed,
    )
    write_tree(repo, {".gitops-gate.yaml": config})
    monkeypatch.chdir(repo)

    blocked = cli("hooks", "run", "check", "components/ha/replicas.yaml")
    elsewhere = cli("hooks", "run", "check", "clusters/dev/patches/debug.yaml")

    assert blocked.code == 1
    assert "error: prod: blocked by window freeze" in blocked.out
    assert "blocked by window" not in elsewhere.out
