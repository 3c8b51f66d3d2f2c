"""Waivers from annotations and the waivers file: used, expired, malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load
from gitops_gate.policy import policy_findings
from tests.helpers.tree import write_tree

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
    gitops-gate.io/waive: "{waive}"
spec:
  containers:
    - name: app
      image: nginx
      resources: {{requests: {{cpu: 10m}}, limits: {{memory: 64Mi}}}}
"""


def _found(root: Path) -> list[tuple[str, str | None, str | None]]:
    loaded = load([root], root=root)
    found = policy_findings(loaded, load_config(root), engine="builtin", today="2026-06-01")
    return [(f.rule, f.location, f.waiver.reason if f.waiver else None) for f in found]


@pytest.mark.parametrize(
    ("waive", "expected"),
    [
        (
            "no-latest-tag: pinned by the vendor; expires=2027-01-31",
            [("no-latest-tag", "pod.yaml:11", "pinned by the vendor")],
        ),
        (
            "no-latest-tag: old; expires=2026-01-31",
            [("no-latest-tag", "pod.yaml:11", None), ("waiver-expired", "pod.yaml:7", None)],
        ),
        (
            "no-latest-tag: no expiry given",
            [("no-latest-tag", "pod.yaml:11", None), ("waiver-invalid", "pod.yaml:7", None)],
        ),
        (
            "sync-windows: another rule; expires=2027-01-31",
            [("no-latest-tag", "pod.yaml:11", None)],
        ),
    ],
    ids=["used", "expired", "malformed", "other-rule"],
)
def test_annotation_waivers(tmp_path: Path, waive: str, expected: list[object]) -> None:
    write_tree(tmp_path, {"pod.yaml": POD.format(waive=waive)})
    assert _found(tmp_path) == expected


def test_waivers_file(tmp_path: Path) -> None:
    waivers = """\
waivers:
  - rule: no-latest-tag
    resource: {kind: Pod, name: web, namespace: shop}
    reason: vendor image
    owner: team-shop
    expires: 2027-01-31
  - rule: no-latest-tag
    resource: {kind: Pod}
    reason: missing owner and expiry
"""
    write_tree(
        tmp_path,
        {"pod.yaml": POD.format(waive="x"), ".gitops-gate-waivers.yaml": waivers},
    )
    found = _found(tmp_path)
    assert ("no-latest-tag", "pod.yaml:11", "vendor image") in found
    assert ("waiver-invalid", ".gitops-gate-waivers.yaml", None) in found
