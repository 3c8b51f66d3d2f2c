"""One folder of JSON Schemas both backends read: Kubernetes' kinds, the repo's CRDs, the user's."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import cache_root, write_json
from gitops_gate.errors import UsageError
from gitops_gate.validate import k8s_schemas
from gitops_gate.validate.crd import CrdSchema

# Bump when what we write changes, so stale caches are never read.
_LAYOUT = "1"
_FIELD = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")
_K8S_TEMPLATE = "{{ .ResourceKind }}{{ .KindSuffix }}.json"
_CRD_TEMPLATE = "{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
_DIR_SUFFIX = "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/" + _K8S_TEMPLATE


@dataclass(slots=True)
class SchemaStore:
    """Writes the schemas a run needs and finds a kind's schema the way kubeconform does."""

    version: str  # shipped major.minor
    strict: bool
    user_locations: tuple[str, ...] = ()
    crds: list[CrdSchema] = field(default_factory=list)
    root: Path = field(default_factory=lambda: cache_root() / "schemas")
    k8s_dir: Path = field(init=False)
    crd_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        tag = f"{_LAYOUT}-kv{_package_version()}-{self.version}" + (
            "-strict" if self.strict else ""
        )
        self.k8s_dir = self.root / f"k8s-{tag}"
        good = sorted(
            (c.api_version, c.kind, c.digest or _digest(c.schema or {}))
            for c in self.crds
            if c.usable
        )
        digest = hashlib.sha256(json.dumps(good).encode()).hexdigest()[:16]
        self.crd_dir = self.root / f"crd-{_LAYOUT}-{digest}"
        self._write_crds()

    @property
    def k8s_version(self) -> str:
        """The full version we hand to kubeconform's `-kubernetes-version`."""
        return f"{self.version}.0"

    def locations(self) -> list[str]:
        """Schema location templates in lookup order, as kubeconform's `-schema-location`s."""
        ours = [str(self.k8s_dir / _K8S_TEMPLATE), str(self.crd_dir / _CRD_TEMPLATE)]
        return ours + [expand(loc) for loc in self.user_locations]

    def broken(self, kind: str, api_version: str) -> CrdSchema | None:
        """The repo CRD that defines kind but whose schema could not be used."""
        for c in self.crds:
            if not c.usable and c.kind == kind and c.api_version == api_version:
                return c
        return None

    def prepare(self, kinds: set[tuple[str, str]]) -> None:
        """Write the Kubernetes schemas of these (kind, apiVersion)s, once per cache."""
        for kind, api_version in kinds:
            name = k8s_schemas.schema_file_name(kind, api_version)
            target = self.k8s_dir / name
            if not target.exists():
                schema = k8s_schemas.standalone(self.version, self.strict, name)
                if schema is not None:
                    write_json(target, schema)

    def prepare_all(self) -> None:
        """Write every Kubernetes kind's schema for this version, once per cache (~15 MB, ~2s).

        kubeconform can then start before we know which kinds the repo holds.
        """
        marker = self.k8s_dir / ".complete"
        if marker.exists():
            return
        for name in k8s_schemas.schema_file_names(self.version, self.strict):
            target = self.k8s_dir / name
            if not target.exists():
                schema = k8s_schemas.standalone(self.version, self.strict, name)
                if schema is not None:
                    write_json(target, schema)
        write_json(marker, {})

    def lookup(self, kind: str, api_version: str) -> Path | None:
        """The first location whose rendered path is a file: kubeconform's order and rules."""
        for location in self.locations():
            path = Path(render(location, kind, api_version, self.k8s_version, strict=self.strict))
            if path.is_file():
                return path
        return None

    def _write_crds(self) -> None:
        if (self.crd_dir / ".complete").exists():
            return
        from gitops_gate.validate.crd_cache import schema_of

        complete = True
        for c in self.crds:
            schema = schema_of(c)
            complete = complete and (schema is not None or not c.usable)
            if schema is not None:
                name = render(
                    _CRD_TEMPLATE, c.kind, c.api_version, self.k8s_version, strict=self.strict
                )
                write_json(self.crd_dir / name, schema)
        if complete:  # else a cache file vanished under us: write what we have, retry next run
            write_json(self.crd_dir / ".complete", {})


def render(template: str, kind: str, api_version: str, k8s_version: str, *, strict: bool) -> str:
    """kubeconform's schema path template, field for field (registry.schemaPath)."""
    group_parts = api_version.split("/")
    suffix = "-" + group_parts[0].split(".")[0].lower()
    if len(group_parts) > 1:
        suffix += "-" + group_parts[1].lower()
    values = {
        "NormalizedKubernetesVersion": k8s_version
        if k8s_version == "master"
        else "v" + k8s_version,
        "StrictSuffix": "-strict" if strict else "",
        "ResourceKind": kind.lower(),
        "ResourceAPIVersion": group_parts[-1],
        "Group": group_parts[0],
        "KindSuffix": suffix,
    }

    def field_value(m: re.Match[str]) -> str:
        if m[1] not in values:
            raise UsageError(
                f"schema location {template!r} uses unknown field .{m[1]}",
                hint=f"known: {', '.join(sorted(values))}",
            )
        return values[m[1]]

    return _FIELD.sub(field_value, template)


def expand(location: str) -> str:
    # kubeconform: a location not ending in "json" is the root of a kubernetes-json-schema tree.
    return location if location.endswith("json") else location.rstrip("/") + _DIR_SUFFIX


def _digest(schema: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]


@cache
def _package_version() -> str:
    # The dist-info folder beside the package names the installed version; asking
    # importlib.metadata scans every path entry and parses metadata (29 ms of a 230 ms run).
    package = k8s_schemas.package_path().parent
    found = sorted(package.parent.glob(f"{package.name}-*.dist-info"))
    if len(found) == 1:
        return found[0].name.removeprefix(f"{package.name}-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("kubernetes-validate")
