"""Waivers from annotations and the waivers file: used, expired, too long, too broad, unknown."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load
from gitops_gate.policy.run import policy_findings
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
TODAY = "2026-06-01"
LATEST = ("no-latest-tag", "pod.yaml:11", None)

Row = tuple[str, str, str | None]


def _found(root: Path) -> list[tuple[Row, str]]:
    loaded = load([root], root=root)
    found = policy_findings(loaded, load_config(root), engine="builtin", today=TODAY)
    return [((f.rule, f.location, f.waiver.reason if f.waiver else None), f.message) for f in found]


def _check(root: Path, expected: list[Row], said: str | None) -> None:
    found = _found(root)
    assert [row for row, _ in found] == expected
    if said is not None:  # the refused waiver says why
        assert any(said in message for row, message in found if row[0].startswith("waiver-"))


@pytest.mark.parametrize(
    ("waive", "expected", "said"),
    [
        (
            "no-latest-tag: pinned by the vendor; expires=2026-07-31; owner=team-shop",
            [("no-latest-tag", "pod.yaml:11", "pinned by the vendor")],
            None,
        ),
        (
            "no-latest-tag: old; expires=2026-01-31",
            [LATEST, ("waiver-expired", "pod.yaml:7", None)],
            "expired on 2026-01-31",
        ),
        (
            "no-latest-tag: no expiry given",
            [LATEST, ("waiver-invalid", "pod.yaml:7", None)],
            "expires=YYYY-MM-DD",
        ),
        ("sync-windows: another rule; expires=2026-07-31", [LATEST], None),
        (
            "no-latest-tag: forever; expires=9999-12-31",
            [LATEST, ("waiver-invalid", "pod.yaml:7", None)],
            "more than 90 days from 2026-06-01",
        ),
        (
            "no-latest-tag: a day too long; expires=2026-08-31",
            [LATEST, ("waiver-invalid", "pod.yaml:7", None)],
            "more than 90 days",
        ),
        (
            "no-latest-tags: misspelt; expires=2026-07-31",
            [LATEST, ("waiver-invalid", "pod.yaml:7", None)],
            "unknown rule 'no-latest-tags'",
        ),
    ],
    ids=["used", "expired", "malformed", "other-rule", "forever", "day-too-long", "unknown-rule"],
)
def test_annotation_waivers(tmp_path: Path, waive: str, expected: list[Row], said: str) -> None:
    write_tree(tmp_path, {"pod.yaml": POD.format(waive=waive)})
    _check(tmp_path, expected, said)


@pytest.mark.parametrize(
    ("max_days", "expires", "expected", "said"),
    [
        (400, "2027-01-31", [("no-latest-tag", "pod.yaml:11", "vendor")], None),
        (30, "2026-07-31", [LATEST, ("waiver-invalid", "pod.yaml:7", None)], "more than 30 days"),
    ],
    ids=["longer-allowed", "shorter-refused"],
)
def test_max_days_from_config(
    tmp_path: Path, max_days: int, expires: str, expected: list[Row], said: str | None
) -> None:
    tree = {
        "pod.yaml": POD.format(waive=f"no-latest-tag: vendor; expires={expires}"),
        ".gitops-gate.yaml": f"version: 1\nwaivers:\n  maxDays: {max_days}\n",
    }
    write_tree(tmp_path, tree)
    _check(tmp_path, expected, said)


def _entry(resource: str, **fields: str) -> str:
    given = {"rule": "no-latest-tag", "reason": "vendor image", "owner": "team-shop"}
    given |= {"expires": "2026-07-31", **fields}
    rest = "".join(f"    {k}: {v}\n" for k, v in given.items())
    return f"waivers:\n  - resource: {resource}\n{rest}"


REFUSED = [LATEST, ("waiver-invalid", ".gitops-gate-waivers.yaml:2", None)]


@pytest.mark.parametrize(
    ("waivers", "expected", "said"),
    [
        (
            _entry("{kind: Pod, name: web, namespace: shop}"),
            [("no-latest-tag", "pod.yaml:11", "vendor image")],
            None,
        ),
        (_entry("{path: pod.yaml}"), [("no-latest-tag", "pod.yaml:11", "vendor image")], None),
        (_entry("{kind: '*'}"), REFUSED, "kind '*' is a pattern"),
        (_entry("{path: '*'}"), REFUSED, "path '*' is a pattern"),
        (_entry("{kind: Pod, name: 'we?', namespace: shop}"), REFUSED, "is a pattern"),
        (_entry("{kind: Pod, name: '[w]eb', namespace: shop}"), REFUSED, "is a pattern"),
        (_entry("{kind: Pod, namespace: shop}"), REFUSED, "must name kind and name"),
        (_entry("{path: .}"), REFUSED, "is not a file in the repository"),
        (_entry("{path: ../outside.yaml}"), REFUSED, "is not a file in the repository"),
        # No namespace named means the resource has none: this Pod in shop is not covered.
        (_entry("{kind: Pod, name: web}"), [LATEST], None),
        (_entry("{kind: Pod, name: web, namespace: shop}", rule="no-latest"), REFUSED, "unknown"),
        (_entry("{kind: Pod, name: web, namespace: shop}", expires="9999-12-31"), REFUSED, "90"),
        (_entry("{kind: Pod, name: web, namespace: shop}", owner="''"), REFUSED, "lacks owner"),
    ],
    ids=[
        "exact",
        "one-file",
        "kind-star",
        "path-star",
        "name-question",
        "name-bracket",
        "no-name",
        "folder",
        "outside",
        "no-namespace",
        "unknown-rule",
        "forever",
        "no-owner",
    ],
)
def test_waivers_file(tmp_path: Path, waivers: str, expected: list[Row], said: str) -> None:
    write_tree(tmp_path, {"pod.yaml": POD.format(waive="x"), ".gitops-gate-waivers.yaml": waivers})
    (tmp_path.parent / "outside.yaml").write_text("kind: Pod\n", encoding="utf-8")
    expected = [("waiver-invalid", "pod.yaml:7", None), *expected]  # the annotation "x" itself
    found = sorted(row for row, _ in _found(tmp_path))
    assert found == sorted(expected)
    if said is not None:
        assert any(said in m for (rule, where, _), m in _found(tmp_path) if where.startswith(".g"))
