"""Kubernetes' own schemas, from the kubernetes-validate package, made standalone per kind."""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from gitops_gate.errors import ConfigError

_PACKAGE = "kubernetes_validate"
_DEFS_REF = '"/api/_definitions.json#/$defs/'
_REF_NAME = re.compile(r'"(?:/api/_definitions\.json)?#/\$defs/([^"]+)"')
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")


@cache
def shipped_versions() -> tuple[tuple[int, int], ...]:
    """The Kubernetes minor versions kubernetes-validate ships schemas for, oldest first."""
    found = set()
    for entry in _root().iterdir():
        m = re.match(r"^v(\d+)\.(\d+)\.\d+-local$", entry.name)
        if m:
            found.add((int(m[1]), int(m[2])))
    return tuple(sorted(found))


def resolve_version(text: str | None) -> str:
    """The shipped `major.minor` to validate a configured version (`1.30`, `v1.30.2`) against."""
    versions = shipped_versions()
    if text is None:
        major, minor = versions[-1]
        return f"{major}.{minor}"
    m = _VERSION.match(text.strip())
    if m is None:
        raise ConfigError(
            "kubernetesVersion", None, f"{text!r} is not a Kubernetes version", hint="e.g. 1.31"
        )
    wanted = (int(m[1]), int(m[2]))
    usable = [v for v in versions if v <= wanted]
    if not usable:
        low, high = versions[0], versions[-1]
        raise ConfigError(
            "kubernetesVersion",
            None,
            f"no schemas for Kubernetes {text} (shipped: {low[0]}.{low[1]} to {high[0]}.{high[1]})",
            hint="configure a newer kubernetesVersion",
        )
    # A patch or minor release we do not ship validates against the newest one before it.
    major, minor = usable[-1]
    return f"{major}.{minor}"


def schema_file_name(kind: str, api_version: str) -> str:
    """kubeconform's `{{ .ResourceKind }}{{ .KindSuffix }}.json` for kind and apiVersion."""
    group, _, version = api_version.rpartition("/")
    suffix = f"-{group.split('.')[0].lower()}-{version.lower()}" if group else f"-{version.lower()}"
    return f"{kind.lower()}{suffix}.json"


def schema_file_names(version: str, strict: bool) -> list[str]:
    """Every kind's schema file shipped for the version (not the shared definitions)."""
    folder = _folder(version, strict)
    return sorted(
        e.name for e in folder.iterdir() if e.name.endswith(".json") and not e.name.startswith("_")
    )


def standalone(version: str, strict: bool, file_name: str) -> dict[str, Any] | None:
    """The kind's schema with every definition it reaches inlined under `$defs`, or None."""
    folder = _folder(version, strict)
    entry = folder.joinpath(file_name)
    if not entry.is_file():
        return None
    text = entry.read_text(encoding="utf-8")
    definitions = _definitions(version, strict)
    wanted = _closure(text, definitions)
    schema: dict[str, Any] = json.loads(text.replace(_DEFS_REF, '"#/$defs/'))
    schema.pop("$id", None)
    schema["$defs"] = {name: json.loads(definitions[name]) for name in sorted(wanted)}
    return schema


def _closure(text: str, definitions: dict[str, str]) -> set[str]:
    seen: set[str] = set()
    todo = set(_REF_NAME.findall(text))
    while todo:
        name = todo.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        todo.update(_REF_NAME.findall(definitions[name]))
    return seen


@cache
def _definitions(version: str, strict: bool) -> dict[str, str]:
    """Each shared definition as JSON text, so the definitions a kind reaches are found by regex."""
    raw = json.loads(_folder(version, strict).joinpath("_definitions.json").read_text("utf-8"))
    return {name: json.dumps(body) for name, body in raw["$defs"].items()}


def _folder(version: str, strict: bool) -> Any:
    return _root().joinpath(f"v{version}.0-local" + ("-strict" if strict else ""))


@cache
def _root() -> Any:
    # Found, not imported: importing kubernetes_validate imports jsonschema too (73 ms of a
    # 300 ms `validate`), and only its data files are read.
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"
    return resources.files(_PACKAGE).joinpath("kubernetes-json-schema")


def package_path() -> Path:
    """Where the shipped schemas are on disk (their version is part of the cache key)."""
    return Path(str(_root()))
