"""`check --audit` records the run: verdict, counts by rule, waivers, overrides, hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from tests.helpers.tree import write_tree

CONFIG = """\
version: 1
audit:
  path: .audit/log.sqlite
environments:
  production:
    paths: [clusters/production]
    production: true
    syncWindows:
      - {kind: deny, schedule: "0 18 * * Fri", duration: 60h, timeZone: Europe/Berlin,
         name: weekend-freeze}
"""
POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: web
      image: nginx:latest
      resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 50m, memory: 32Mi}}
      securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
"""
SATURDAY = "2026-11-21T12:00:00+01:00"


def _repo(root: Path) -> Path:
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return write_tree(root, {
        ".gitops-gate.yaml": CONFIG,
        ".gitops-gate-waivers.yaml": (
            "waivers:\n  - resource: {kind: Pod, name: web, namespace: shop}\n"
            "    rule: no-latest-tag\n    reason: vendor pins by digest upstream\n"
            f"    owner: team-shop\n    expires: '{until}'\n"
        ),
        "clusters/production/kustomization.yaml": "resources: [pod.yaml]\n",
        "clusters/production/pod.yaml": POD,
    })  # fmt: skip


def _events(root: Path) -> list[dict[str, Any]]:
    store = open_store(Config(root=root, audit=AuditSection(path=".audit/log.sqlite")))
    try:
        return [r.event() for r in store.query()]
    finally:
        store.close()


def test_an_audited_check_records_verdict_waivers_override_and_hashes(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    repo = _repo(tmp_path)
    changed = "clusters/production/pod.yaml"
    argv = ["check", "--audit", "--at", SATURDAY, "--override", "hotfix INC-42"]

    run = cli(*argv, "--changed", changed, str(repo))

    assert run.code == 0, run.out + run.err
    assert "recorded in the audit log" in run.err
    [event] = _events(repo)
    assert (event["action"], event["result"], event["environment"]) == (
        "check",
        "success",
        "production",
    )
    assert event["reason"] == "hotfix INC-42"
    details = event["details"]
    assert details["overrides"] == [
        {"environment": "production", "windows": ["weekend-freeze"], "reason": "hotfix INC-42"}
    ]
    assert [(w["rule"], w["reason"]) for w in details["waivers"]] == [
        ("no-latest-tag", "vendor pins by digest upstream")
    ]
    assert "no-latest-tag" not in details["rules"]  # waived, so not counted against the run
    assert (
        details["config"] == hashlib.sha256((repo / ".gitops-gate.yaml").read_bytes()).hexdigest()
    )
    assert len(details["policySet"]) == 64
    assert event["actor"]["user"]


def test_a_blocked_check_is_recorded_as_blocked_and_verify_passes(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    repo = _repo(tmp_path)

    run = cli(
        "check", "--audit", "--at", SATURDAY, "--changed", "clusters/production/pod.yaml", str(repo)
    )
    verified = cli("audit", "verify", str(repo))

    assert run.code == 1
    [event] = _events(repo)
    assert event["result"] == "blocked"
    assert event["details"]["rules"]["window-blocked"] == 1
    assert verified.code == 0 and "1 events, chain intact" in verified.out
    as_json = json.loads(cli("audit", "verify", "--format", "json", str(repo)).out)
    assert as_json["ok"] is True and as_json["events"] == 1
