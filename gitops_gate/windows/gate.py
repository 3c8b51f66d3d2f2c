"""The gate's use of windows: findings for environments a change reaches while they are closed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from gitops_gate.findings import Finding, Severity
from gitops_gate.graph.shared import SharedGraph, shared_for
from gitops_gate.windows.drift import dst_findings
from gitops_gate.windows.evaluate import Decision, State, decide
from gitops_gate.windows.model import SyncWindow
from gitops_gate.windows.notes import note_findings
from gitops_gate.windows.sources import CHECK, Windows, collect
from gitops_gate.windows.when import format_moment

if TYPE_CHECKING:
    from gitops_gate.config import Config, Environment
    from gitops_gate.manifests.model import Resource

BLOCKED = "window-blocked"
MANUAL_ONLY = "window-manual-only"
OVERRIDDEN = "window-override"
_ARGO_KINDS = frozenset({"AppProject", "Application", "ApplicationSet"})


def gate_findings(
    config: Config,
    resources: Sequence[Resource],
    environments: Sequence[str],
    *,
    at: datetime,
    override: str | None = None,
) -> list[Finding]:
    """For each affected environment closed at `at`: `blocked by window <name> until <time>`.

    A failure (ERROR) where `windows.failOn` says so (production environments by default),
    a WARNING elsewhere. With an override reason the block becomes an INFO finding that
    records the reason. An environment open only to manual syncs gets an INFO finding.
    Raises ConfigError for a bad window in .gitops-gate.yaml.
    """
    return blocked_findings(config, collect(config, resources), environments, at, override)


def blocked_findings(
    config: Config,
    windows: Windows,
    environments: Sequence[str],
    at: datetime,
    override: str | None = None,
) -> list[Finding]:
    """gate_findings over windows already collected."""
    findings = []
    for name in environments:
        env = config.environment(name)
        if env is None:
            continue
        decision = environment_decision(windows, env, at)
        finding = _finding(config, env, decision, override)
        if finding is not None:
            findings.append(finding)
    return findings


def environment_decision(windows: Windows, env: Environment, at: datetime) -> Decision:
    """The state of a whole environment: the most restrictive of what syncs in it."""
    return decide(windows.groups(windows.targets_of(env)), at)


def check(
    config: Config,
    resources: Sequence[Resource],
    *,
    changed: Sequence[str] | None = None,
    at: datetime | None = None,
    override: str | None = None,
    base_projects: Sequence[Resource] | None = None,
    head_config: Config | None = None,
    graph: SharedGraph | None = None,
) -> list[Finding]:
    """The `windows` check: bad AppProject windows, then every environment the change (the
    repo-relative files changed; None for a whole tree) reaches, judged at `at` (now).

    base_projects are the AppProjects as the change's base ref has them (and config its
    config): their windows judge the change (sources.collect), not the ones it leaves; the
    deny windows head_config (the work tree's) adds judge it too. graph: the run's read of
    the repo, when another step made it already.
    """
    shared = shared_for(config, graph) if changed else None
    repo = shared.scan() if shared else None
    # The AppProjects and Applications that decide a reached environment's windows are
    # often outside the files checked (a hook checks the change): the repo's own count too,
    # though what is wrong with them is reported when they are checked themselves.
    checked = {r.path for r in resources}
    elsewhere = [
        r for r in (repo.resources if repo else []) if r.path not in checked and _decides(r)
    ]
    windows = collect(config, [*resources, *elsewhere], base_projects, head_config)
    reached = shared.graph().affected_environments(changed) if shared and changed else []
    at = at or datetime.now(UTC)
    blocked = blocked_findings(config, windows, reached, at, override)
    others = {r.path for r in elsewhere}
    found = [*windows.findings, *note_findings(windows.all), *dst_findings(windows.all, at)]
    return [*(f for f in found if f.path not in others), *blocked]


def _decides(res: Resource) -> bool:
    return res.key.group == "argoproj.io" and res.key.kind in _ARGO_KINDS


def fails_on(config: Config, env: Environment) -> bool:
    """`windows.failOn`: production (default), all, none, or a list of environment names."""
    setting = config.windows.fail_on
    if isinstance(setting, tuple):
        return env.name in setting or ("production" in setting and env.production)
    return setting == "all" or (setting == "production" and env.production)


def override_label(config: Config) -> str:
    """The pull-request label that overrides a closed window in PR mode."""
    return config.windows.override_label


def _finding(
    config: Config, env: Environment, decision: Decision, override: str | None
) -> Finding | None:
    if decision.state is State.ALLOWED or not decision.deciding:
        return None
    window = decision.deciding[0]
    until = _until(decision, window)
    named = _names(decision.deciding)
    extra = {
        "environment": env.name,
        "state": decision.state.value,
        "windows": [w.name for w in decision.deciding],
        "until": decision.until.isoformat() if decision.until else None,
    }
    path, line, key = window.origin.path, window.origin.line, window.origin.resource
    if decision.state is State.MANUAL_ONLY:
        verb = "allows" if len(decision.deciding) == 1 else "allow"
        message = f"{env.name}: {named} {verb} only manual syncs {until}"
        return Finding(MANUAL_ONLY, Severity.INFO, message, CHECK, path, line, key, extra=extra)
    blocked = f"blocked by {named} {until}"
    if override is not None:
        message = f"{env.name}: {blocked}; overridden: {override}"
        extra["override"] = override
        return Finding(OVERRIDDEN, Severity.INFO, message, CHECK, path, line, key, extra=extra)
    severity = Severity.ERROR if fails_on(config, env) else Severity.WARNING
    hint = " (pass --override REASON to deploy anyway)" if severity is Severity.ERROR else ""
    message = f"{env.name}: {blocked}{hint}"
    return Finding(
        BLOCKED, severity, message, CHECK, path, line, window.origin.resource, extra=extra
    )


def _names(windows: Sequence[SyncWindow]) -> str:
    names = [w.name for w in windows]
    return f"window {names[0]}" if len(names) == 1 else "windows " + ", ".join(names)


def _until(decision: Decision, window: SyncWindow) -> str:
    if decision.until is None:
        return "with no change in the next year"
    return "until " + format_moment(decision.until, window.zone)
