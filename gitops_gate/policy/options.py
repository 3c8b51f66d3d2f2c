"""What a conftest user sets per run: namespaces, data files, Rego version, where print() goes."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitops_gate.config.sections import PolicySection
from gitops_gate.errors import ConfigError


@dataclass(frozen=True, slots=True)
class PolicyOptions:
    """namespaces: conftest's --namespace globs (None: every namespace, the default);
    data: more --data files (after policy.data); rego_version: None for policy.regoVersion;
    trace: called with each line a policy's print() wrote (None: dropped, never on stdout);
    on_engine: told the engine that ran and, when `auto` fell back to the built-in one, why."""

    namespaces: tuple[str, ...] | None = None
    data: tuple[str, ...] = ()
    rego_version: str | None = None
    trace: Callable[[str], None] | None = None
    on_engine: Callable[[str, str | None], None] | None = None

    def version(self, section: PolicySection) -> str:
        return self.rego_version or section.rego_version

    def data_documents(self) -> dict[str, Any]:
        """The --data files, named on the command line (from the working folder)."""
        return merge({}, *[_read(Path(name), name) for name in self.data])


def data_files(root: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """The data documents of the named JSON/YAML files (relative to root, and inside it),
    merged in order as conftest merges its --data files: a later file's keys go into an
    earlier one's objects."""
    docs = []
    for name in names:
        path = root / name
        if not path.resolve().is_relative_to(root.resolve()):
            # policy.data is the repo's (a change may edit it): it never reads outside it.
            raise ConfigError(name, None, "policy data file is outside the repository")
        docs.append(_read(path, name))
    return merge({}, *docs)


def _read(path: Path, name: str) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as e:
        raise ConfigError(name, None, f"policy data file cannot be read: {e}") from e
    if not isinstance(doc, dict):
        raise ConfigError(name, None, "policy data file is not a mapping at its top")
    return doc


def merge(into: dict[str, Any], *more: dict[str, Any]) -> dict[str, Any]:
    """into with each of more deep-merged over it, in order."""
    out = dict(into)
    for doc in more:
        for key, value in doc.items():
            old = out.get(key)
            both = isinstance(old, dict) and isinstance(value, dict)
            out[key] = merge(old, value) if both else value  # type: ignore[arg-type]
    return out
