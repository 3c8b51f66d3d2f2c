"""Runs the checks of `gitops-gate check` concurrently over one loaded repo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gitops_gate.config import Config
from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import LoadResult


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

    def engine(self, check: str) -> str:
        return self.engines.get(check) or self.config.engine(check)


CheckFn = Callable[[CheckContext], list[Finding]]


def _schema(ctx: CheckContext) -> list[Finding]:
    from gitops_gate.validate import schema_findings

    return schema_findings(ctx.loaded, ctx.config, engine=ctx.engine("schema"))


def _policy(ctx: CheckContext) -> list[Finding]:
    from gitops_gate.policy import policy_findings

    return policy_findings(
        ctx.loaded, ctx.config, engine=ctx.engine("policy"), base_ref=ctx.base_ref
    )


def _secrets(ctx: CheckContext) -> list[Finding]:
    """Every file of the change, or every file walked (YAML or not) for a whole tree."""
    from gitops_gate.secrets import secret_findings

    root = ctx.config.root
    if ctx.changed is not None:
        files = [rel for rel in ctx.changed if (root / rel).is_file()]
    else:
        files = [f.path for f in ctx.loaded.files]
    return secret_findings(files, root, ctx.config) if files else []


def _windows(ctx: CheckContext) -> list[Finding]:
    from gitops_gate.windows import check

    return check(ctx)


# Each check imports its own dependencies only when it runs.
REGISTRY: dict[str, CheckFn] = {
    "schema": _schema,
    "policy": _policy,
    "secrets": _secrets,
    "windows": _windows,
}
DEFAULT_CHECKS: tuple[str, ...] = tuple(REGISTRY)


def run_checks(ctx: CheckContext, names: Sequence[str]) -> list[Finding]:
    """Run the named checks side by side (they mostly wait on subprocesses), in order."""
    functions = [REGISTRY[name] for name in names]
    if not functions:
        return []
    with ThreadPoolExecutor(max_workers=len(functions), thread_name_prefix="check") as pool:
        futures = [pool.submit(fn, ctx) for fn in functions]
        results = [f.result() for f in futures]
    return [finding for found in results for finding in found]
