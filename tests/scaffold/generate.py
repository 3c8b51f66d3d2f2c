"""Generate repos from the template for tests: in-process Copier, no network."""

from __future__ import annotations

import warnings
from pathlib import Path

from gitops_gate.scaffold.init import init_repo

ENGINES = ("argocd", "flux", "both", "gitops-gate")


def generate(dest: Path, **data: str) -> Path:
    """A repo from the bundled template with the defaults, overridden by data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return init_repo(dest, data=data, defaults=True, quiet=True)


def tree_text(root: Path) -> str:
    """Every file under root as `== path ==` and its text, sorted: what a snapshot stores."""
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        rel = path.relative_to(root).as_posix()
        text = path.read_text()
        if rel == ".copier-answers.yml":
            text = "\n".join(
                "_src_path: <template>" if line.startswith("_src_path:") else line
                for line in text.splitlines()
            )
        parts.append(f"== {rel} ==\n{text.rstrip()}\n")
    return "\n".join(parts)
