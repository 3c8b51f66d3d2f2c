"""Finds data that lives at the project root (policies/, templates/) and ships inside the wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from gitops_gate.errors import EnvironmentProblem


def bundled(name: str) -> Path:
    """The folder `name` ("policies" or "templates"): in the wheel, or in a source checkout."""
    installed = Path(str(resources.files("gitops_gate"))) / "_bundled" / name
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise EnvironmentProblem(
        f"gitops-gate's bundled {name}/ folder is missing", hint="reinstall gitops-gate"
    )
