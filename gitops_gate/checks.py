"""Runs the checks of `gitops-gate check` concurrently over one loaded repo."""

from __future__ import annotations

import dataclasses
import functools
import heapq
import os
import pickle
import posixpath
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import EllipsisType
from typing import Any

from gitops_gate.config import Config
from gitops_gate.deployed import on_deployed
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Resource
from gitops_gate.policy.options import PolicyOptions
from gitops_gate.policy.run import policy_findings
from gitops_gate.render.confine import screen
from gitops_gate.render.tree import DiskTree
from gitops_gate.secrets import secret_findings
from gitops_gate.validate import from_config, schema_findings
from gitops_gate.windows import check


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Everything a check may read; checks never reload the repo themselves."""

    config: Config
    loaded: LoadResult
    paths: tuple[Path, ...]
    engines: dict[str, str]
    # The repo-relative files that make up the change being checked: staged files, or what
    # differs from --base. None for a whole tree, where no environment is being changed.
    changed: tuple[str, ...] | None = None
    at: datetime | None = None
    override: str | None = None
    base_ref: str | None = None
    # Overrides of the config's `validate:` settings (ValidateOptions' fields), from the CLI.
    schema_options: dict[str, Any] = field(default_factory=dict)
    policy_options: PolicyOptions | None = None  # namespaces, --data, Rego version, --trace
    # With a base ref (basegate): its waivers file's text (None: it has none) and AppProjects;
    # by default the work tree's.
    waivers_text: str | EllipsisType | None = ...
    base_projects: tuple[Resource, ...] | None = None
    head_config: Config | None = None  # the work tree's, when config is the base's
    # The repo's graph, read once for the windows check and the deployed plan (api.check
    # always gives one); None: each reads its own.
    graph: SharedGraph | None = None

    def engine(self, check: str) -> str:
        return self.engines.get(check) or self.config.engine(check)


CheckFn = Callable[[CheckContext], list[Finding]]


def _schema(ctx: CheckContext) -> list[Finding]:

    options = from_config(ctx.config, **ctx.schema_options)
    return schema_findings(ctx.loaded, ctx.config, engine=ctx.engine("schema"), options=options)


def _policy(ctx: CheckContext) -> list[Finding]:
    """With environments, on what they deploy (rendered) for the ones the change reaches."""
    envs = ctx.config.environments
    deployed = on_deployed(ctx.loaded, ctx.config, ctx.changed, ctx.graph) if envs else None
    return policy_findings(
        ctx.loaded,
        ctx.config,
        engine=ctx.engine("policy"),
        base_ref=ctx.base_ref,
        waivers_text=ctx.waivers_text,
        evaluator=deployed,
        options=ctx.policy_options,
    )


def _secrets(ctx: CheckContext) -> list[Finding]:
    """In this process; with fork_secrets, `check` starts it in forked children instead."""
    files = secret_files(ctx.config, ctx.changed, [f.path for f in ctx.loaded.files])
    return _scan_files(ctx.config, files)


def secret_files(config: Config, changed: Sequence[str] | None, walked: list[str]) -> list[str]:
    """Every file of the change, or every file walked (YAML or not) for a whole tree."""
    if changed is not None:
        return [rel for rel in changed if (config.root / rel).is_file()]
    return walked


def _scan_files(config: Config, files: list[str]) -> list[Finding]:

    return secret_findings(files, config.root, config) if files else []


# Pure Python from start to end (detect-secrets' import and its per-line plugins): with the
# others in threads it only shares one core; in forked children it has cores of its own, one
# per core once there are enough files to outweigh a second child importing detect-secrets.
SPLIT_AT = 40


def secret_parts(config: Config, files: list[str]) -> list[Callable[[], list[Finding]]]:
    """The secrets check over files, in parts of about equal bytes, one per core to use."""
    if not files:
        return []
    count = max(1, min(os.cpu_count() or 1, len(files) // SPLIT_AT))
    return [
        functools.partial(_scan_files, config, part) for part in by_size(files, config.root, count)
    ]


def by_size(files: list[str], root: Path, count: int) -> list[list[str]]:
    """files in count parts of about equal bytes, each in the order given.

    Names of one file (a link and its target) share a part: a scan reports a secret once per
    file, and only within one part can it tell that two names are the same file.
    """
    if count <= 1:
        return [files]
    same: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for rel in files:
        real = os.path.realpath(root / rel)
        same.setdefault(real, []).append(rel)
        try:
            sizes[real] = (root / rel).stat().st_size
        except OSError:
            sizes[real] = 0
    loads = [0] * count
    part_of = {}
    for real in sorted(same, key=lambda r: -sizes[r]):
        lightest = loads.index(min(loads))
        part_of.update(dict.fromkeys(same[real], lightest))
        loads[lightest] += sizes[real]
    return [[rel for rel in files if part_of[rel] == n] for n in range(count)]


def _windows(ctx: CheckContext) -> list[Finding]:

    return check(
        ctx.config,
        ctx.loaded.resources,
        changed=ctx.changed,
        at=ctx.at,
        override=ctx.override,
        base_projects=ctx.base_projects,
        head_config=ctx.head_config,
        graph=ctx.graph,
    )


# A remote base or chart is ordinary in a GitOps repo (Argo CD and Flux fetch it when they
# deploy); only a render here refuses it. check notes it, so a team sees what `diff` cannot
# show, without a warning for every remote entry of a repo that vendors nothing.
_FETCHED_AT_DEPLOY = frozenset({"remote-base", "remote-chart"})


def _render(ctx: CheckContext) -> list[Finding]:
    """What a render would refuse, found without rendering: every kustomization an environment
    or a loaded kustomization reaches, read as it is on disk whatever the loader skipped
    (paths out of the repository, plugins that run code: errors; remote bases: notices)."""

    root = ctx.config.root
    roots = {p for env in ctx.config.environments for p in env.paths if (root / p).is_dir()}
    roots |= {posixpath.dirname(k.path) or "." for k in ctx.loaded.kustomizations}
    found = dict.fromkeys(screen(DiskTree(root), sorted(roots)))
    return [
        dataclasses.replace(f, severity=Severity.INFO) if f.rule in _FETCHED_AT_DEPLOY else f
        for f in found
    ]


# Each check imports its own dependencies only when it runs.
REGISTRY: dict[str, CheckFn] = {
    "schema": _schema,
    "policy": _policy,
    "secrets": _secrets,
    "windows": _windows,
    "render": _render,
}
DEFAULT_CHECKS: tuple[str, ...] = tuple(REGISTRY)


class Forked:
    """fn() computed in a forked child, so it runs on a core of its own; when the process
    cannot fork safely (no fork, or other threads alive) or the child fails, it runs here."""

    def __init__(self, fn: Callable[[], list[Finding]]) -> None:
        self.fn = fn
        self.pid: int | None = None
        self.fd: int | None = None
        if hasattr(os, "fork") and threading.active_count() == 1:
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, hand over, leave without any of the parent's exits
            code = 1
            try:
                os.close(read)
                data = pickle.dumps(self.fn())
                with os.fdopen(write, "wb") as fh:
                    fh.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pid, self.fd = pid, read

    def result(self) -> list[Finding]:
        if self.pid is not None and self.fd is not None:
            with os.fdopen(self.fd, "rb") as fh:
                data = fh.read()
            self.fd = None
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            found = _unpickle(data) if status == 0 else None
            if found is not None:
                return found
        return self.fn()

    def stop(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = None


def _unpickle(data: bytes) -> list[Finding] | None:
    try:
        found = pickle.loads(data)  # noqa: S301 - our own forked child's findings
    except Exception:  # any failure is redone in-process
        return None
    return found if isinstance(found, list) else None


def start_secrets(config: Config, files: list[str]) -> list[Forked]:
    """The secrets check, started in forked children before the repo is loaded (and before
    any thread starts): it reads the files itself and needs nothing the load finds.
    run_checks takes the children as `started`."""
    # detect-secrets imports subprocess, which the schema and policy checks run their tools
    # through anyway: imported once here, before the fork, not again in each child.

    started: list[Forked] = []
    try:
        for part in secret_parts(config, files):
            started.append(Forked(part))
    except BaseException:  # a signal between two forks: the children started so far go too
        for child in started:
            child.stop()
        raise
    return started


def run_checks(
    ctx: CheckContext, names: Sequence[str], started: dict[str, list[Forked]] | None = None
) -> list[Finding]:
    """Run the named checks side by side (they mostly wait on subprocesses), in order.

    `started` holds checks already running in forked children (start_secrets); a child that
    fails in any way is redone here. The others run in threads.
    """
    if not names:
        return []
    forked = dict(started or {})
    try:
        # The one whose tool runs longest (conftest) starts first: the threads' Python work
        # before their tools start is done one at a time, under the GIL.
        threaded = sorted((n for n in names if n not in forked), key=lambda n: n != "policy")
        with ThreadPoolExecutor(max_workers=len(names), thread_name_prefix="check") as pool:
            futures = {name: pool.submit(REGISTRY[name], ctx) for name in threaded}
            results = {name: f.result() for name, f in futures.items()}
        for name, children in forked.items():
            # Each part is in file order; parts hold whole files, so merging by place is exact.
            parts = [child.result() for child in children]
            results[name] = list(heapq.merge(*parts, key=lambda f: (f.path or "", f.line or 0)))
    finally:
        for child in (c for children in forked.values() for c in children):
            child.stop()
    return [finding for name in names for finding in results[name]]
