"""The library API the CLI, hooks and other programs call: `check` and its result."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_gate.config import Config, find_root, load_config
from gitops_gate.findings import Finding, gate_fails
from gitops_gate.manifests.loader import LoadOptions, LoadResult, load
from gitops_gate.manifests.yamlsafe import Limits


@dataclass(slots=True)
class CheckResult:
    """What one `check` run found, and over what."""

    config: Config
    loaded: LoadResult
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

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
        }


def load_options(config: Config) -> LoadOptions:
    limits = Limits(max_alias_expansion=config.max_alias_expansion, max_depth=config.max_depth)
    return LoadOptions(exclude=config.exclude, max_file_bytes=config.max_file_bytes, limits=limits)


def check(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    root: Path | None = None,
    on_file: Callable[[str], None] | None = None,
) -> CheckResult:
    """Load every manifest under paths and run the checks over them."""
    started = time.perf_counter()
    root = root or find_root(paths, config_path)
    config = load_config(root, config_path)
    loaded = load(list(paths) or [root], root=root, options=load_options(config), on_file=on_file)
    findings = list(loaded.findings)
    return CheckResult(config, loaded, findings, time.perf_counter() - started)
