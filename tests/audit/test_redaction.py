"""No secret value reaches the store, whichever field of an event carries it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.audit.chain import canonical, might_hold_secret, prepare
from gitops_gate.audit.event import Actor, AuditEvent
from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.redact import CREDENTIAL, Redactor, from_bodies
from tests.helpers.tree import commit, make_repo

TOKEN = "ghp_" + "Z" * 36  # credential-shaped: hidden even when no Secret declares it
KNOWN = "correct-horse-battery"  # a Secret's value: hidden because the run knows it
SECRET = {"apiVersion": "v1", "kind": "Secret", "stringData": {"password": KNOWN}}


def _carrying(secret: str) -> list[AuditEvent]:
    """One event per field that could carry secret."""
    base = {"action": "check", "result": "failure"}
    return [
        AuditEvent(**base, actor=Actor(author=secret)),  # type: ignore[arg-type]
        AuditEvent(**base, actor=Actor(committer=secret, ci=secret, user=secret)),  # type: ignore[arg-type]
        AuditEvent(**base, environment=secret, revision=secret),  # type: ignore[arg-type]
        AuditEvent(**base, objects=(f"Secret/{secret}",), reason=f"override: {secret}"),  # type: ignore[arg-type]
        AuditEvent(**base, links={"pr": f"https://x:{secret}@example.com/pr/1"}),  # type: ignore[arg-type]
        AuditEvent(**base, details={secret: [{"message": f"value {secret} leaked"}]}),  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize("secret", [TOKEN, KNOWN], ids=["credential-shaped", "known-value"])
def test_a_planted_secret_is_nowhere_in_the_store(
    audit_config: Config, backend: str, secret: str
) -> None:
    store = open_store(audit_config, redactor=from_bodies([SECRET]))
    store.append_many(_carrying(secret))
    store.append(_carrying(secret)[-1])

    stored = "\n".join(r.body for r in store.query())
    assert store.verify().ok
    store.close()

    assert secret not in stored
    assert stored.count("<redacted>") >= 10
    if backend == "sqlite":
        files = Path(audit_config.root).glob("audit.sqlite*")  # the WAL too
        assert all(secret.encode() not in f.read_bytes() for f in files)


# One string of each shape redact.CREDENTIAL hides.
SHAPES = [
    "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
    "ghs_" + "a" * 36,
    "github_pat_" + "A" * 30,
    "glpat-" + "x" * 20,
    "AKIA" + "Q" * 16,
    "A3TX" + "Q" * 16,
    "xoxb-" + "1" * 12,
    "rk_live_" + "z" * 24,
    "SK" + "a" * 32,
    "AIza" + "b" * 35,
    "npm_" + "c" * 36,
    "SG." + "d" * 22 + "." + "e" * 22,
    "eyJhbGciOi.eyJzdWIiOi.sig",
    "https://deploy:hunter22@git.example.com/repo",
]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_fast_test_never_passes_what_the_redactor_would_hide(shape: str) -> None:
    redactor = Redactor()
    assert redactor(shape) != shape  # the sample is one CREDENTIAL hides
    event = AuditEvent("check", "success", details={"note": f"said {shape} here"})

    assert might_hold_secret(canonical(event.to_json()), redactor)
    assert shape not in prepare(event, redactor).body


def test_the_credential_shapes_are_the_ones_the_fast_test_knows() -> None:
    # A shape added to redact.CREDENTIAL needs its prefix in chain._PREFIXES and a sample
    # above; then update this hash.
    pinned = "c98ff384f54f3fa17d52f5d437db8d8188625f0c42d44e7f1915a34a2cdbde4e"
    assert hashlib.sha256(CREDENTIAL.pattern.encode()).hexdigest() == pinned


def test_a_secret_planted_through_check_and_git_history_is_nowhere_in_the_store(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    config = (
        "version: 1\naudit: {path: .audit/log.sqlite}\n"
        "environments:\n  production: {paths: [clusters/production]}\n"
    )
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    waivers = (
        "waivers:\n  - resource: {kind: Pod, name: web, namespace: shop}\n"
        f"    rule: no-latest-tag\n    reason: vendor said {TOKEN}\n"
        f"    owner: team-shop\n    expires: '{until}'\n"
    )
    files = {".gitops-gate.yaml": config, ".gitops-gate-waivers.yaml": waivers, POD_PATH: POD}
    repo = make_repo(tmp_path, files)
    commit(repo, {POD_PATH: POD + "  # touched\n"}, f"rotate {TOKEN}")

    checked = cli("check", "--audit", str(tmp_path))
    imported = cli("audit", "import-git", str(tmp_path))

    assert "recorded in the audit log" in checked.err  # (it fails: the token is a finding)
    assert imported.code == 0
    stored = b"".join(f.read_bytes() for f in (tmp_path / ".audit").iterdir())
    assert TOKEN.encode() not in stored
    assert b"rotate <redacted>" in stored and b"vendor said <redacted>" in stored


POD_PATH = "clusters/production/pod.yaml"
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
