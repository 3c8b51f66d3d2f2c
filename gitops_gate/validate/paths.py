"""`validate` over paths: walk, skip unchanged files, load the rest, validate, cache per file."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gitops_gate._version import __version__
from gitops_gate.config import find_root, load_config
from gitops_gate.findings import Finding, Severity, gate_fails
from gitops_gate.manifests.classify import skip_reason
from gitops_gate.manifests.loader import LoadResult, collector_paused, load_walked
from gitops_gate.manifests.model import FileKind
from gitops_gate.manifests.walk import walk
from gitops_gate.manifests.yamlsafe import parse
from gitops_gate.validate import mapping, missing
from gitops_gate.validate.filecache import Entry, FileCache, settings_key
from gitops_gate.validate.kubeconform import KubeconformBackend
from gitops_gate.validate.options import from_config
from gitops_gate.validate.run import Summary, check, crds_for, make_store, pick_backend

if TYPE_CHECKING:
    from gitops_gate.config import Config
    from gitops_gate.manifests.loader import LoadOptions, LoadResult
    from gitops_gate.manifests.walk import Candidate
    from gitops_gate.validate.kubeconform import Pending
    from gitops_gate.validate.options import ValidateOptions
    from gitops_gate.validate.protocol import Backend
    from gitops_gate.validate.store import SchemaStore

# A file that may define CRDs changes the schema set: it is always loaded, never skipped.
_CRD_MARK = b"CustomResourceDefinition"


@dataclass(slots=True)
class ValidateResult:
    """Findings (load and schema) and the counts over what was validated.

    `loaded` holds the files' records (unchanged ones from the cache too) but the resources
    of the files that were parsed this run only.
    """

    config: Any
    loaded: Any
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    @property
    def failed(self) -> bool:

        return gate_fails(self.findings, self.config.fail_level)


@dataclass(slots=True)
class _File:
    candidate: Candidate
    sha: str | None  # None: not YAML (never parsed) or unreadable; always left to the loader
    defines_crds: bool = False


def validate_paths(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    engine: str = "auto",
    overrides: dict[str, Any] | None = None,
) -> ValidateResult:
    """Load paths (the repo root when none) and validate every resource found; files named
    are read as manifests. `gitops_gate.check(checks=("schema",))` makes this same run."""

    root = find_root(paths, config_path).resolve()
    config = load_config(root, config_path)
    load = config.load_options()
    given = list(paths) or [root]
    candidates, walked = walk(given, root, exclude=load.exclude, gitignore=load.gitignore)
    return validate_walked(
        candidates, walked, config, engine=engine, overrides=overrides, named=paths
    )


def validate_walked(
    candidates: Sequence[Candidate],
    walked: list[Finding],
    config: Config,
    *,
    engine: str = "auto",
    overrides: Mapping[str, Any] | None = None,
    named: Sequence[Path] = (),
    on_file: Callable[[str], None] | None = None,
) -> ValidateResult:
    """Validate what the walk found (walked: its findings), loading only what must be.

    Unchanged files come from the cache and are not parsed. Files in `named` are read as
    manifests (see named_not_manifests).
    """
    # Loading pauses the cyclic GC; turned back on, its first passes would rescan every loaded
    # value while we map kubeconform's results (5,000 resources: 0.10 s of 0.14 s after it).
    # Nothing here builds cycles: reference counting frees what the run drops.

    run = _Run(config, engine, dict(overrides or {}), on_file)
    with collector_paused():
        return _validate_walked(list(candidates), walked, named, run)


@dataclass(frozen=True, slots=True)
class _Run:
    config: Config
    engine: str
    overrides: dict[str, Any]
    on_file: Callable[[str], None] | None


def _validate_walked(
    candidates: list[Candidate], walked: list[Finding], named: Sequence[Path], run: _Run
) -> ValidateResult:

    started = time.perf_counter()
    config, root = run.config, run.config.root
    options = from_config(config, **run.overrides)
    load_opts = config.load_options()
    backend = pick_backend(run.engine, options, config)
    files = [_fingerprint(c, root) for c in candidates]
    crd_loaded = _load([f for f in files if f.defines_crds], root, load_opts, run.on_file)
    store = make_store(crds_for(crd_loaded.resources, options, config), options)
    cache = FileCache(
        _key(backend, store, options, load_opts),
        enabled=options.cache and not options.schema_locations,
        root=options.cache_dir,
    )
    hits = {f.candidate.rel: e for f in files if (e := _hit(cache, f)) is not None}
    todo = [f for f in files if f.candidate.rel not in hits and not f.defines_crds]
    pending = _start(backend, store, root, [f for f in files if f.candidate.rel not in hits])
    loaded = _load(todo, root, load_opts, run.on_file)
    loaded.extend(crd_loaded)
    result = _validate(loaded, walked, store, backend, options, pending)
    _remember(cache, files, loaded, result)
    _merge(result, hits.values())
    not_manifests = named_not_manifests(named, loaded, root)
    load_findings = sorted(loaded.findings, key=_by_path)
    checked = missing.summarise(sorted(result.findings, key=_by_path))
    result.findings = walked + load_findings + not_manifests + checked
    result.config = config
    result.summary.seconds = time.perf_counter() - started
    return result


def _fingerprint(candidate: Candidate, root: Path) -> _File:

    if skip_reason(candidate.rel, root) is not None:
        return _File(candidate, None)
    try:
        data = candidate.path.read_bytes()
    except OSError:
        return _File(candidate, None)

    return _File(candidate, sha256(data).hexdigest(), _CRD_MARK in data)


def _load(
    files: list[_File],
    root: Path,
    options: LoadOptions,
    on_file: Callable[[str], None] | None = None,
) -> LoadResult:

    if not files:
        return LoadResult(root=root)
    # As the walk found them (a link named as itself), not walked again.
    candidates = [f.candidate for f in files]
    return load_walked(candidates, [], root=root, options=options, on_file=on_file)


def _key(backend: Backend, store: SchemaStore, options: ValidateOptions, load: LoadOptions) -> str:

    broken = [mapping.crd_problem(c).to_json() for c in store.crds if c.problem is not None]
    return settings_key(
        {
            "version": __version__,
            "backend": backend.name,
            "k8s": store.k8s_dir.name,
            "crds": store.crd_dir.name,
            "broken": sorted(broken, key=str),
            "options": options.fingerprint(),
            "strict": options.strict,
            "skip": sorted(options.skip_kinds),
            "reject": sorted(options.reject_kinds),
            "ignoreMissing": options.ignore_missing_schemas,
            "load": repr(load),
        }
    )


def _hit(cache: FileCache, f: _File) -> Entry | None:
    if f.defines_crds or f.sha is None:
        return None
    return cache.get(f.candidate.rel, f.sha)


def _start(backend: Backend, store: SchemaStore, root: Path, files: list[_File]) -> Pending | None:
    """kubeconform on the user's own files, started now so it works while we load them."""
    direct = {f.candidate.rel: root / f.candidate.rel for f in files if f.sha is not None}
    if backend.name != "kubeconform" or not direct:  # its module is not imported for nothing
        return None

    kubeconform = cast(KubeconformBackend, backend)
    store.prepare_all()  # once per Kubernetes version: kinds are not known before loading
    return kubeconform.start(store, direct)


def _validate(
    loaded: LoadResult,
    walked: list[Finding],
    store: SchemaStore,
    backend: Backend,
    options: ValidateOptions,
    pending: Pending | None,
) -> ValidateResult:

    if pending is not None:
        # Where the loader objected (a duplicate key: which value wins?), trust our own parse.
        for f in loaded.findings:
            if f.path is not None:
                pending.files.pop(f.path, None)
    findings, summary = check(loaded.resources, store, backend, options, pending=pending)
    return ValidateResult(None, loaded, findings, summary)


def _remember(
    cache: FileCache, files: list[_File], loaded: LoadResult, result: ValidateResult
) -> None:
    if not cache.enabled:
        return
    found: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in [*loaded.findings, *result.findings]:
        found[finding.path].append(finding)
    records = {r.path: r for r in loaded.files}
    for f in files:
        rel = f.candidate.rel
        record = records.get(rel)
        if f.sha is None or f.defines_crds or record is None:
            continue
        # A run that failed for this file (kubeconform crashed) must run again next time.
        if any(x.rule == "schema-error" for x in found[rel]):
            continue
        counts = dict(result.summary.by_file.get(rel, {}))
        cache.put(rel, f.sha, Entry(record, found[rel], counts))
    cache.save()


def _merge(result: ValidateResult, hits: Any) -> None:
    summary = result.summary
    for entry in hits:
        summary.add(entry.counts)
        summary.cached += entry.counts.get("resources", 0)
        summary.unchanged_files += 1
        result.loaded.files.append(entry.record)
        for f in entry.findings:
            (result.loaded.findings if f.check == "load" else result.findings).append(f)
    result.loaded.files.sort(key=lambda r: r.path)


def _by_path(f: Finding) -> str:
    return f.path or ""


def named_not_manifests(paths: Sequence[Path], loaded: LoadResult, root: Path) -> list[Finding]:
    """A file named on the command line is meant as manifests, as kubeconform takes it.

    Walking a repo, YAML without apiVersion and kind (values.yaml, cloudbuild.yaml) is other
    YAML and left alone; named explicitly, it is an error like kubeconform's.
    """

    named = {_rel(p, root) for p in paths if p.is_file()}
    out = []
    for record in loaded.files:
        if record.path not in named or record.kind is not FileKind.OTHER_YAML:
            continue
        text = (root / record.path).read_text(encoding="utf-8", errors="replace")
        for doc in parse(text, record.path):
            body = doc.value
            if body is None:
                continue
            missing = "kind" if not (isinstance(body, dict) and body.get("kind")) else "apiVersion"
            out.append(
                Finding(
                    f"missing-{missing.lower()}",
                    Severity.ERROR,
                    f"missing '{missing}' key (named on the command line, so read as manifests)",
                    "load",
                    record.path,
                    doc.node.start_mark.line + 1,
                )
            )
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
