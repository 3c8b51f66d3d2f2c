"""What schema validation is asked to do: from `.gitops-gate.yaml`'s `validate:` and the CLI."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_gate.config.sections import ValidateSection
from gitops_gate.errors import UsageError
from gitops_gate.validate import catalogue
from gitops_gate.validate.store import expand, render

if TYPE_CHECKING:
    from gitops_gate.config import Config


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    """Settings both backends honour alike; `fingerprint` keys the result cache."""

    strict: bool = False
    kubernetes_version: str | None = None
    skip_kinds: frozenset[str] = frozenset()
    reject_kinds: frozenset[str] = frozenset()
    crd_dirs: tuple[Path, ...] = ()
    ignore_missing_schemas: bool = False
    schema_locations: tuple[str, ...] = ()
    bundled_crds: bool = True
    cache: bool = True
    cache_dir: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def skipped(self, kind: str, api_version: str) -> bool:
        """kubeconform's rule: a bare kind or `apiVersion/kind` (e.g. `apps/v1/Deployment`)."""
        return kind in self.skip_kinds or f"{api_version}/{kind}" in self.skip_kinds

    def rejected(self, kind: str, api_version: str) -> bool:
        return kind in self.reject_kinds or f"{api_version}/{kind}" in self.reject_kinds

    def fingerprint(self) -> str:
        """What changes a verdict (not skip/reject: those are decided before any backend)."""
        payload = {
            "strict": self.strict,
            "version": self.kubernetes_version,
            "locations": list(self.schema_locations),
            "bundled": catalogue.digest() if self.bundled_crds else None,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def from_config(config: Config | None, **overrides: Any) -> ValidateOptions:
    """The config's `validate:` section, then command-line overrides that are not None."""
    section = config.validate if config is not None else ValidateSection()
    root = config.root if config is not None else Path.cwd()
    options = ValidateOptions(
        strict=section.strict,
        kubernetes_version=_version(section.kubernetes_version, config),
        skip_kinds=section.skip_kinds,
        reject_kinds=section.reject_kinds,
        crd_dirs=tuple(root / p for p in section.crd_dirs),
        ignore_missing_schemas=section.ignore_missing_schemas,
        schema_locations=tuple(_location(p, root) for p in section.schema_locations),
        bundled_crds=section.bundled_crds,
    )
    given = {k: v for k, v in overrides.items() if v is not None}
    for key in ("skip_kinds", "reject_kinds"):
        if key in given:
            given[key] = getattr(options, key) | frozenset(given[key])
    for key in ("crd_dirs", "schema_locations"):
        if key in given:
            given[key] = getattr(options, key) + tuple(given[key])
    return replace(options, **given)


def _version(value: str | None, config: Config | None) -> str | None:
    if value is not None:
        return value
    if config is None:
        return None
    # Validate against the oldest version any environment runs: what passes there passes later.
    versions = {e.kubernetes_version for e in config.environments if e.kubernetes_version}
    return min(versions, key=_sortable) if versions else None


def _sortable(version: str) -> tuple[int, ...]:
    parts = version.lstrip("v").split(".")
    return tuple(int(p) if p.isdigit() else 0 for p in parts)


def _location(text: str, root: Path) -> str:
    if "://" in text:
        raise UsageError(
            f"schema location {text!r} is a URL",
            hint="gitops-gate never fetches schemas at run time; download them to a folder",
        )
    return text if Path(text).is_absolute() else str(root / text)


def check_locations(locations: tuple[str, ...]) -> None:
    """A location must exist: a typo should stop the run, not quietly skip every schema."""

    for location in locations:
        # kubeconform renders every template once at start-up: a bad field fails the run.
        render(expand(location), "Deployment", "v1", "master", strict=True)
        if "{{" in location:
            static = location.split("{{", 1)[0]
            must_exist = Path(static) if static.endswith("/") else Path(static).parent
        else:
            must_exist = Path(location)
        if not must_exist.exists():
            raise UsageError(
                f"schema location {location} does not exist", hint="check --schema-location"
            )
