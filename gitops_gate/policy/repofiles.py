"""A repo's .rego files read as hostile input: none outside the repo, none undecodable."""

from __future__ import annotations

import os
from pathlib import Path

from gitops_gate.config.sections import LimitsSection
from gitops_gate.errors import ConfigError, ManifestError
from gitops_gate.manifests.decode import read_text

_LEAVES = "is a link that leaves the repository; it was not read"
_HINT = "commit the policy itself, not a link to it"


def rego_files(base: Path, root: Path) -> list[Path]:
    """Every .rego file under base, sorted; links to folders are not followed (`x -> /`
    would walk the machine), and base itself may not leave root."""
    if not base.resolve().is_relative_to(root.resolve()):
        raise ConfigError(_rel(base, root), None, f"folder {_LEAVES}", hint=_HINT)
    found = [
        Path(folder) / name
        for folder, _, names in os.walk(base)
        for name in names
        if name.endswith(".rego")
    ]
    return sorted(found)


def read_policy(path: Path, root: Path) -> tuple[str, str]:
    """(the path as root names it, the text); ConfigError at path:line when it leaves the
    repository, is too large or is not UTF-8."""
    rel = _rel(path, root)
    if not path.resolve().is_relative_to(root.resolve()):
        raise ConfigError(rel, None, f"policy {_LEAVES}", hint=_HINT)
    try:
        return rel, read_text(path, rel, max_bytes=LimitsSection().max_file_bytes)
    except ManifestError as e:
        raise ConfigError(rel, e.line, e.message, hint=e.hint) from e
    except OSError as e:
        raise ConfigError(rel, None, f"cannot be read: {e.strerror}") from e


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
