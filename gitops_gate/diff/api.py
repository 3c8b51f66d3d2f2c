"""The diff library API: base vs head of the affected environments, and one env vs another."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_gate import gitrefs
from gitops_gate.config import CONFIG_NAME, Config, load_config
from gitops_gate.diff.compare import EnvDiff, compare
from gitops_gate.diff.normalize import secret_redactor
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph import RepoGraph, build
from gitops_gate.graph.scan import scan
from gitops_gate.graph.tree import scan_tree
from gitops_gate.render import (
    RenderCache,
    RenderedEnv,
    RenderQueue,
    RenderSettings,
    Target,
    pick,
)

if TYPE_CHECKING:
    from gitops_gate.gitrefs import Blobs, Repo, Snapshot


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

    @property
    def has_errors(self) -> bool:
        """A render was refused (a remote base, a path out of the repo...) or failed."""
        found = [*self.findings, *(f for e in self.envs for f in e.findings)]
        return any(f.severity is Severity.ERROR for f in found)

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
    source: Snapshot | None = None


def _side(root: Path, config_path: Path | None) -> _Side:
    config = load_config(root, config_path)
    return _Side(root, config, build(scan(root, config), config))


def _snapshot_side(snap: Snapshot, config: Config) -> _Side:
    """A side read from a commit's objects: nothing is written but the skeleton until needed."""
    return _Side(snap.root, config, build(scan_tree(snap, config), config), snap)


def _config_at(snap: Snapshot, config_rel: Path | None) -> Config:
    return load_config(snap.root, snap.root / config_rel if config_rel else None)


@contextmanager
def _at_ref(
    repo: Repo, sha: str, sub: Path, config_rel: Path | None, blobs: Blobs
) -> Iterator[Snapshot]:
    """The files of commit sha under sub, from its objects (no checkout)."""

    config = (config_rel or Path(CONFIG_NAME)).as_posix()
    with gitrefs.snapshot(repo, sha, _posix(sub), blobs=blobs, config=config) as snap:
        yield snap


def _posix(sub: Path) -> str:
    return "" if str(sub) in ("", ".") else sub.as_posix()


def settings_of(config: Config) -> tuple[RenderSettings, tuple[str, ...]]:
    section = config.diff
    return RenderSettings(helm=section.helm, timeout=section.timeout), section.ignore_paths


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

    repo = gitrefs.open_repo(root)
    sub = root.resolve().relative_to(repo.top.resolve())
    base_sha, head_sha = gitrefs.resolve_all(repo, [base, head])
    blobs = gitrefs.Blobs(repo)  # both refs share most blobs: each is read once
    config_rel = _rel(config_path, root)
    with ExitStack() as stack:
        before = stack.enter_context(_at_ref(repo, base_sha, sub, config_rel, blobs))
        after = stack.enter_context(_at_ref(repo, head_sha, sub, config_rel, blobs))
        changed = gitrefs.changed_between(before.files, after.files)
        left_config, right_config = _config_at(before, config_rel), _config_at(after, config_rel)
        _check_names(_known(left_config, right_config), environments)
        # How to render and what to ignore are the base's: a change cannot hide itself from
        # its own diff (diff.ignorePaths) or change how it is rendered.
        queue = stack.enter_context(_queue(left_config, use_cache, on_done))
        right = _snapshot_side(after, right_config)
        # What head alone says is needed starts rendering while the base's graph is built.
        for name in _needed_at_head(right, changed, environments, all_environments):
            if (target := _target(right, name)) is not None:
                queue.submit(target)
        left = _snapshot_side(before, left_config)
        names = _pick(left, right, changed, environments, all_environments)
        result = DiffResult(
            base, head, skipped=[e.name for e in right.config.environments if e.name not in names]
        )
        _run(result, left, right, [(n, n) for n in names], queue, settings=left.config)
    return result


def _queue(config: Config, use_cache: bool, on_done: Callable[[str], None] | None) -> RenderQueue:
    settings, _ = settings_of(config)
    cache = RenderCache() if use_cache else None
    return RenderQueue(lambda: pick(config), settings, cache=cache, on_done=on_done)


def _needed_at_head(
    right: _Side, changed: list[str], wanted: Sequence[str], every: bool
) -> list[str]:
    """Environments whose head render the diff needs whatever the base's graph says."""
    if wanted:
        return list(wanted)
    if every:
        return [e.name for e in right.config.environments]
    return right.graph.affected_environments(changed)


def _rel(config_path: Path | None, root: Path) -> Path | None:
    """The config file's place inside a checkout of the same repo."""
    return None if config_path is None else config_path.resolve().relative_to(root.resolve())


def _known(left: Config, right: Config) -> list[str]:
    known = [e.name for e in right.environments]
    return known + [e.name for e in left.environments if e.name not in known]


def _check_names(known: list[str], wanted: Sequence[str]) -> None:
    for name in wanted:
        if name not in known:
            raise UsageError(
                f"unknown environment {name!r}", hint=f"use one of: {', '.join(known)}"
            )


def _pick(
    left: _Side, right: _Side, changed: list[str], wanted: Sequence[str], every: bool
) -> list[str]:
    known = _known(left.config, right.config)
    _check_names(known, wanted)
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
    queue: RenderQueue,
    *,
    settings: Config,
) -> None:
    """Render and compare each pair; settings' diff section says what the comparison ignores,
    and its environments which are production."""
    _, ignore = settings_of(settings)
    queue.renderer  # noqa: B018 - a missing renderer is an error even with nothing to render
    targets: list[Target | None] = []
    for a, b in pairs:
        targets += [_target(left, a), _target(right, b)]
    keys = [queue.submit(t) if t is not None else None for t in targets]
    outs = [
        queue.result(k, t) if t is not None and k is not None else None
        for k, t in zip(keys, targets, strict=True)
    ]
    for i, (a, b) in enumerate(pairs):
        env = settings.environment(b) or right.config.environment(b) or left.config.environment(b)
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
    return Target(env, side.root, side.graph, side.source) if env is not None else None


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
    # A render's error may quote a value; hide those of every Secret either side rendered.
    rendered = (r.objects.values() for r in (before, after) if r is not None)
    out.findings = secret_redactor(*rendered).findings(out.findings)
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
        if ref is None:
            side = _side(root, config_path)
        else:
            repo = gitrefs.open_repo(root)
            sha, sub = gitrefs.resolve(repo, ref), root.resolve().relative_to(repo.top.resolve())
            config_rel = _rel(config_path, root)
            snap = stack.enter_context(_at_ref(repo, sha, sub, config_rel, gitrefs.Blobs(repo)))
            side = _snapshot_side(snap, _config_at(snap, config_rel))
        for name in (from_env, to_env):
            if side.config.environment(name) is None:
                known = ", ".join(e.name for e in side.config.environments) or "none"
                raise UsageError(f"unknown environment {name!r}", hint=f"use one of: {known}")
        result = DiffResult(from_env, to_env)
        queue = stack.enter_context(_queue(side.config, use_cache, None))
        _run(result, side, side, [(from_env, to_env)], queue, settings=side.config)
        result.envs[0].env = to_env
    return result
