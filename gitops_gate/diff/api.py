"""The diff library API: base vs head of the affected environments, and one env vs another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_gate.config import Config, load_config
from gitops_gate.diff.compare import EnvDiff, compare
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph import RepoGraph, build
from gitops_gate.graph.scan import scan
from gitops_gate.render import RenderCache, RenderedEnv, RenderSettings, Target, pick, render_many


@dataclass(slots=True)
class DiffResult:
    """Every environment's diff, and what kept any of them from being compared."""

    before: str
    after: str
    envs: list[EnvDiff] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # environments not affected

    @property
    def has_diff(self) -> bool:
        return any(e.changes for e in self.envs)

    def to_json(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "hasDiff": self.has_diff,
            "environments": [e.to_json() for e in self.envs],
            "notCompared": self.skipped,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class _Side:
    root: Path
    config: Config
    graph: RepoGraph


def _side(root: Path, config_path: Path | None) -> _Side:
    config = load_config(root, config_path)
    return _Side(root, config, build(scan(root, config), config))


def settings_of(config: Config) -> tuple[RenderSettings, tuple[str, ...]]:
    raw = config.raw.get("diff") if isinstance(config.raw.get("diff"), dict) else {}
    raw = raw or {}
    settings = RenderSettings(
        helm=bool(raw.get("helm", False)), timeout=float(raw.get("timeout", 120))
    )
    return settings, tuple(str(p) for p in raw.get("ignorePaths") or ())


def diff_refs(
    *,
    root: Path,
    base: str,
    head: str = "HEAD",
    config_path: Path | None = None,
    environments: Sequence[str] = (),
    all_environments: bool = False,
    use_cache: bool = True,
    on_done: Callable[[str], None] | None = None,
) -> DiffResult:
    """Render the environments a change between base and head affects, at both, and compare."""
    from gitops_gate import gitrefs

    repo = gitrefs.open_repo(root)
    top = Path(str(repo.working_tree_dir)).resolve()
    sub = root.resolve().relative_to(top)
    base_sha, head_sha = gitrefs.resolve(repo, base), gitrefs.resolve(repo, head)
    changed = [_under(p, sub) for p in gitrefs.changed_files(repo, base_sha, head_sha)]
    with ExitStack() as stack:
        left = _side(
            stack.enter_context(gitrefs.worktree(repo, base_sha)) / sub, _rel(config_path, root)
        )
        right = _side(
            stack.enter_context(gitrefs.worktree(repo, head_sha)) / sub, _rel(config_path, root)
        )
        names = _pick(left, right, [c for c in changed if c], environments, all_environments)
        result = DiffResult(
            base, head, skipped=[e.name for e in right.config.environments if e.name not in names]
        )
        _run(result, left, right, [(n, n) for n in names], use_cache, on_done)
    return result


def _under(path: str, sub: Path) -> str:
    if str(sub) in ("", "."):
        return path
    prefix = sub.as_posix() + "/"
    return path[len(prefix) :] if path.startswith(prefix) else ""


def _rel(config_path: Path | None, root: Path) -> Path | None:
    """The config file's place inside a checkout of the same repo."""
    return None if config_path is None else config_path.resolve().relative_to(root.resolve())


def _pick(
    left: _Side, right: _Side, changed: list[str], wanted: Sequence[str], every: bool
) -> list[str]:
    known = [e.name for e in right.config.environments]
    known += [e.name for e in left.config.environments if e.name not in known]
    for name in wanted:
        if name not in known:
            raise UsageError(
                f"unknown environment {name!r}", hint=f"use one of: {', '.join(known)}"
            )
    if wanted:
        return list(wanted)
    if every:
        return known
    hit = set(left.graph.affected_environments(changed)) | set(
        right.graph.affected_environments(changed)
    )
    return [n for n in known if n in hit]


def _run(
    result: DiffResult,
    left: _Side,
    right: _Side,
    pairs: list[tuple[str, str]],
    use_cache: bool,
    on_done: Callable[[str], None] | None,
) -> None:
    renderer = pick(right.config)
    settings, ignore = settings_of(right.config)
    targets: list[Target | None] = []
    for a, b in pairs:
        targets += [_target(left, a), _target(right, b)]
    cache = RenderCache() if use_cache else None
    real = [t for t in targets if t is not None]
    rendered = iter(render_many(real, renderer, settings, cache=cache, on_done=on_done))
    outs = [next(rendered) if t is not None else None for t in targets]
    for i, (a, b) in enumerate(pairs):
        env = right.config.environment(b) or left.config.environment(b)
        result.envs.append(
            _env_diff(
                b if a == b else f"{a} -> {b}",
                result,
                outs[2 * i],
                outs[2 * i + 1],
                bool(env and env.production),
                ignore,
            )
        )


def _target(side: _Side, name: str) -> Target | None:
    env = side.config.environment(name)
    return Target(env, side.root, side.graph) if env is not None else None


def _env_diff(
    name: str,
    result: DiffResult,
    before: RenderedEnv | None,
    after: RenderedEnv | None,
    production: bool,
    ignore: Sequence[str],
) -> EnvDiff:
    out = EnvDiff(name, result.before, result.after, production)
    for side, label in ((before, result.before), (after, result.after)):
        if side is None:
            continue
        for f in side.findings:
            out.findings.append(_at(f, label) if side is before and before is not after else f)
    failed = [r for r in (before, after) if r is not None and r.failed]
    if failed or (before is not None and after is not None and before.key == after.key):
        return out  # not comparable, or the same inputs rendered once: nothing changed
    out.changes = compare(
        before.objects if before else {}, after.objects if after else {}, ignore=ignore
    )
    return out


def _at(f: Finding, label: str) -> Finding:
    return Finding(f.rule, f.severity, f"at {label}: {f.message}", f.check, f.path, f.line)


def diff_environments(
    *,
    root: Path,
    from_env: str,
    to_env: str,
    ref: str | None = None,
    config_path: Path | None = None,
    use_cache: bool = True,
) -> DiffResult:
    """What promoting from_env to to_env would change, on one ref (default: the work tree)."""
    with ExitStack() as stack:
        where = root
        if ref is not None:
            from gitops_gate import gitrefs

            repo = gitrefs.open_repo(root)
            top = Path(str(repo.working_tree_dir)).resolve()
            wt = stack.enter_context(gitrefs.worktree(repo, gitrefs.resolve(repo, ref)))
            where = wt / root.resolve().relative_to(top)
            config_path = _rel(config_path, root)
        side = _side(
            where, config_path if ref is None else (where / config_path if config_path else None)
        )
        for name in (from_env, to_env):
            if side.config.environment(name) is None:
                known = ", ".join(e.name for e in side.config.environments) or "none"
                raise UsageError(f"unknown environment {name!r}", hint=f"use one of: {known}")
        result = DiffResult(from_env, to_env)
        _run(result, side, side, [(from_env, to_env)], use_cache, None)
        result.envs[0].env = to_env
    return result


def fail_level_findings(result: DiffResult) -> list[Finding]:
    return [f for e in result.envs for f in e.findings if f.severity >= Severity.ERROR]
