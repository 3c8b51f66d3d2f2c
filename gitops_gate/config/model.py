"""Typed configuration: environments, the typed sections, and where each setting came from."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.config.objects import Scanned
from gitops_gate.config.promotion import PromotionSection
from gitops_gate.config.sections import ENGINE_MODES as ENGINE_MODES
from gitops_gate.config.sections import (
    AuditSection,
    DiffSection,
    EnginesSection,
    LimitsSection,
    PolicySection,
    ReconcileSettings,
    SecretsSection,
    ValidateSection,
    WaiversSection,
    WindowsSection,
)
from gitops_gate.findings import Severity
from gitops_gate.manifests.loader import LoadOptions
from gitops_gate.manifests.model import Document
from gitops_gate.manifests.yamlsafe import Limits

CONFIG_NAME = ".gitops-gate.yaml"


@dataclass(frozen=True, slots=True)
class Environment:
    """A deployment target: the repo paths that make it up and how it may be synced."""

    name: str
    paths: tuple[str, ...]
    source: str
    kustomization: str | None = None
    cluster: str | None = None
    kubernetes_version: str | None = None
    production: bool = False
    auto_sync: bool = True
    # Flux syncs merged changes by design: only an explicit `autoSync: false` asks otherwise.
    auto_sync_explicit: bool = False
    sync_windows: tuple[dict[str, Any], ...] = ()
    # How it was found: config, flux-root, argo-application, applicationset-<generator>, or
    # folder-convention (config/found.py); source says where.
    rule: str = "config"
    # What its GitOps objects deploy beyond paths (the Kustomizations and Applications its
    # paths reconcile): a file there belongs to it, but only paths are rendered and walked.
    includes: tuple[str, ...] = ()
    reconcile: ReconcileSettings = field(default_factory=ReconcileSettings)

    def contains(self, rel: str) -> bool:
        """True when the repo-relative file rel lies under one of this environment's paths,
        or in what they deploy."""
        # Strings, not paths: this runs once per resource and environment (5,000 x 4 in a repo).
        if "//" in rel or "./" in rel or rel.endswith("/"):
            rel = PurePosixPath(rel).as_posix()
        if any(d == "." or rel == d or rel.startswith(f"{d}/") for d in _folders(self.paths)):
            return True
        if not self.includes:
            return False
        # A discovered environment includes a folder per Kustomization it reconciles (a
        # hundred in a home-ops repo): look rel's own folders up instead of testing each.
        included = _folder_set(self.includes)
        while rel:
            if rel in included:
                return True
            rel = rel.rpartition("/")[0]
        return "." in included

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "paths": list(self.paths),
            "source": self.source,
            "rule": self.rule,
            "includes": list(self.includes),
            "kustomization": self.kustomization,
            "cluster": self.cluster,
            "kubernetesVersion": self.kubernetes_version,
            "production": self.production,
            "autoSync": self.auto_sync,
            "syncWindows": list(self.sync_windows),
        }


@functools.lru_cache(maxsize=256)
def _folders(paths: tuple[str, ...]) -> tuple[str, ...]:
    """Configured paths as PurePosixPath spells them: no ./, no doubled or trailing slash."""
    return tuple(PurePosixPath(d).as_posix() for d in paths)


@functools.lru_cache(maxsize=64)
def _folder_set(paths: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_folders(paths))


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration for one repository root.

    Each section of the file is a typed attribute; `raw` (the file's mapping) is for config/
    alone: a test keeps the rest of the package from reading it.
    """

    root: Path
    path: Path | None = None
    environments: tuple[Environment, ...] = ()
    engines: EnginesSection = field(default_factory=EnginesSection)
    fail_level: Severity = Severity.ERROR
    exclude: tuple[str, ...] = ()
    limits: LimitsSection = field(default_factory=LimitsSection)
    policy: PolicySection = field(default_factory=PolicySection)
    secrets: SecretsSection = field(default_factory=SecretsSection)
    windows: WindowsSection = field(default_factory=WindowsSection)
    validate: ValidateSection = field(default_factory=ValidateSection)
    diff: DiffSection = field(default_factory=DiffSection)
    waivers: WaiversSection = field(default_factory=WaiversSection)
    promotion: PromotionSection = field(default_factory=PromotionSection)
    audit: AuditSection = field(default_factory=AuditSection)
    raw: dict[str, Any] = field(default_factory=dict)
    document: Document | None = field(default=None, repr=False, compare=False)
    # What discovery could not know offline (an ApplicationSet generator asking an SCM).
    notices: tuple[str, ...] = ()
    # Discovery's read of the repo: graph.scan reuses it while no file has changed.
    scanned: Scanned | None = field(default=None, repr=False, compare=False)

    @property
    def display_path(self) -> str:
        return self.path.name if self.path is not None else CONFIG_NAME

    @property
    def max_file_bytes(self) -> int:
        return self.limits.max_file_bytes

    @property
    def max_alias_expansion(self) -> int:
        return self.limits.max_alias_expansion

    @property
    def max_depth(self) -> int:
        return self.limits.max_depth

    def engine(self, check: str) -> str:
        return self.engines.mode(check)

    def load_options(self) -> LoadOptions:
        """What the loader reads and how much of it it accepts, as configured here."""
        limits = Limits(max_alias_expansion=self.max_alias_expansion, max_depth=self.max_depth)
        return LoadOptions(
            exclude=self.exclude,
            max_file_bytes=self.max_file_bytes,
            limits=limits,
            budget=self.limits.budget,
        )

    def environment(self, name: str) -> Environment | None:
        return next((e for e in self.environments if e.name == name), None)

    def environments_of(self, rel: str) -> list[Environment]:
        """Every environment whose paths contain the repo-relative file rel."""
        return [e for e in self.environments if e.contains(rel)]

    def locate(self, pointer: str) -> tuple[str, int | None]:
        """The config file and line of a JSON pointer such as /environments/prod/paths/0."""
        if self.document is None:
            return self.display_path, None
        return self.display_path, self.document.line_of(pointer)

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "path": str(self.path) if self.path else None,
            "environments": [e.to_json() for e in self.environments],
            "notices": list(self.notices),
            "engines": {k: self.engine(k) for k in ("schema", "policy", "render")},
            "failLevel": self.fail_level.label,
            "exclude": list(self.exclude),
            "limits": {
                "maxFileBytes": self.max_file_bytes,
                "maxAliasExpansion": self.max_alias_expansion,
                "maxDepth": self.max_depth,
            },
        }
