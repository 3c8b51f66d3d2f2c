"""The reconciler's keys on each environment: parsed with defaults, refused when mistyped."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.config.sections import ReconcileSettings
from gitops_gate.errors import ConfigError
from tests.helpers.tree import write_tree


def test_keys_are_read_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": (
        "environments:\n"
        "  dev: {paths: [dev], selfHeal: true, healthTimeout: 30}\n"
        "  prod: {paths: [prod], rollbackOnFailure: true, prune: false}\n"
    ), "dev/x.yaml": "", "prod/x.yaml": ""})  # fmt: skip

    config = load_config(tmp_path)

    dev, prod = (config.environment(n) for n in ("dev", "prod"))
    assert dev is not None and prod is not None
    assert dev.reconcile == ReconcileSettings(self_heal=True, health_timeout=30.0)
    assert prod.reconcile == ReconcileSettings(rollback_on_failure=True, prune=False)


@pytest.mark.parametrize("spec", ["selfHeal: maybe", "healthTimeout: -1", "prune: 'no'"])
def test_a_mistyped_key_is_a_config_error(tmp_path: Path, spec: str) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": f"environments:\n  dev: {{paths: [dev], {spec}}}\n",
                          "dev/x.yaml": ""})  # fmt: skip

    with pytest.raises(ConfigError):
        load_config(tmp_path)
