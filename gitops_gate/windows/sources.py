"""Where windows come from: AppProjects in the repo and environments in .gitops-gate.yaml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from gitops_gate.config.appset import expand, is_appset
from gitops_gate.config.argo_envs import cluster_secret
from gitops_gate.config.trees import Repo
from gitops_gate.errors import ConfigError
from gitops_gate.findings import Finding, Severity
from gitops_gate.windows.match import Target
from gitops_gate.windows.model import ARGO, CONFIG, Origin, SyncWindow, WindowError, parse_window

if TYPE_CHECKING:
    from gitops_gate.config import Config, Environment
    from gitops_gate.manifests.model import Resource

RULE = "sync-windows"
CHECK = "windows"
_FLUX_KINDS = {
    ("kustomize.toolkit.fluxcd.io", "Kustomization"),
    ("helm.toolkit.fluxcd.io", "HelmRelease"),
}


@dataclass(frozen=True, slots=True)
class Windows:
    """Every valid window of a repo, what they may apply to, and what was wrong with the rest."""

    project_windows: dict[str, tuple[SyncWindow, ...]]
    environment_windows: dict[str, tuple[SyncWindow, ...]]
    targets: tuple[Target, ...]
    findings: tuple[Finding, ...] = ()

    def for_target(self, target: Target) -> tuple[SyncWindow, ...]:
        """The windows that match one Application (or Flux object, or environment)."""
        candidates = list(self.project_windows.get(target.project or "", ()))
        for env in target.environments:
            candidates += self.environment_windows.get(env, ())
        return tuple(w for w in candidates if w.applies_to(target))

    def targets_of(self, environment: Environment) -> list[Target]:
        """What syncs in an environment; the environment itself when nothing in it does."""
        found = [t for t in self.targets if environment.name in t.environments]
        return found or [environment_target(environment)]

    def groups(self, targets: Sequence[Target]) -> list[tuple[SyncWindow, ...]]:
        return [self.for_target(t) for t in targets]

    @property
    def all(self) -> list[SyncWindow]:
        every = [*self.project_windows.values(), *self.environment_windows.values()]
        return [w for ws in every for w in ws]


def collect(
    config: Config,
    resources: Sequence[Resource],
    base_projects: Sequence[Resource] | None = None,
    head_config: Config | None = None,
) -> Windows:
    """Read every window; a bad one in config raises ConfigError, in an AppProject a Finding.

    With base_projects (the AppProjects as a checked change's base ref has them), projects'
    windows are the base's: a change cannot open a window by editing or deleting one. What
    the change adds only where it restricts: every window of a project new in it, and the deny
    windows it adds to an existing one, or (head_config: the work tree's config, when config
    is the base's) to an environment.
    """
    projects: dict[str, tuple[SyncWindow, ...]] = {}
    findings: list[Finding] = []
    for res in _app_projects(resources):
        windows, found = project_windows(res)
        projects[res.key.name] = projects.get(res.key.name, ()) + windows
        findings += found
    if base_projects is not None:
        projects = _stricter(base_projects, resources)
    envs = {e.name: environment_windows(config, e) for e in config.environments}
    if head_config is not None:
        for env in config.environments:
            envs[env.name] += _added_denies(env, head_config)
    targets = tuple(t for res in resources if (t := _target(res, config)) is not None)
    targets += generated_targets(config, resources)
    return Windows(projects, envs, targets, tuple(findings))


def generated_targets(config: Config, resources: Sequence[Resource]) -> tuple[Target, ...]:
    """The Applications the repo's ApplicationSets would make: their projects' windows judge
    the environments their sources are in."""
    appsets = [r for r in resources if is_appset(r.body)]
    if not appsets:
        return ()
    repo = Repo.listed(config.root, config.exclude)
    clusters = [c for r in resources if (c := cluster_secret(r.body)) is not None]
    out = []
    for res in appsets:
        for made in expand(res, repo, config.root, clusters)[0]:
            spec = _mapping(made.body.get("spec"))
            meta = _mapping(made.body.get("metadata"))
            dest = _mapping(spec.get("destination"))
            # Only its sources place it: the ApplicationSet's file makes it for every element.
            envs = _environments_of(config, None, _source_paths(spec))
            out.append(
                Target(
                    name=str(meta.get("name") or ""),
                    namespace=str(dest.get("namespace") or ""),
                    cluster_name=str(dest.get("name") or ""),
                    cluster_server=str(dest.get("server") or ""),
                    project=str(spec.get("project") or "default"),
                    environments=envs,
                    path=res.path,
                )
            )
    return tuple(out)


def _app_projects(resources: Sequence[Resource]) -> list[Resource]:
    return [r for r in resources if r.key.group == "argoproj.io" and r.key.kind == "AppProject"]


def _stricter(
    base: Sequence[Resource], head: Sequence[Resource]
) -> dict[str, tuple[SyncWindow, ...]]:
    """The base's project windows, plus the head's that can only restrict."""
    projects: dict[str, tuple[SyncWindow, ...]] = {}
    before: dict[str, list[Any]] = {}
    for res in _app_projects(base):
        projects[res.key.name] = projects.get(res.key.name, ()) + project_windows(res)[0]
        before.setdefault(res.key.name, []).extend(raw_windows(res))
    for res in _app_projects(head):
        known = before.get(res.key.name)
        raw = raw_windows(res)
        added = {
            i for i, w in enumerate(raw)
            if known is None or (_is_deny(w) and w not in known)
        }  # fmt: skip
        if added:
            windows = project_windows(res, only=added)[0]
            projects[res.key.name] = projects.get(res.key.name, ()) + windows
    return projects


def _added_denies(env: Environment, head: Config) -> tuple[SyncWindow, ...]:
    """The deny windows head's config gives env that its own config does not."""
    now = head.environment(env.name)
    if now is None:
        return ()
    added = {i for i, w in enumerate(now.sync_windows) if _is_deny(w) and w not in env.sync_windows}
    return environment_windows(head, now, only=added) if added else ()


def _is_deny(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("kind") == "deny"


def raw_windows(res: Resource) -> list[Any]:
    """An AppProject's spec.syncWindows as written; [] when it has none (or not a list)."""
    spec = res.body.get("spec")
    raw = spec.get("syncWindows") if isinstance(spec, dict) else None
    return raw if isinstance(raw, list) else []


def project_windows(
    res: Resource, only: set[int] | None = None
) -> tuple[tuple[SyncWindow, ...], list[Finding]]:
    """The valid windows of one AppProject (those at the indexes only names, if given), and
    a finding for each invalid one."""
    spec = res.body.get("spec")
    raw = spec.get("syncWindows") if isinstance(spec, dict) else None
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [_finding(res, "/spec/syncWindows", "spec.syncWindows must be a list")]
    windows, findings = [], []
    for i, entry in enumerate(raw):
        if only is not None and i not in only:
            continue
        pointer = f"/spec/syncWindows/{i}"
        origin = Origin(res.path, res.line_of(pointer), pointer, res.key)
        try:
            windows.append(
                parse_window(
                    entry, name=f"appproject/{res.key.name}#{i}", origin=origin, dialect=ARGO
                )
            )
        except WindowError as e:
            where = f"{pointer}/{e.field}" if e.field else pointer
            message = f"sync window {i} of AppProject {res.key.name}: {e.message}"
            findings.append(_finding(res, where, message + (f" ({e.hint})" if e.hint else "")))
    return tuple(windows), findings


def environment_windows(
    config: Config, env: Environment, only: set[int] | None = None
) -> tuple[SyncWindow, ...]:
    """The windows an environment declares in .gitops-gate.yaml (those at the indexes only
    names, if given); ConfigError if one is wrong."""
    out = []
    for i, entry in enumerate(env.sync_windows):
        if only is not None and i not in only:
            continue
        pointer = f"/environments/{env.name}/syncWindows/{i}"
        path, line = config.locate(pointer)
        origin = Origin(path, line, pointer)
        try:
            out.append(
                parse_window(entry, name=f"env/{env.name}#{i}", origin=origin, dialect=CONFIG)
            )
        except WindowError as e:
            where = f"{pointer}/{e.field}" if e.field else pointer
            path, line = config.locate(where)
            raise ConfigError(
                path, line, f"syncWindows[{i}] of {env.name}: {e.message}", hint=e.hint
            ) from e
    return tuple(out)


def environment_target(env: Environment) -> Target:
    return Target(
        name=env.name, kind="Environment", cluster_name=env.cluster or "", environments=(env.name,)
    )


def _target(res: Resource, config: Config) -> Target | None:
    spec = _mapping(res.body.get("spec"))
    if res.key.group == "argoproj.io" and res.key.kind == "Application":
        dest = _mapping(spec.get("destination"))
        return Target(
            name=res.key.name,
            namespace=str(dest.get("namespace") or ""),
            cluster_name=str(dest.get("name") or ""),
            cluster_server=str(dest.get("server") or ""),
            project=str(spec.get("project") or "default"),
            environments=_environments_of(config, res.path, _source_paths(spec)),
            path=res.path,
        )
    if (res.key.group, res.key.kind) in _FLUX_KINDS:
        envs = _environments_of(config, res.path, [])
        cluster = next((e.cluster for e in config.environments if e.name in envs and e.cluster), "")
        namespace = spec.get("targetNamespace") or res.key.namespace or ""
        return Target(
            name=res.key.name,
            kind=res.key.kind,
            namespace=str(namespace),
            cluster_name=cluster or "",
            environments=envs,
            path=res.path,
        )
    return None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _source_paths(spec: dict[str, Any]) -> list[str]:
    many = spec.get("sources")
    sources = [spec.get("source"), *(many if isinstance(many, list) else [])]
    return [str(s["path"]) for s in sources if isinstance(s, dict) and s.get("path")]


def _environments_of(config: Config, rel: str | None, sources: list[str]) -> tuple[str, ...]:
    """Environments holding the file itself (rel), or a path the Application deploys from."""
    names = []
    for env in config.environments:
        held = rel is not None and env.contains(rel)
        if held or any(env.contains(PurePosixPath(p).as_posix()) for p in sources):
            names.append(env.name)
    return tuple(names)


def _finding(res: Resource, pointer: str, message: str) -> Finding:
    return Finding(RULE, Severity.ERROR, message, CHECK, res.path, res.line_of(pointer), res.key)
