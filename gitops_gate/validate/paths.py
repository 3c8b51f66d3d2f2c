"""`validate` over paths: load, treat files named on the command line as manifests, validate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.model import FileKind
from gitops_gate.validate.run import Summary, validate_resources


@dataclass(slots=True)
class ValidateResult:
    """Findings (load and schema) and the counts over what was validated."""

    config: Any
    loaded: Any
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    @property
    def failed(self) -> bool:
        from gitops_gate.findings import gate_fails

        return gate_fails(self.findings, self.config.fail_level)


def validate_paths(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    engine: str = "auto",
    overrides: dict[str, Any] | None = None,
) -> ValidateResult:
    """Load paths (the repo root when none) and validate every resource found."""
    from gitops_gate.api import load_options
    from gitops_gate.config import find_root, load_config
    from gitops_gate.manifests.loader import load
    from gitops_gate.validate.options import from_config

    root = find_root(paths, config_path)
    config = load_config(root, config_path)
    options = from_config(config, **(overrides or {}))
    loaded = load(list(paths) or [root], root=root, options=load_options(config))
    findings = list(loaded.findings) + _named_but_not_manifests(paths, loaded, root)
    schema, summary = validate_resources(loaded.resources, config, engine=engine, options=options)
    return ValidateResult(config, loaded, findings + schema, summary)


def _named_but_not_manifests(paths: Sequence[Path], loaded: Any, root: Path) -> list[Finding]:
    """A file named on the command line is meant as manifests, as kubeconform takes it.

    Walking a repo, YAML without apiVersion and kind (values.yaml, cloudbuild.yaml) is other
    YAML and left alone; named explicitly, it is an error like kubeconform's.
    """
    from gitops_gate.manifests.yamlsafe import parse

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
