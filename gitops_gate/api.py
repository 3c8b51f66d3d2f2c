"""The library API the CLI, hooks and other programs call: `check` and its result."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from gitops_gate import gitrefs
from gitops_gate.basegate import GateBase, read_base
from gitops_gate.checks import (
    DEFAULT_CHECKS,
    REGISTRY,
    CheckContext,
    Forked,
    run_checks,
    secret_files,
    start_secrets,
)
from gitops_gate.config import Config, find_root, load_config
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding, gate_fails
from gitops_gate.graph.shared import SharedGraph, shared_for
from gitops_gate.manifests.loader import LoadResult, load_walked
from gitops_gate.manifests.model import Resource
from gitops_gate.manifests.walk import Candidate, walk
from gitops_gate.policy.options import PolicyOptions
from gitops_gate.redact import from_bodies
from gitops_gate.report.json import counts, findings_json
from gitops_gate.secrets import not_repeated
from gitops_gate.validate.paths import named_not_manifests, validate_walked

if TYPE_CHECKING:
    from gitops_gate.validate.run import Summary


@dataclass(slots=True)
class CheckResult:
    """What one `check` run found, and over what."""

    config: Config
    loaded: LoadResult
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    checks: tuple[str, ...] = ()
    changed: tuple[str, ...] | None = None
    # The schema check's counts, when it ran alone (as `gitops-gate validate` runs it).
    schema: Summary | None = None

    @property
    def failed(self) -> bool:
        return gate_fails(self.findings, self.config.fail_level)

    @property
    def resources(self) -> int:
        """Resources checked; with the schema alone, those of files it did not parse too."""
        return self.schema.resources if self.schema is not None else len(self.loaded.resources)

    def to_json(self) -> dict[str, Any]:

        return {
            "root": str(self.config.root),
            "failLevel": self.config.fail_level.label,
            "passed": not self.failed,
            "counts": counts(self.findings),
            "findings": findings_json(self.findings),
            "files": [f.to_json() for f in self.loaded.files],
            "resources": self.resources,
            "checks": ["load", *self.checks],
            "changed": list(self.changed) if self.changed is not None else None,
        }


@dataclass(frozen=True, slots=True)
class _Request:
    """One run's settings, resolved: what every stage after the walk reads."""

    config: Config
    paths: tuple[Path, ...]
    checks: tuple[str, ...]
    engines: dict[str, str]
    schema_options: dict[str, Any]
    policy_options: PolicyOptions | None
    named: tuple[Path, ...]
    changed: tuple[str, ...] | None
    at: datetime | None
    override: str | None
    base_ref: str | None
    on_file: Callable[[str], None] | None
    base: GateBase | None = None
    graph: SharedGraph | None = None

    def context(
        self, loaded: LoadResult, base_projects: tuple[Resource, ...] | None = None
    ) -> CheckContext:
        return CheckContext(
            config=self.config,
            loaded=loaded,
            paths=self.paths,
            engines=self.engines,
            changed=self.changed,
            at=self.at,
            override=self.override,
            base_ref=self.base_ref,
            schema_options=self.schema_options,
            policy_options=self.policy_options,
            waivers_text=self.base.waivers_text if self.base is not None else ...,
            base_projects=base_projects,
            head_config=self.base.head if self.base is not None else None,
            graph=self.graph,
        )

    def walk_paths(self) -> list[Path]:
        """The paths to walk; with a base ref, the change's own files in them too, named one
        by one: a .gitignore the change adds cannot hide them from the gate (the base's
        `exclude` still applies)."""
        root = self.config.root
        given = list(self.paths) or [root]
        if self.base is None or not self.changed:
            return given
        scope = self.scope()
        return given + [
            root / rel
            for rel in self.changed
            if any(d == "." or rel == d or rel.startswith(f"{d}/") for d in scope)
            and (root / rel).is_file()
        ]

    def scope(self) -> list[str]:
        """The folders (and files) checked, relative to the root."""
        root = self.config.root
        found = [Path(os.path.abspath(p)) for p in self.paths or [root]]  # noqa: PTH100
        return [p.relative_to(root).as_posix() for p in found if p.is_relative_to(root)]


def check(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    root: Path | None = None,
    checks: Sequence[str] = DEFAULT_CHECKS,
    engines: Mapping[str, str] | None = None,
    schema_options: Mapping[str, Any] | None = None,
    policy_options: PolicyOptions | None = None,
    named_are_manifests: bool = False,
    base_ref: str | None = None,
    changed: Sequence[str] | None = None,
    at: datetime | None = None,
    override: str | None = None,
    fork_secrets: bool = False,
    on_file: Callable[[str], None] | None = None,
    graph: SharedGraph | None = None,
) -> CheckResult:
    """Load every manifest under paths and run the checks over them.

    A path that does not exist, or a file that is not valid YAML, is a `load` finding that
    fails the gate, whichever checks run. `engines` picks a check's engine (schema, policy);
    `schema_options` overrides `.gitops-gate.yaml`'s `validate:` settings (ValidateOptions'
    fields); with `named_are_manifests`, a YAML file named in paths without apiVersion and
    kind is an error, as kubeconform has it. The schema check alone skips unchanged files.

    The change is `changed` (repo-relative files) when given, else the files that differ from
    base_ref, else files named one by one (as pre-commit passes staged files): sync windows
    gate the environments it reaches, and secrets are looked for in its files. base_ref is
    also where everything that configures the gate is read from (basegate): the config, the
    policies, the waivers file, the secrets baseline and AppProjects' sync windows; the
    change's own edits of them are `gate-changed` (and `policy-changed`) findings.

    `fork_secrets` runs the secrets scan in forked children, on cores of their own: a choice
    for a program that owns its process (the CLI does), never made for the caller.

    The repo's graph is read once for every check that needs it; `graph` is one the caller
    read already (a hook's selection), taken when it was made with the same environments and
    limits as the config the checks use, else ignored.
    """
    started = time.perf_counter()
    unknown = [name for name in checks if name not in REGISTRY]
    if unknown:
        raise UsageError(f"unknown check {unknown[0]!r}", hint=f"use one of: {', '.join(REGISTRY)}")
    root = (root or find_root(paths, config_path)).resolve()
    base = read_base(root, base_ref, config_path) if base_ref is not None else None
    config = base.config if base is not None else load_config(root, config_path)
    request = _Request(
        config=config,
        paths=tuple(paths),
        checks=tuple(checks),
        engines=dict(engines or {}),
        schema_options=dict(schema_options or {}),
        policy_options=policy_options,
        named=tuple(paths) if named_are_manifests else (),
        changed=(
            _named_change(changed) if changed is not None else _changed_files(root, paths, base_ref)
        ),
        at=at,
        override=override,
        base_ref=base_ref,
        on_file=on_file,
        base=base,
        graph=shared_for(config, graph),
    )
    options = config.load_options()
    walked = walk(request.walk_paths(), root, exclude=options.exclude, gitignore=options.gitignore)
    if request.checks == ("schema",):
        result = _schema_alone(request, *walked)
    else:
        result = _every_check(request, *walked, fork_secrets=fork_secrets)
    # The one place findings leave the checks: no message shows a Secret's value or a token.
    # The same link can be refused by the walk and the secrets scan: shown once.
    docs = [*result.loaded.resources, *result.loaded.kustomizations]
    found = not_repeated(list(dict.fromkeys(result.findings)), result.loaded.findings)
    result.findings = from_bodies(d.body for d in docs).findings(found)
    result.seconds = time.perf_counter() - started
    return result


def _schema_alone(
    request: _Request, candidates: list[Candidate], walked: list[Finding]
) -> CheckResult:
    """The schema check by itself: unchanged files come from the file cache, never parsed
    (validate.paths)."""

    engine = request.engines.get("schema") or request.config.engine("schema")
    found = validate_walked(
        candidates,
        walked,
        request.config,
        engine=engine,
        overrides=request.schema_options,
        named=request.named,
        on_file=request.on_file,
    )
    gate = list(request.base.findings) if request.base is not None else []
    return CheckResult(
        request.config,
        found.loaded,
        [*gate, *found.findings],
        checks=request.checks,
        changed=request.changed,
        schema=found.summary,
    )


def _every_check(
    request: _Request, candidates: list[Candidate], walked: list[Finding], *, fork_secrets: bool
) -> CheckResult:
    config = request.config
    # The secrets scan needs only file names: its children start before the load.
    forked: dict[str, list[Forked]] = {}
    if fork_secrets and "secrets" in request.checks:
        files = secret_files(config, request.changed, [c.rel for c in candidates])
        forked["secrets"] = start_secrets(config, files)
    try:
        options = config.load_options()
        loaded = load_walked(
            candidates, walked, root=config.root, options=options, on_file=request.on_file
        )
        named = _named_not_manifests(request.named, loaded)
    except BaseException:
        for child in forked.get("secrets", []):
            child.stop()
        raise
    projects, gate = _base_projects(request, loaded)
    found = run_checks(request.context(loaded, projects), request.checks, forked)
    findings = [*loaded.findings, *named, *gate, *found]
    return CheckResult(config, loaded, findings, checks=request.checks, changed=request.changed)


def _base_projects(
    request: _Request, loaded: LoadResult
) -> tuple[tuple[Resource, ...] | None, list[Finding]]:
    """The base's AppProjects (whose windows judge the change), and the change's edits of
    them with the base's other gate-changed findings."""
    base = request.base
    if base is None:
        return None, []
    before, edits = base.projects(loaded.resources, request.changed or (), request.scope())
    return tuple(before), [*base.findings, *edits]


def _named_not_manifests(named: tuple[Path, ...], loaded: LoadResult) -> list[Finding]:
    if not named:
        return []

    return named_not_manifests(named, loaded, loaded.root)


def _named_change(changed: Sequence[str]) -> tuple[str, ...]:
    """Repo-relative files as given; one that would leave the repo is a usage error."""
    out = set()
    for name in changed:
        rel = PurePosixPath(name.replace(os.sep, "/"))
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise UsageError(
                f"--changed {name!r} is not a path inside the repository",
                hint="name files relative to the repository root",
            )
        out.add(rel.as_posix())
    return tuple(sorted(out))


def _changed_files(
    root: Path, paths: Sequence[Path], base_ref: str | None
) -> tuple[str, ...] | None:
    if base_ref is not None:
        repo = gitrefs.open_repo(root)
        base, head = gitrefs.resolve_all(repo, [base_ref, "HEAD"])
        return tuple(gitrefs.changed_files(repo, base, head))
    files = [Path(os.path.abspath(p)) for p in paths if p.is_file()]  # noqa: PTH100 - keep links
    if not files or len(files) != len(paths):
        return None
    return tuple(sorted(p.relative_to(root).as_posix() for p in files if p.is_relative_to(root)))
