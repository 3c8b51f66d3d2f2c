"""The graph as a user meets it: affected environments, Flux apply order, cycles, exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.graph import RepoGraph, build
from gitops_gate.manifests.loader import load
from tests.diff.fixtures import three_envs
from tests.helpers.data import FLUX_EXAMPLE, standalone
from tests.helpers.tree import write_tree


def flux_ks(name: str, path: str, *deps: str) -> str:
    depends = "".join(f"\n    - name: {d}" for d in deps)
    return f"""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {name}
  namespace: flux-system
spec:
  interval: 10m
  path: {path}
  sourceRef:
    kind: GitRepository
    name: flux-system
  dependsOn:{depends or " []"}
"""


def graph_of(root: Path) -> RepoGraph:
    return build(load([root], root=root), load_config(root))


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["web/base/web.yaml"], ["dev", "production", "staging"]),
        (["web/overlays/staging/replicas.yaml"], ["staging"]),
        (
            ["web/overlays/dev/kustomization.yaml", "web/overlays/production/replicas.yaml"],
            ["dev", "production"],
        ),
        (["README.md"], []),
        (["web/base/unreferenced.yaml"], []),
        ([".gitops-gate.yaml"], ["dev", "production", "staging"]),
    ],
    ids=["base", "one-overlay", "two-overlays", "readme", "unreferenced-file", "config"],
)
def test_affected_environments(tmp_path: Path, changed: list[str], expected: list[str]) -> None:
    g = graph_of(write_tree(tmp_path, three_envs()))

    assert g.affected_environments(changed) == expected


def test_flux_paths_and_added_files_in_plain_folders(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "clusters/staging/apps.yaml": flux_ks("apps", "./apps/staging"),
        "clusters/production/apps.yaml": flux_ks("apps", "./apps/production"),
        "apps/staging/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        "apps/production/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    })  # fmt: skip
    g = graph_of(tmp_path)

    assert g.affected_environments(["apps/staging/new.yaml"]) == ["staging"]
    assert g.affected_environments(["clusters/production/apps.yaml"]) == ["production"]


def test_corpus_changes_reach_the_right_cluster() -> None:
    g = graph_of(FLUX_EXAMPLE)

    assert g.affected_environments(["apps/staging/podinfo-values.yaml"]) == ["staging"]
    assert g.affected_environments(["infrastructure/configs/gateway.yaml"]) == [
        "production",
        "staging",
    ]
    assert "clusters/production/artifacts.yaml" not in g.inputs("staging")


def test_flux_order_follows_depends_on(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "clusters/prod/apps.yaml": flux_ks("apps", "./apps", "infra-configs"),
        "clusters/prod/configs.yaml": flux_ks("infra-configs", "./configs", "infra-controllers"),
        "clusters/prod/controllers.yaml": flux_ks("infra-controllers", "./controllers"),
    })  # fmt: skip

    assert graph_of(tmp_path).flux_order() == [
        "flux-system/infra-controllers (clusters/prod/controllers.yaml)",
        "flux-system/infra-configs (clusters/prod/configs.yaml)",
        "flux-system/apps (clusters/prod/apps.yaml)",
    ]


def test_a_cycle_is_an_error_naming_it(tmp_path: Path, cli: Callable[..., object]) -> None:
    write_tree(tmp_path, {
        "clusters/prod/a.yaml": flux_ks("a", "./a", "b"),
        "clusters/prod/b.yaml": flux_ks("b", "./b", "a"),
    })  # fmt: skip

    run = cli("graph", str(tmp_path))

    assert run.code == 1  # type: ignore[attr-defined]
    assert (
        "dependency cycle: Kustomization flux-system/a -> Kustomization flux-system/b"
        " -> Kustomization flux-system/a (break one link)" in run.err  # type: ignore[attr-defined]
    )


def test_cycles_and_order_around_them(tmp_path: Path, cli: Callable[..., object]) -> None:
    write_tree(tmp_path, {
        "clusters/prod/a.yaml": flux_ks("a", "./apps/a", "b"),
        "clusters/prod/b.yaml": flux_ks("b", "./apps/b", "c"),
        "clusters/prod/c.yaml": flux_ks("c", "./apps/c", "a"),
        "clusters/prod/d.yaml": flux_ks("d", "./apps/c", "a", "e"),
        "clusters/prod/e.yaml": flux_ks("e", "./apps/c"),
        "clusters/prod/f.yaml": flux_ks("f", "./apps/c", "g"),
        "clusters/prod/g.yaml": flux_ks("g", "./apps/c", "f", "e"),
        "apps/a/kustomization.yaml": "resources: [../b]\n",
        "apps/b/kustomization.yaml": "resources: [../a, ../c]\n",
        "apps/c/kustomization.yaml": "resources: [../a, cm.yaml]\n",
        "apps/c/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
    })  # fmt: skip

    run = cli("graph", str(tmp_path), "--format", "json")
    shown = json.loads(run.out)  # type: ignore[attr-defined]

    assert run.code == 1  # type: ignore[attr-defined]
    # What depends on a cycle still comes in order; the cycle's members come last.
    assert shown["fluxOrder"] == [
        f"flux-system/{n} (clusters/prod/{n}.yaml)" for n in ("e", "d", "a", "b", "c", "f", "g")
    ]
    assert shown["cycles"] == [
        [
            "Kustomization flux-system/a",
            "Kustomization flux-system/c",
            "Kustomization flux-system/b",
        ],
        ["Kustomization flux-system/f", "Kustomization flux-system/g"],
        ["apps/a/", "apps/b/"],
        ["apps/a/", "apps/c/", "apps/b/"],
    ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("mermaid", '{{"env staging"}}'),
        ("dot", "digraph gitops {"),
        ("json", '"fluxOrder"'),
    ],
)
def test_graph_command_formats(
    cli: Callable[..., object], fmt: str, expected: str, tmp_path: Path
) -> None:
    run = cli("graph", str(standalone(FLUX_EXAMPLE, tmp_path)), "--env", "staging", "--format", fmt)

    assert run.code == 0  # type: ignore[attr-defined]
    assert expected in run.out  # type: ignore[attr-defined]
    assert "production" not in run.out  # type: ignore[attr-defined]
