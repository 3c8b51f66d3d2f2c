"""What a kustomization deploys is checked, even where the walk would not look."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree

LATEST = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
    "spec: {containers: [{name: a, image: 'nginx:latest'}]}\n"
)


@pytest.mark.parametrize(
    ("entry", "extra"),
    [
        ("ignored.yaml", {"app/.gitignore": "ignored.yaml\n"}),
        ("node_modules/pkg/pod.yaml", {}),
        (".github/pod.yaml", {}),
        ("skaffold.yaml", {}),
        ("copier.yml", {}),
        ("chart/templates/pod.yaml", {"app/chart/Chart.yaml": "name: chart\n"}),
        ("excluded.yaml", {".gitops-gate.yaml": "exclude: [app/excluded.yaml]\n"}),
        ("pod.txt", {}),
        ("vendor", {"app/vendor/.gitignore": "*\n", "app/vendor/kustomization.yaml":
                    "resources: [pod.yaml]\n"}),
    ],
    ids=["gitignored", "node-modules", "github", "skaffold", "copier", "helm-templates",
         "excluded", "not-yaml-suffix", "ignored-folder-with-kustomization"],
)  # fmt: skip
def test_a_file_a_kustomization_deploys_is_checked_whatever_the_walk_skips(
    tmp_path: Path, cli: Callable[..., object], entry: str, extra: dict[str, str]
) -> None:
    target = f"app/{entry}/pod.yaml" if entry == "vendor" else f"app/{entry}"
    write_tree(tmp_path, {
        "app/kustomization.yaml": f"resources:\n- {entry}\n",
        target: LATEST,
        **extra,
    })  # fmt: skip

    run = cli("check", str(tmp_path))

    assert run.code == 1, run.out
    assert f'{target}:4: error: Pod web container "a" image "nginx:latest"' in run.out


def test_without_the_kustomization_entry_the_walk_still_skips_them(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {
        "app/kustomization.yaml": "resources: []\n",
        "app/node_modules/pod.yaml": LATEST,
        "app/skaffold.yaml": LATEST,
    })  # fmt: skip

    run = cli("check", str(tmp_path))

    assert run.code == 0, run.out


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("../../outside.yaml", "../outside.yaml is deployed by this kustomization but was not"
         " checked: it is outside the repository"),
        ("big.yaml", "app/big.yaml is deployed by this kustomization but was not checked: file"
         " is 0.0 MiB, over the 0.0 MiB limit"),
        ("link.yaml", "app/link.yaml is deployed by this kustomization but was not checked: it"
         " is a link that leaves the repository"),
    ],
    ids=["outside-the-repo", "over-the-size-limit", "link-out"],
)  # fmt: skip
def test_a_deployed_file_that_cannot_be_checked_is_a_finding_at_its_entry(
    tmp_path: Path, cli: Callable[..., object], entry: str, why: str
) -> None:
    repo = write_tree(tmp_path / "repo", {
        ".gitops-gate.yaml": "limits:\n  maxFileBytes: 200\n",
        "app/kustomization.yaml": f"resources:\n- ok.yaml\n- {entry}\n",
        "app/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n",
        "app/big.yaml": LATEST + "# " + "x" * 300 + "\n",
        "app/.gitignore": "link.yaml\n",
    })  # fmt: skip
    write_tree(tmp_path, {"outside.yaml": LATEST})
    (repo / "app" / "link.yaml").symlink_to(tmp_path / "outside.yaml")

    run = cli("check", str(repo))

    assert run.code == 1
    assert f"app/kustomization.yaml:3: error: {why}" in run.out
