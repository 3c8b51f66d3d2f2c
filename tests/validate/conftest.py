"""Both backends as fixtures: every table of cases runs against each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import load
from gitops_gate.validate import ValidateOptions, validate_resources
from gitops_gate.validate.builtin import BuiltinBackend
from gitops_gate.validate.protocol import Backend
from gitops_gate.validate.run import Summary
from tests.helpers.data import parametrize_corpora


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_corpora(metafunc)


def _kubeconform() -> Backend:
    from gitops_gate.validate.kubeconform import KubeconformBackend
    from tests.helpers.toolchain import ensure_tool

    return KubeconformBackend(ensure_tool("kubeconform"))


@pytest.fixture(
    params=[
        pytest.param("builtin"),
        pytest.param("kubeconform", marks=pytest.mark.slow),
    ]
)
def backend(request: pytest.FixtureRequest) -> Backend:
    return BuiltinBackend() if request.param == "builtin" else _kubeconform()


Validate = Callable[..., tuple[list[Finding], Summary]]


@pytest.fixture
def validate(backend: Backend, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Validate:
    """Load paths under root and validate them with this test's backend; no shared cache."""
    monkeypatch.setattr("gitops_gate.validate.run.pick", lambda engine="auto": backend)

    def run(paths: list[Path], root: Path, **options: Any) -> tuple[list[Finding], Summary]:
        options.setdefault("cache_dir", tmp_path / "results")
        loaded = load(paths, root=root)
        found, summary = validate_resources(
            loaded.resources, None, options=ValidateOptions(**options)
        )
        return loaded.findings + found, summary

    return run
