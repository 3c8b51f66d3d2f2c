"""Fields of a rendered object found again in a base or patch that holds them elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitops_gate.deployed.fieldpath import MISSING, covers, resolve, split, steps_of
from gitops_gate.deployed.setters import image_name, setter
from gitops_gate.deployed.sources import Sources
from gitops_gate.manifests.loader import LoadOptions
from gitops_gate.manifests.model import Document

RENDERED = {"spec": {"containers": [{"name": "sidecar"}, {"name": "app", "image": "a:1"}]}}
BASE = {"spec": {"containers": [{"name": "app", "image": "a:latest"}]}}


def test_a_container_is_found_by_name_at_another_index() -> None:
    steps = steps_of(RENDERED, split("/spec/containers/1/image"))

    assert resolve(BASE, steps) == ("a:latest", ["spec", "containers", 0, "image"])


def test_a_field_the_base_lacks_is_missing_with_the_deepest_part_found() -> None:
    steps = steps_of(RENDERED, split("/spec/containers/0/name"))

    assert resolve(BASE, steps) == (MISSING, ["spec", "containers"])


@pytest.mark.parametrize(
    ("op", "pointer", "expected"),
    [
        ("/spec/containers/0/securityContext", "/spec/containers/0/securityContext/privileged",
         True),
        ("/spec/containers/-", "/spec/containers/2/image", True),
        ("/spec/replicas", "/spec/containers/0/image", False),
        ("/spec/containers/1", "/spec/containers/0/image", False),
    ],
    ids=["sets-around", "appends", "elsewhere", "other-element"],
)  # fmt: skip
def test_a_json_patch_operation_covers(op: str, pointer: str, expected: bool) -> None:
    assert covers(split(op), split(pointer)) is expected


@pytest.mark.parametrize(
    ("image", "name"),
    [
        ("app:latest", "app"),
        ("registry:5000/team/app:1.2", "registry:5000/team/app"),
        ("registry:5000/app", "registry:5000/app"),
        ("app@sha256:abc", "app"),
    ],
)
def test_image_name_is_what_kustomize_images_match(image: str, name: str) -> None:
    assert image_name(image) == name


def test_entries_of_the_wrong_shape_set_nothing(tmp_path: Path) -> None:
    """A kustomization as a hostile change might write it: no entry matches, none crashes."""
    kustomization = (
        "images:\n  - name: [app]\n    newTag: x\n  - 7\n"
        "patches:\n  - path: 5\n  - patch: '- op: add'\n  - {patch: {a: b}}\n"
        "patchesStrategicMerge:\n  - {kind: Deployment, metadata: {name: [app]}}\n"
    )
    (tmp_path / "kustomization.yaml").write_text(kustomization)
    sources = Sources(tmp_path, LoadOptions())
    sources.kustomizations = [
        Document("kustomization.yaml", 0, yaml.safe_load(kustomization), text=kustomization)
    ]
    rendered = {"kind": "Deployment", "metadata": {"name": "app"}, **RENDERED}
    parts = split("/spec/containers/1/image")

    assert setter(parts, steps_of(rendered, parts), rendered, None, sources) is None
