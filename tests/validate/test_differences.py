"""Where we differ from kubeconform on purpose: one named test each, saying why."""

from __future__ import annotations

import pytest

from gitops_gate.errors import ConfigError
from gitops_gate.findings import Severity
from gitops_gate.validate.k8s_schemas import resolve_version
from tests.helpers.data import FIXTURES
from tests.validate.conftest import Validate


def test_missing_schema_is_a_warning_by_default_not_an_error(validate: Validate) -> None:
    """kubeconform exits 1 on test_crd.yaml. GitOps repos hold custom resources whose CRDs a
    chart installs; failing every such repo by default teaches people to turn the check off.
    strict mode (see the acceptance table) gives kubeconform's verdict."""
    (f,) = validate([FIXTURES / "test_crd.yaml"], FIXTURES)[0]
    assert (f.rule, f.severity) == ("no-schema", Severity.WARNING)


def test_duplicate_keys_fail_even_without_strict(validate: Validate) -> None:
    """kubeconform accepts duplicate_property.yaml unless -strict (last key wins). The API
    server keeps only one of the two `containers` lists: the loader always reports it."""
    findings, _ = validate([FIXTURES / "duplicate_property.yaml"], FIXTURES)
    assert [(f.check, f.rule) for f in findings] == [("load", "duplicate-key")]


def test_versions_older_than_the_shipped_schemas_are_refused() -> None:
    """kubeconform fetches any version's schemas; we ship 1.25+ offline and say so, rather
    than quietly validating 1.20 manifests against 1.25 schemas."""
    with pytest.raises(ConfigError, match=r"no schemas for Kubernetes 1\.20"):
        resolve_version("1.20.0")
    assert resolve_version("1.25") == "1.25"


def test_a_minor_version_is_enough() -> None:
    """kubeconform wants x.y.z (`1.25` is a usage error there); we take 1.31 or v1.31.2."""
    assert resolve_version("v1.31.2") == resolve_version("1.31") == "1.31"
