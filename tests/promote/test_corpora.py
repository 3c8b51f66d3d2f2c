"""Shared corpora, environments discovered (no config): one moved line, or a one-line refusal."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import git
import pytest

from gitops_gate.promote.flow import WriteOptions, set_image
from tests.conftest import Run
from tests.helpers.data import CORPORA, FLUX_EXAMPLE
from tests.helpers.tree import TESTER

HOMELAB = CORPORA / "theepicsaxguy__homelab"
# What makes the environments (two ApplicationSets' list elements over overlays/<env>) and the
# overlays themselves, verbatim; the bases they share are trimmed to empty kustomizations, but
# for kubechecks where a test needs its Deployment.
KEPT = (
    "k8s/infrastructure/applicationsets/application-set.yaml",
    "k8s/argocd/applicationsets/applications.yaml",
    "k8s/infrastructure/overlays",
    "k8s/applications/overlays",
)
EMPTY = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n"
BASES = ("k8s/infrastructure/base", "k8s/infrastructure/base/kubechecks", "k8s/applications/base")
KUBECHECKS = "k8s/infrastructure/base/kubechecks"


def _repo(root: Path, corpus: Path, kept: Sequence[str], empty: Sequence[str] = ()) -> git.Repo:
    for rel in kept:
        source, target = corpus / rel, root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    for rel in empty:
        (root / rel).mkdir(parents=True, exist_ok=True)
        (root / rel / "kustomization.yaml").write_text(EMPTY)
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add(A=True)
    repo.index.commit("a trimmed copy", author=TESTER, committer=TESTER)
    return repo


def _homelab(root: Path, *, kubechecks: bool = False) -> git.Repo:
    if kubechecks:
        return _repo(root, HOMELAB, (*KEPT, KUBECHECKS), [b for b in BASES if b != KUBECHECKS])
    return _repo(root, HOMELAB, KEPT, BASES)


def _changed_lines(repo: git.Repo, a: str, b: str) -> list[str]:
    out = repo.git.diff(a, b, "--unified=0").splitlines()
    return [c for c in out if c[:1] in "+-" and c[:3] not in ("+++", "---")]


def test_homelab_set_image_moves_the_one_line_of_the_environment_own_rollout(
    tmp_path: Path,
) -> None:
    repo = _homelab(tmp_path / "homelab")
    root = Path(str(repo.working_tree_dir))
    out = set_image(root, "staging", ["infra-service=v1.1.0", "app-service=v1.1.0"],
                    options=WriteOptions(), sink=lambda e: None)  # fmt: skip
    assert [(m.path, m.line, m.old, m.new) for m in out.moves] == [
        ("k8s/infrastructure/overlays/staging/rollout.yaml", 29, "v1.0.0", "v1.1.0"),
        ("k8s/applications/overlays/staging/rollout.yaml", 29, "v1.0.0", "v1.1.0"),
    ]
    assert _changed_lines(repo, "main", out.commit or "") == [
        "-          image: app-service:v1.0.0",
        "+          image: app-service:v1.1.0",
        "-          image: infra-service:v1.0.0",
        "+          image: infra-service:v1.1.0",
    ]  # comments such as `replicas: 1 # Staging requires 2 replicas` untouched


def test_a_render_failure_names_the_repository_path_not_the_private_worktree(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """prod's kubechecks overlay patches a HelmRelease the corpus does not have."""
    repo = _homelab(tmp_path / "homelab")
    root = Path(str(repo.working_tree_dir))
    staged = set_image(root, "staging", ["infra-service=v1.1.0"], options=WriteOptions(),
                       sink=lambda e: None)  # fmt: skip
    run = cli("promote", "--root", str(root), "--from", "staging", "--to", "prod", "--image",
              "infra-service", "--base", staged.commit or "", "--dry-run")  # fmt: skip
    assert run.code == 1
    [line] = run.err.strip().splitlines()
    assert "accumulating resources from 'kubechecks': 'k8s/infrastructure/overlays/prod/" in line
    assert "gitops-gate-wt" not in line


@pytest.mark.parametrize(
    ("corpus", "argv", "expected"),
    [
        (
            "homelab+kubechecks",  # the kubechecks Deployment lives in a base every env shares
            ("promote", "--from", "staging", "--to", "prod"),
            "k8s/infrastructure/base/kubechecks/deployment.yaml:33: image ghcr.io/zapier/kubechecks"
            " for 'prod' is set in a file shared with dev, staging (pin it in prod's own overlay:"
            " add `images: [{name: ghcr.io/zapier/kubechecks, newTag: ...}]` to"
            " k8s/infrastructure/overlays/prod/kubechecks/kustomization.yaml)",
        ),
        (
            "homelab+kubechecks",  # the corpus already runs kubechecks:latest in staging
            ("set-image", "--env", "staging", "infra-service=v1.1.0"),
            "the change would fail the gate (3 errors): first"
            ' k8s/infrastructure/base/kubechecks/deployment.yaml:33: container "kubechecks"'
            ' image "ghcr.io/zapier/kubechecks:latest" uses the latest tag: pin a version or a'
            " digest (environments: staging) [no-latest-tag] (run `gitops-gate check` on the"
            " result, fix it, and try again)",
        ),
        (
            "flux2-kustomize-helm-example",  # redis is a value of the HelmRelease in apps/base
            ("set-image", "--env", "staging", "public.ecr.aws/docker/library/redis=8.7.0"),
            "apps/base/podinfo/release.yaml:24: image public.ecr.aws/docker/library/redis for"
            " 'staging' is set in a file shared with production (override"
            " `spec.values.redis.tag` for staging alone with a HelmRelease patch in"
            " apps/staging/kustomization.yaml)",
        ),
    ],
)
def test_what_cannot_move_safely_is_one_line_naming_why(
    tmp_path: Path, cli: Callable[..., Run], corpus: str, argv: tuple[str, ...], expected: str
) -> None:
    if corpus == "homelab+kubechecks":
        repo = _homelab(tmp_path / "homelab", kubechecks=True)
    else:
        repo = _repo(tmp_path / "flux", FLUX_EXAMPLE, ("apps", "clusters", "infrastructure"))
    run = cli(*argv, "--root", str(repo.working_tree_dir), "--dry-run")
    assert (run.code, run.err.strip().splitlines()) == (
        1 if "gate" in expected else 2,
        [f"gitops-gate: {expected}"],
    )
