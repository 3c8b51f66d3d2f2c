"""The layout of kubernetes-validate's schema files, which validate/k8s_schemas.py reads directly.

We never import kubernetes-validate: k8s_schemas.py finds its package folder and reads
`kubernetes-json-schema/v<major>.<minor>.0-local[-strict]/<kind>-<group>-<version>.json` and
the shared `_definitions.json` they point into. That layout is no API of the package, so
pyproject.toml pins it below its next minor release. When a test here fails after an upgrade,
its message names what moved: adapt k8s_schemas.py, then widen the pin.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from gitops_gate.validate import k8s_schemas

ROOT = Path(__file__).resolve().parents[2]
WHY = "gitops_gate/validate/k8s_schemas.py reads it: adapt it, then the pin in pyproject.toml"


def test_kubernetes_validate_is_pinned_below_its_next_minor_release() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = [
        Requirement(r)
        for r in project["dependencies"]
        if Requirement(r).name == "kubernetes-validate"
    ]
    installed = importlib.metadata.version("kubernetes-validate")

    assert any(s.operator == "<" for s in requirement.specifier), (
        f"{requirement} has no upper bound: a release may move the files we read"
    )
    assert requirement.specifier.contains(installed), (
        f"kubernetes-validate {installed} is installed, outside the tested range {requirement}"
    )


def test_the_schema_folder_is_where_we_look_for_it() -> None:
    folder = k8s_schemas.package_path()

    assert folder.is_dir(), f"kubernetes-validate has no {folder.name}/ any more ({WHY})"
    assert k8s_schemas.shipped_versions()[0] == (1, 25), (
        f"the oldest shipped version is now {k8s_schemas.shipped_versions()[0]}; "
        "the README says 1.25"
    )
    major, minor = k8s_schemas.shipped_versions()[-1]
    assert f"{major}.{minor}" == ".".join(
        importlib.metadata.version("kubernetes-validate").split(".")[:2]
    ), "the newest schemas no longer match the package's own version"


@pytest.mark.parametrize("strict", [False, True], ids=["loose", "strict"])
def test_every_shipped_version_has_its_folder_and_shared_definitions(strict: bool) -> None:
    for major, minor in k8s_schemas.shipped_versions():
        folder = Path(str(k8s_schemas._folder(f"{major}.{minor}", strict)))
        definitions = folder / "_definitions.json"

        assert definitions.is_file(), f"{definitions} is missing ({WHY})"
        body = json.loads(definitions.read_text(encoding="utf-8"))
        assert isinstance(body.get("$defs"), dict) and body["$defs"], (
            f"{definitions} keeps its definitions elsewhere than under $defs ({WHY})"
        )


KINDS = [
    ("Deployment", "apps/v1", "deployment-apps-v1.json"),
    ("ConfigMap", "v1", "configmap-v1.json"),
    ("Ingress", "networking.k8s.io/v1", "ingress-networking-v1.json"),
    ("CronJob", "batch/v1", "cronjob-batch-v1.json"),
]


@pytest.mark.parametrize(("kind", "api_version", "name"), KINDS, ids=[k[0] for k in KINDS])
def test_a_kind_s_file_is_named_as_kubeconform_names_it(
    kind: str, api_version: str, name: str
) -> None:
    newest = "{}.{}".format(*k8s_schemas.shipped_versions()[-1])

    assert k8s_schemas.schema_file_name(kind, api_version) == name
    assert name in k8s_schemas.schema_file_names(newest, strict=False), (
        f"kubernetes-validate no longer ships {name} ({WHY})"
    )


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [r for k, v in value.items() for r in ([v] if k == "$ref" else _refs(v))]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


@pytest.mark.parametrize("strict", [False, True], ids=["loose", "strict"])
def test_a_kind_s_schema_made_standalone_points_only_inside_itself(strict: bool) -> None:
    newest = "{}.{}".format(*k8s_schemas.shipped_versions()[-1])

    schema = k8s_schemas.standalone(newest, strict, "deployment-apps-v1.json")

    assert schema is not None
    refs = _refs(schema)
    outside = sorted({r for r in refs if not r.startswith("#/$defs/")})
    missing = sorted(
        {r for r in refs if r[len("#/$defs/") :] not in schema["$defs"]} - set(outside)
    )
    assert len(refs) > 10, "the Deployment schema refers to no definitions: the probe is wrong"
    assert outside == [], f"refs in a form k8s_schemas.py does not rewrite: {outside} ({WHY})"
    assert missing == [], f"definitions not inlined: {missing} ({WHY})"


def test_a_known_deployment_is_valid_and_a_broken_one_is_not() -> None:
    import jsonschema_rs

    newest = "{}.{}".format(*k8s_schemas.shipped_versions()[-1])
    schema = k8s_schemas.standalone(newest, True, "deployment-apps-v1.json")
    container = {"name": "web", "image": "nginx:1.27"}
    good = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [container]},
            },
        },
    }
    bad = json.loads(json.dumps(good).replace('"containers"', '"containerz"'))

    validator = jsonschema_rs.validator_for(schema)

    assert validator.is_valid(good), f"a plain Deployment fails its shipped schema ({WHY})"
    assert not validator.is_valid(bad), "the strict schema no longer refuses an unknown field"
    assert re.fullmatch(r"v\d+\.\d+\.0-local-strict", k8s_schemas._folder(newest, True).name)
