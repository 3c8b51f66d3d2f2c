"""PrometheusRule's CRD (an RE2 `(?i)` mid-pattern) validates its rules on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.data import CRDS
from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate

RULE = """\
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {{name: thanos, namespace: monitoring}}
spec:
  groups:
    - name: up
      partial_response_strategy: {strategy}
      rules:
        - alert: Down
          expr: up == 0
"""


@pytest.mark.parametrize(
    ("strategy", "rules"),
    [
        ("WARN", []),
        ("warn", []),
        ("Abort", []),
        ('""', []),
        ("bogus", ["schema-invalid"]),
        ("warning", ["schema-invalid"]),
    ],
)
def test_partial_response_strategy_is_matched_ignoring_case(
    strategy: str, rules: list[str], validate: Validate, tmp_path: Path
) -> None:
    root = write_tree(tmp_path / "repo", {"rule.yaml": RULE.format(strategy=strategy)})
    findings, _ = validate([root], root, crd_dirs=(CRDS / "prometheus-operator",))

    assert [(f.rule, f.line) for f in findings] == [(r, 7) for r in rules]
