"""The library API the CLI, hooks and other programs call: `check` and its result."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.checks import (
    DEFAULT_CHECKS,
    CheckContext,
    Forked,
    run_checks,
    secret_files,
    start_secrets,
)
from gitops_gate.config import Config, find_root, load_config
from gitops_gate.findings import Finding, gate_fails
from gitops_gate.manifests.loader import LoadResult, load_walked
from gitops_gate.manifests.walk import walk


@dataclass(slots=True)
class CheckResult:
    """What one `check` run found, and over what."""

    config: Config
    loaded: LoadResult
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    checks: tuple[str, ...] = ()
    changed: tuple[str, ...] | None = None

    @property
    def failed(self) -> bool:
        return gate_fails(self.findings, self.config.fail_level)

    def to_json(self) -> dict[str, Any]:
        from gitops_gate.report.json import counts, findings_json

        return {
            "root": str(self.config.root),
            "failLevel": self.config.fail_level.label,
            "passed": not self.failed,
            "counts": counts(self.findings),
            "findings": findings_json(self.findings),
            "files": [f.to_json() for f in self.loaded.files],
            "resources": len(self.loaded.resources),
            "checks": ["load", *self.checks],
            "changed": list(self.changed) if self.changed is not None else None,
        }


def check(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    root: Path | None = None,
    checks: Sequence[str] = DEFAULT_CHECKS,
    engines: dict[str, str] | None = None,
    base_ref: str | None = None,
    changed: Sequence[str] | None = None,
    at: datetime | None = None,
    override: str | None = None,
    on_file: Callable[[str], None] | None = None,
) -> CheckResult:
    """Load every manifest under paths and run the checks over them.

    The change is `changed` (repo-relative files) when given, else the files that differ from
    base_ref, else files named one by one (as pre-commit passes staged files): sync windows
    gate the environments it reaches, and secrets are looked for in its files.
    """
    started = time.perf_counter()
    root = (root or find_root(paths, config_path)).resolve()
    config = load_config(root, config_path)
    change = (
        _named_change(changed) if changed is not None else _changed_files(root, paths, base_ref)
    )
    options = config.load_options()
    walked, walk_findings = walk(
        list(paths) or [root], root, exclude=options.exclude, gitignore=options.gitignore
    )
    # The secrets scan needs only file names: its children start before the load.
    forked: dict[str, list[Forked]] = {}
    if "secrets" in checks:
        files = secret_files(config, change, [c.rel for c in walked])
        forked["secrets"] = start_secrets(config, files)
    try:
        loaded = load_walked(walked, walk_findings, root=root, options=options, on_file=on_file)
    except BaseException:
        for child in forked.get("secrets", []):
            child.stop()
        raise
    ctx = CheckContext(
        config, loaded, tuple(paths), dict(engines or {}), change, at, override, base_ref
    )
    findings = [*loaded.findings, *run_checks(ctx, checks, forked)]
    elapsed = time.perf_counter() - started
    return CheckResult(config, loaded, findings, elapsed, tuple(checks), change)


def _named_change(changed: Sequence[str]) -> tuple[str, ...]:
    """Repo-relative files as given; one that would leave the repo is a usage error."""
    from gitops_gate.errors import UsageError

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
        from gitops_gate import gitrefs

        repo = gitrefs.open_repo(root)
        base, head = gitrefs.resolve_all(repo, [base_ref, "HEAD"])
        return tuple(gitrefs.changed_files(repo, base, head))
    files = [Path(os.path.abspath(p)) for p in paths if p.is_file()]  # noqa: PTH100 - keep links
    if not files or len(files) != len(paths):
        return None
    return tuple(sorted(p.relative_to(root).as_posix() for p in files if p.is_relative_to(root)))
