"""Schema validation of loaded resources: CRDs first, skip/reject, cache, backend, findings."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_gate.cachedir import ResultCache
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding
from gitops_gate.manifests.model import Resource
from gitops_gate.manifests.walk import walk
from gitops_gate.validate import crd_cache, deprecations, k8s_schemas, mapping, missing
from gitops_gate.validate.cache import body_digest
from gitops_gate.validate.crd import CrdSchema
from gitops_gate.validate.options import ValidateOptions, check_locations, from_config
from gitops_gate.validate.protocol import Backend, Outcome, Status
from gitops_gate.validate.registry import pick
from gitops_gate.validate.store import SchemaStore

if TYPE_CHECKING:
    from gitops_gate.config import Config
    from gitops_gate.manifests.loader import LoadResult
    from gitops_gate.validate.kubeconform import Pending

COUNTS = ("resources", "valid", "invalid", "errors", "skipped", "no_schema")
_ATTR = {
    Status.VALID: "valid",
    Status.INVALID: "invalid",
    Status.ERROR: "errors",
    Status.SKIPPED: "skipped",
    Status.NO_SCHEMA: "no_schema",
}


@dataclass(slots=True)
class Summary:
    """Counts a report prints: kubeconform's four, plus what we add."""

    backend: str = ""
    kubernetes_version: str = ""
    resources: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    skipped: int = 0
    no_schema: int = 0
    cached: int = 0  # documents whose result came from a cache (file or document)
    unchanged_files: int = 0  # files neither parsed nor validated: same bytes, same schemas
    crds: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    # Per source file: the COUNTS of its resources, so a file's share can be cached.
    by_file: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    )

    def count(self, outcome: Outcome, path: str | None = None) -> None:
        attr = _ATTR[outcome.status]
        setattr(self, attr, getattr(self, attr) + 1)
        if path is not None:
            self.by_file[path][attr] += 1

    def add(self, counts: dict[str, int]) -> None:
        """A cached file's counts."""
        for attr in COUNTS:
            setattr(self, attr, getattr(self, attr) + int(counts.get(attr, 0)))

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "kubernetesVersion": self.kubernetes_version,
            "resources": self.resources,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "skipped": self.skipped,
            "noSchema": self.no_schema,
            "cached": self.cached,
            "unchangedFiles": self.unchanged_files,
            "crds": self.crds,
        }


def schema_findings(
    load_result: LoadResult,
    config: Config | None,
    *,
    engine: str = "auto",
    options: ValidateOptions | None = None,
) -> list[Finding]:
    """The schema part of `check`: findings for every resource the loader produced."""
    return validate_resources(load_result.resources, config, engine=engine, options=options)[0]


def validate_resources(
    resources: list[Resource],
    config: Config | None,
    *,
    engine: str = "auto",
    options: ValidateOptions | None = None,
) -> tuple[list[Finding], Summary]:
    """Validate resources against Kubernetes' schemas and the CRDs among them or in crd_dirs."""
    started = time.perf_counter()
    options = options or from_config(config)
    backend = pick_backend(engine, options, config)
    store = make_store(crds_for(resources, options, config), options)
    findings, summary = check(resources, store, backend, options)
    findings = missing.summarise(findings)
    summary.seconds = time.perf_counter() - started
    return findings, summary


def pick_backend(engine: str, options: ValidateOptions, config: Config | None) -> Backend:

    check_locations(options.schema_locations)
    if engine == "auto" and config is not None:
        engine = config.engine("schema")
    return pick(engine)


def make_store(crds: list[CrdSchema], options: ValidateOptions) -> SchemaStore:
    version = k8s_schemas.resolve_version(options.kubernetes_version)
    return SchemaStore(
        version, options.strict, options.schema_locations, crds, bundled=options.bundled_crds
    )


def check(
    resources: list[Resource],
    store: SchemaStore,
    backend: Backend,
    options: ValidateOptions,
    *,
    pending: Pending | None = None,
) -> tuple[list[Finding], Summary]:
    """Findings and counts for resources; pending is a kubeconform run already under way."""
    crds = store.crds
    summary = Summary(backend.name, store.version, len(resources), crds=len(crds))
    findings = [mapping.crd_problem(c) for c in crds if c.problem is not None]
    todo: list[Resource] = []
    for r in resources:
        summary.by_file[r.path]["resources"] += 1
        if options.skipped(r.kind, r.api_version):
            summary.count(Outcome(Status.SKIPPED), r.path)
        elif options.rejected(r.kind, r.api_version):
            summary.count(Outcome(Status.ERROR), r.path)
            findings.append(mapping.rejected(r))
        elif removed := deprecations.removed_finding(r, store.version):
            # Not served at this version: any schema (or its absence) would only mislead.
            summary.count(Outcome(Status.ERROR), r.path)
            findings.append(removed)
        else:
            todo.append(r)
    outcomes = _outcomes(todo, backend, store, options, summary, pending)
    broken = {(c.kind, c.api_version): c for c in reversed(crds) if not c.usable}
    for r, outcome in zip(todo, outcomes, strict=True):
        if deprecated := deprecations.deprecated_finding(r, store.version):
            findings.append(deprecated)
            if outcome.status is Status.NO_SCHEMA:  # its CRD is not what is missing
                outcome = Outcome(Status.SKIPPED)
        if outcome.status is Status.VALID:  # the common case, and nothing to report
            summary.count(outcome, r.path)
            continue
        if outcome.status is Status.NO_SCHEMA and options.ignore_missing_schemas:
            outcome = Outcome(Status.SKIPPED)
        summary.count(outcome, r.path)
        crd = broken.get((r.kind, r.api_version))
        findings += mapping.findings_of(r, outcome, strict=options.strict, broken=crd)
    return findings, summary


def _outcomes(
    todo: list[Resource],
    backend: Backend,
    store: SchemaStore,
    options: ValidateOptions,
    summary: Summary,
    pending: Pending | None,
) -> list[Outcome]:
    # User schema files can change under the same name: results then depend on more than we hash.
    enabled = options.cache and not options.schema_locations
    namespace = f"{backend.name}-{store.k8s_dir.name}-{store.crd_dir.name}-{options.fingerprint()}"
    cache = ResultCache(namespace, enabled=enabled, root=options.cache_dir)
    keys = [body_digest(r.body) for r in todo] if enabled else [""] * len(todo)
    found: list[Outcome | None] = []
    for key in keys:
        raw = cache.get(key) if enabled else None
        found.append(Outcome.from_json(raw) if raw is not None else None)
    misses = [i for i, o in enumerate(found) if o is None]
    store.prepare({(todo[i].kind, todo[i].api_version) for i in misses})
    work = [todo[i] for i in misses]
    if pending is not None:
        fresh = pending.backend.validate(work, store, pending=pending)
    else:
        fresh = backend.validate(work, store) if misses else []
    for i, outcome in zip(misses, fresh, strict=True):
        found[i] = outcome
        if outcome.status is not Status.ERROR:
            cache.put(keys[i], outcome.to_json())
    cache.save()
    summary.cached = cache.hits
    return [o if o is not None else Outcome(Status.ERROR) for o in found]


def crds_for(
    resources: list[Resource], options: ValidateOptions, config: Config | None
) -> list[CrdSchema]:
    """The CRDs among resources, then those in options.crd_dirs (by content, from the cache)."""
    out = crd_cache.from_resources(resources, strict=options.strict)
    for folder in options.crd_dirs:
        files, root = _crd_files(folder, config)
        out += crd_cache.from_files(files, root, strict=options.strict)
    return out


def _crd_files(folder: Path, config: Config | None) -> tuple[list[Path], Path]:

    if not folder.is_dir():
        raise UsageError(f"CRD folder {folder} does not exist", hint="check --crd-dir")
    root = (
        config.root
        if config is not None and folder.resolve().is_relative_to(config.root)
        else folder
    ).resolve()
    candidates, _ = walk([folder], root)
    return [c.path for c in candidates if c.path.suffix in (".yaml", ".yml", ".json")], root
