"""Rendering with every backend: overlays, Flux post-build, remote bases, broken kustomizations."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.manifests.loader import load
from gitops_gate.render import RenderSettings, Target, render_environment
from gitops_gate.render.backend import Renderer
from gitops_gate.render.kubectl import KubectlKustomize
from gitops_gate.render.kustomize import KustomizeBinary
from tests.diff.fixtures import three_envs
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree


def kustomize() -> Renderer:
    return KustomizeBinary(ensure_tool("kustomize"), "pinned")


def kubectl() -> Renderer:
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail("kubectl is not on PATH", pytrace=False)
    return KubectlKustomize(Path(path))


BACKENDS = [
    pytest.param(kustomize, id="kustomize", marks=pytest.mark.slow),
    pytest.param(kubectl, id="kubectl"),
]


def render(
    root: Path, env: str, backend: Callable[[], Renderer]
) -> tuple[dict[str, str], list[str]]:
    config = load_config(root)
    target = Target(config.environment(env), root, build(load([root], root=root), config))  # type: ignore[arg-type]
    out = render_environment(target, backend(), RenderSettings(timeout=60))
    return (
        {str(k): str(v.get("spec", {}).get("replicas", "")) for k, v in out.objects.items()},
        [f"{f.location}: {f.message}" for f in out.findings],
    )


FLUX = """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  path: ./apps
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: team
  postBuild:
    substitute: {replicas: "4"}
    substituteFrom:
      - {kind: ConfigMap, name: vars}
"""
VARS = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vars, namespace: flux-system}\n"
    "data: {tier: gold}\n"
)
APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${tier}
  annotations: {owner: "${owner}"}
spec:
  replicas: ${replicas}
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_overlay_renders(tmp_path: Path, backend: Callable[[], Renderer]) -> None:
    objects, findings = render(write_tree(tmp_path, three_envs()), "staging", backend)

    assert objects == {"Deployment.apps staging/web": "2", "Secret staging/db": ""}
    assert findings == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_flux_post_build(tmp_path: Path, backend: Callable[[], Renderer]) -> None:
    write_tree(tmp_path, {
        "clusters/prod/apps.yaml": FLUX,
        "clusters/prod/vars.yaml": VARS,
        "apps/kustomization.yaml": "resources: [app.yaml]\n",
        "apps/app.yaml": APP,
    })  # fmt: skip

    objects, findings = render(tmp_path, "prod", backend)

    assert objects["Deployment.apps team/web-gold"] == "4"
    assert findings == [
        "apps/kustomization.yaml:1: Kustomization flux-system/apps: Deployment.apps"
        " team/web-gold: unresolved ${owner} (kustomize-controller's strict mode fails on it)"
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6",
        "github.com/org/repo//base?ref=main",
        "git::https://example.com/repo.git//base",
        "git@github.com:org/repo.git//base",
        "ssh://git@example.com/repo.git",
    ],
)
def test_remote_base_is_refused(tmp_path: Path, backend: Callable[[], Renderer], url: str) -> None:
    files = three_envs()
    files["web/overlays/dev/kustomization.yaml"] = f"resources:\n  - ../../base\n  - {url}\n"
    objects, findings = render(write_tree(tmp_path, files), "dev", backend)

    assert findings == [
        f"web/overlays/dev/kustomization.yaml:3: remote base {url} refused: gitops-gate never"
        " fetches (vendor it into the repository)"
    ]
    assert objects == {}


@pytest.mark.parametrize("backend", BACKENDS)
def test_broken_kustomization_is_a_finding(tmp_path: Path, backend: Callable[[], Renderer]) -> None:
    files = three_envs()
    files["web/overlays/dev/kustomization.yaml"] = "resources:\n  - ../../base\n  - nope.yaml\n"
    _, findings = render(write_tree(tmp_path, files), "dev", backend)

    assert len(findings) == 1
    assert findings[0].startswith("web/overlays/dev/kustomization.yaml: ")
    assert "build failed: accumulating resources" in findings[0]
    assert "nope.yaml" in findings[0]
