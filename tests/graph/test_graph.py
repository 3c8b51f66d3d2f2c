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
        ["apps/a/", "apps/b/"],  # one cycle for apps/a, b and c, the shortest through a
    ]
    assert [(f["path"], f["line"]) for f in shown["findings"]] == [
        ("clusters/prod/a.yaml", 13),
        ("clusters/prod/f.yaml", 13),
        ("apps/a/kustomization.yaml", 1),
    ]
    assert shown["findings"][2]["message"] == (
        "dependency cycle among 3: apps/a/, apps/b/, apps/c/; for one, apps/a/ -> apps/b/ ->"
        " apps/a/ (break links until none is left)"
    )


def all_depend_on_all(count: int) -> dict[str, str]:
    names = [f"k{i}" for i in range(count)]
    return {
        f"clusters/prod/{n}.yaml": flux_ks(n, "./apps", *(d for d in names if d != n))
        for n in names
    }


ALL_TO_ALL = (
    "dependency cycle among 10: "
    + ", ".join(f"Kustomization flux-system/k{i}" for i in range(10))
    + "; for one, Kustomization flux-system/k0 -> Kustomization flux-system/k1 ->"
    " Kustomization flux-system/k0 (break links until none is left)"
)


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "json"])
def test_ten_kustomizations_all_depending_on_one_another_are_one_cycle(
    tmp_path: Path, cli: Callable[..., object], fmt: str
) -> None:
    # Their simple cycles number in the millions: listing them took minutes and gigabytes.
    write_tree(tmp_path, {**all_depend_on_all(10), "apps/cm.yaml": "kind: ConfigMap\n"})

    run = cli("graph", str(tmp_path), "--format", fmt)

    assert run.code == 1  # type: ignore[attr-defined]
    # The first entry of k0's dependsOn names k1: the link that closes the cycle shown.
    assert run.err == f"gitops-gate: clusters/prod/k0.yaml:13: {ALL_TO_ALL}\n"  # type: ignore[attr-defined]
    assert len(run.out) < 50_000  # the edges: 90 dependsOn, each shown once  # type: ignore[attr-defined]
    if fmt == "json":
        shown = json.loads(run.out)  # type: ignore[attr-defined]
        assert shown["cycles"] == [["Kustomization flux-system/k0", "Kustomization flux-system/k1"]]
        assert [f["message"] for f in shown["findings"]] == [ALL_TO_ALL]


def test_check_of_a_change_to_a_cycle_of_ten_still_judges_its_windows(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": "version: 1\nenvironments:\n  prod:\n    paths: [clusters/prod]\n"
        "    production: true\n    syncWindows:\n"
        '      - {kind: deny, schedule: "0 0 * * *", duration: 24h, name: always}\n',
        **all_depend_on_all(10),
    })  # fmt: skip

    run = cli("check", str(tmp_path / "clusters/prod/k3.yaml"))

    assert run.code == 1, run.out  # type: ignore[attr-defined]
    assert "prod: blocked by window always" in run.out  # type: ignore[attr-defined]
    assert len(run.out) < 5_000  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ({"clusters/prod/a.yaml": flux_ks("a", "./apps", "a")},
         [("clusters/prod/a.yaml", 13, "dependency cycle: Kustomization flux-system/a ->"
           " Kustomization flux-system/a (break one link)")]),
        ({"apps/kustomization.yaml": "resources:\n  - cm.yaml\n  - ./\n",
          "apps/cm.yaml": "kind: ConfigMap\n"},
         [("apps/kustomization.yaml", 3, "dependency cycle: apps/ -> apps/ (break one link)")]),
        ({"clusters/prod/a.yaml": flux_ks("a", "./apps", "b"),
          "clusters/prod/b.yaml": flux_ks("b", "./apps", "a"),
          "clusters/prod/c.yaml": flux_ks("c", "./apps", "d", "a"),
          "clusters/prod/d.yaml": flux_ks("d", "./apps", "c")},
         [("clusters/prod/a.yaml", 13, "dependency cycle: Kustomization flux-system/a ->"
           " Kustomization flux-system/b -> Kustomization flux-system/a (break one link)"),
          ("clusters/prod/c.yaml", 13, "dependency cycle: Kustomization flux-system/c ->"
           " Kustomization flux-system/d -> Kustomization flux-system/c (break one link)")]),
        ({"clusters/prod/a.yaml": flux_ks("a", "./apps", "b"),
          "clusters/prod/b.yaml": flux_ks("b", "./apps"),
          "apps/kustomization.yaml": "resources: [../base]\n",
          "base/kustomization.yaml": "resources: []\n"},
         []),
    ],
    ids=["depends-on-itself", "folder-includes-itself", "two-groups", "no-cycle"],
)  # fmt: skip
def test_one_finding_per_group_of_cycles(
    tmp_path: Path, tree: dict[str, str], expected: list[tuple[str, int, str]]
) -> None:
    g = graph_of(write_tree(tmp_path, tree))

    cycles = [(f.path, f.line, f.message) for f in g.findings if f.rule == "dependency-cycle"]
    assert cycles == expected
    assert len(g.cycles()) == len(expected)


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
