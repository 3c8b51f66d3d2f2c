"""One folder of JSON Schemas both backends read: Kubernetes' kinds, the repo's CRDs, the user's."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import cache_root
from gitops_gate.errors import UsageError
from gitops_gate.validate import catalogue, k8s_schemas
from gitops_gate.validate.crd import CrdSchema
from gitops_gate.validate.crd_cache import schema_of
from gitops_gate.validate.sealed import SealedFolder

# Bump when what we write changes (2: a sealed .sums.json instead of .complete), so stale
# caches are never read, and an older gitops-gate sharing the cache keeps its own folders.
_LAYOUT = "2"
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
    bundled: bool = True  # the package's catalogue of common CRDs, after the repo's and the user's
    k8s_dir: Path = field(init=False)
    crd_dir: Path = field(init=False)
    bundled_dir: Path | None = field(init=False)

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
        self.bundled_dir = (
            catalogue.folder(strict=self.strict, root=self.root) if self.bundled else None
        )

    @property
    def k8s_version(self) -> str:
        """The full version we hand to kubeconform's `-kubernetes-version`."""
        return f"{self.version}.0"

    def locations(self) -> list[str]:
        """Schema location templates in lookup order, as kubeconform's `-schema-location`s."""
        ours = [str(self.k8s_dir / _K8S_TEMPLATE), str(self.crd_dir / _CRD_TEMPLATE)]
        bundled = [str(self.bundled_dir / _CRD_TEMPLATE)] if self.bundled_dir else []
        return ours + [expand(loc) for loc in self.user_locations] + bundled

    def broken(self, kind: str, api_version: str) -> CrdSchema | None:
        """The repo CRD that defines kind but whose schema could not be used."""
        for c in self.crds:
            if not c.usable and c.kind == kind and c.api_version == api_version:
                return c
        return None

    def prepare(self, kinds: set[tuple[str, str]]) -> None:
        """Write (or check) the Kubernetes schemas of these (kind, apiVersion)s."""
        sums = SealedFolder(self.k8s_dir)
        for kind, api_version in kinds:
            self._k8s_file(sums, k8s_schemas.schema_file_name(kind, api_version))
        sums.save()

    def prepare_all(self) -> None:
        """Write every Kubernetes kind's schema for this version, once per cache (~15 MB, ~2s);
        on later runs check each is still what was written (a stat each, ~5 ms in all).

        kubeconform can then start before we know which kinds the repo holds.
        """
        sums = SealedFolder(self.k8s_dir)
        names = list(sums.files) if sums.complete else None
        for name in names or k8s_schemas.schema_file_names(self.version, self.strict):
            self._k8s_file(sums, name)
        for name in sums.strangers():  # kubeconform would read a file planted beside ours
            self._k8s_file(sums, name)
        sums.mark(complete=True)
        sums.save()

    def _k8s_file(self, sums: SealedFolder, name: str) -> None:
        """Make sure name holds the shipped schema, or nothing when no such kind ships."""
        if sums.trusted(name):
            return
        schema = k8s_schemas.standalone(self.version, self.strict, name)
        if schema is None:
            sums.remove(name)
        else:
            sums.write(name, _encode(schema))

    def lookup(self, kind: str, api_version: str) -> Path | None:
        """The first location whose rendered path is a file: kubeconform's order and rules."""
        for location in self.locations():
            path = Path(render(location, kind, api_version, self.k8s_version, strict=self.strict))
            if path.is_file():
                return path
        return None

    def _write_crds(self) -> None:
        """Write (or check) the repo's CRD schemas; remove any file we did not write."""

        sums = SealedFolder(self.crd_dir)
        wanted = {self._crd_name(c): c for c in self.crds if c.usable}
        if sums.complete and not sums.strangers() and all(map(sums.trusted, wanted)):
            return
        for name in sums.strangers():
            sums.remove(name)
        complete = True
        for name, c in wanted.items():
            if sums.trusted(name):
                continue
            schema = schema_of(c)
            if schema is None:  # a cache file vanished under us: write what we have, retry later
                complete = False
            else:
                sums.write(name, _encode(schema))
        sums.mark(complete=complete)
        sums.save()

    def _crd_name(self, c: CrdSchema) -> str:
        return render(_CRD_TEMPLATE, c.kind, c.api_version, self.k8s_version, strict=self.strict)


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


def _encode(schema: dict[str, Any]) -> bytes:
    return json.dumps(schema, separators=(",", ":")).encode()


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

    return version("kubernetes-validate")
