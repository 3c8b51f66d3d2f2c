"""`check` judges what each environment deploys, and says where and in which environments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_gate.api import check
from gitops_gate.findings import Finding
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree

pytestmark = pytest.mark.slow

CONFIG = """\
version: 1
engines: {schema: builtin, policy: builtin, render: %s}
environments:
  production:
    paths: [app/overlays/production]
    production: true
  staging:
    paths: [app/overlays/staging]
"""

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: app:latest
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {cpu: 10m, memory: 16Mi}
"""

PINNED = "images:\n  - name: app\n    newTag: 1.2.3\n"

PRIVILEGED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          securityContext:
            privileged: true
"""

ORPHAN = """\
apiVersion: v1
kind: Pod
metadata:
  name: lone
  namespace: tools
spec:
  containers:
    - name: shell
      image: busybox
      resources:
        requests: {cpu: 10m, memory: 16Mi}
        limits: {cpu: 10m, memory: 16Mi}
"""


def overlay(env: str, extra: str = "") -> dict[str, str]:
    body = f"resources:\n  - ../../base\nnamespace: {env}\n{extra}"
    return {f"app/overlays/{env}/kustomization.yaml": body}


def repo(root: Path, render: str, *overlays: dict[str, str]) -> Path:
    files = {
        ".gitops-gate.yaml": CONFIG % render,
        "app/base/kustomization.yaml": "resources:\n  - deploy.yaml\n",
        "app/base/deploy.yaml": DEPLOY,
    }
    for o in overlays:
        files |= o
    return write_tree(root, files)


def policy(root: Path, **kwargs: Any) -> list[Finding]:
    return check([root], root=root, checks=["policy"], **kwargs).findings


def seen(found: list[Finding]) -> list[tuple[str, str, str, int | None, str]]:
    """What a user reads: rule, severity, file:line and the environments named."""
    out = []
    for f in found:
        named = f.message.rpartition(" (")[2].rstrip(")") if f.message.endswith(")") else ""
        out.append((f.rule, f.severity.label, f.path or "", f.line, named))
    return sorted(out)


@pytest.fixture(params=["subprocess", "builtin"], ids=["pinned-kustomize", "kubectl"])
def render(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each renderer the registry picks from: the pinned kustomize, and kubectl's."""
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    mode: str = request.param
    return mode


def test_a_base_latest_every_overlay_pins_passes(tmp_path: Path, render: str) -> None:
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging", PINNED))

    result = check([root], root=root, checks=["policy"])

    assert not result.failed
    assert seen(result.findings) == [
        (
            "no-latest-tag",
            "info",
            "app/base/deploy.yaml",
            14,
            "not deployed as written: production, staging render it otherwise",
        )
    ]


def test_a_base_latest_one_overlay_keeps_fails_naming_it(tmp_path: Path, render: str) -> None:
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging"))

    result = check([root], root=root, checks=["policy"])

    assert result.failed
    assert seen(result.findings) == [
        ("no-latest-tag", "error", "app/base/deploy.yaml", 14, "environments: staging")
    ]


def test_a_patch_in_production_only_is_found_at_the_patch(tmp_path: Path, render: str) -> None:
    patch = "patches:\n  - path: privileged.yaml\n"
    prod = overlay("production", PINNED + patch) | {
        "app/overlays/production/privileged.yaml": PRIVILEGED
    }
    root = repo(tmp_path, render, prod, overlay("staging", PINNED))

    found = policy(root)

    assert ("privileged-containers", "warning", "app/overlays/production/privileged.yaml", 11,
            "environments: production") in seen(found)  # fmt: skip


def test_a_file_no_environment_includes_is_checked_as_written(tmp_path: Path, render: str) -> None:
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging", PINNED))
    write_tree(root, {"tools/pod.yaml": ORPHAN})

    found = [f for f in policy(root) if f.severity.label == "error"]

    assert seen(found) == [("no-latest-tag", "error", "tools/pod.yaml", 9, "")]


def test_an_overlay_image_tag_is_found_at_its_images_entry(tmp_path: Path, render: str) -> None:
    latest = "images:\n  - name: app\n    newName: registry.example.com/app\n    newTag: latest\n"
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging", latest))
    write_tree(root, {"app/base/deploy.yaml": DEPLOY.replace("app:latest", "app:1.0.0")})

    found = policy(root)

    # namespace (line 3), images (4), its name (5), newName (6), newTag (7)
    assert seen(found) == [
        ("no-latest-tag", "error", "app/overlays/staging/kustomization.yaml", 7,
         "environments: staging")
    ]  # fmt: skip


def test_an_inline_json_patch_is_found_at_its_operation(tmp_path: Path, render: str) -> None:
    ops = (
        "patches:\n"
        "  - target: {kind: Deployment, name: app}\n"
        "    patch: |-\n"
        "      - op: add\n"
        "        path: /spec/template/spec/containers/0/securityContext\n"
        "        value: {privileged: true}\n"
    )
    root = repo(tmp_path, render, overlay("production", PINNED + ops), overlay("staging", PINNED))

    found = [f for f in policy(root) if f.rule == "privileged-containers"]

    # images: lines 4-6, patches 7, target 8, patch 9, the operation 10
    assert seen(found) == [
        ("privileged-containers", "warning", "app/overlays/production/kustomization.yaml", 10,
         "environments: production")
    ]  # fmt: skip


def test_only_the_environments_a_change_reaches_are_rendered(tmp_path: Path, render: str) -> None:
    root = repo(tmp_path, render, overlay("production"), overlay("staging", PINNED))

    found = policy(root, changed=["app/overlays/staging/kustomization.yaml"])

    # production keeps latest, but the change does not reach it: it is not rendered, and the
    # base is judged by staging alone.
    assert seen(found) == [
        ("no-latest-tag", "info", "app/base/deploy.yaml", 14,
         "not deployed as written: staging render it otherwise; not rendered here: production")
    ]  # fmt: skip


FLUX = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./app/overlays/{env}
  prune: true
  sourceRef: {{kind: GitRepository, name: flux-system}}
"""


def test_a_flux_cluster_is_judged_by_what_its_kustomizations_build(
    tmp_path: Path, render: str
) -> None:
    config = (CONFIG % render).replace("app/overlays/production", "clusters/production")
    config = config.replace("app/overlays/staging", "clusters/staging")
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging"))
    write_tree(root, {
        ".gitops-gate.yaml": config,
        "clusters/production/apps.yaml": FLUX.format(env="production"),
        "clusters/staging/apps.yaml": FLUX.format(env="staging"),
    })  # fmt: skip

    found = policy(root)

    assert seen(found) == [
        ("no-latest-tag", "error", "app/base/deploy.yaml", 14, "environments: staging")
    ]


def test_a_file_in_an_environment_no_kustomization_names_is_a_notice(
    tmp_path: Path, render: str
) -> None:
    root = repo(tmp_path, render, overlay("production", PINNED), overlay("staging", PINNED))
    write_tree(root, {"app/overlays/staging/debug.yaml": ORPHAN})

    found = [f for f in policy(root) if f.path == "app/overlays/staging/debug.yaml"]

    assert seen(found) == [
        ("no-latest-tag", "info", "app/overlays/staging/debug.yaml", 9,
         "not deployed: staging render nothing from it")
    ]  # fmt: skip
