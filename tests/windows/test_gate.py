"""What `check` reports for an environment a change reaches while its windows are closed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import load
from gitops_gate.windows import gate_findings
from tests.windows.build import utc

CONFIG = """\
environments:
  production:
    paths: [clusters/production]
    production: true
    syncWindows:
      - kind: deny
        name: weekend
        schedule: "0 18 * * Fri"
        duration: 63h
        timeZone: Europe/Berlin
      - kind: deny
        name: holidays
        schedule: "0 0 * * *"
        duration: 24h
        timeZone: Europe/Berlin
        from: "2025-12-20"
        until: "2025-12-31"
  staging:
    paths: [clusters/staging]
    syncWindows:
      - kind: deny
        schedule: "0 18 * * Fri"
        duration: 63h
        timeZone: Europe/Berlin
      - kind: deny
        schedule: "0 12 * * Mon"
        duration: 1h
        manualSync: true
"""


def _findings(
    tmp_path: Path,
    at: str,
    *,
    envs: tuple[str, ...] = ("production", "staging"),
    extra: str = "",
    override: str | None = None,
) -> list[Finding]:
    (tmp_path / ".gitops-gate.yaml").write_text(CONFIG + textwrap.dedent(extra))
    config = load_config(tmp_path)
    return gate_findings(
        config, load([tmp_path], root=tmp_path).resources, envs, at=utc(at), override=override
    )


def _seen(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return [(f.rule, f.severity.label, f.location, f.message) for f in findings]


# 2025-01-10 is a Friday; 18:00 CET is 17:00 UTC, and the weekend ends Mon 09:00 CET.
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2025-01-10 16:59", []),
        (
            "2025-01-11 12:00",
            [
                (
                    "window-blocked",
                    "error",
                    ".gitops-gate.yaml:6",
                    "production: blocked by window weekend until 2025-01-13 09:00 CET "
                    "(pass --override REASON to deploy anyway)",
                ),
                (
                    "window-blocked",
                    "warning",
                    ".gitops-gate.yaml:21",
                    "staging: blocked by window env/staging#0 until 2025-01-13 09:00 CET",
                ),
            ],
        ),
        (
            "2025-01-13 12:30",
            [
                (
                    "window-manual-only",
                    "info",
                    ".gitops-gate.yaml:25",
                    "staging: window env/staging#1 allows only manual syncs "
                    "until 2025-01-13 13:00 UTC",
                )
            ],
        ),
        (
            "2025-12-24 12:00",
            [
                (
                    "window-blocked",
                    "error",
                    ".gitops-gate.yaml:11",
                    "production: blocked by window holidays until 2026-01-01 00:00 CET "
                    "(pass --override REASON to deploy anyway)",
                )
            ],
        ),
        ("2025-12-31 23:30", []),  # 00:30 CET on 1 January: the freeze is over
        ("2025-12-18 22:00", []),  # 23:00 CET the day before it begins
    ],
    ids=[
        "open",
        "weekend",
        "manual only",
        "holiday freeze",
        "after the freeze",
        "before the freeze",
    ],
)
def test_blocked(tmp_path: Path, at: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert _seen(_findings(tmp_path, at)) == expected


@pytest.mark.parametrize(
    ("fail_on", "severities"),
    [
        ("production", ["error", "warning"]),
        ("all", ["error", "error"]),
        ("none", ["warning", "warning"]),
        ("[staging]", ["warning", "error"]),
    ],
)
def test_fail_on(tmp_path: Path, fail_on: str, severities: list[str]) -> None:
    found = _findings(tmp_path, "2025-01-11 12:00", extra=f"windows:\n  failOn: {fail_on}\n")
    assert [f.severity.label for f in found] == severities


def test_override_passes_and_is_reported(tmp_path: Path) -> None:
    found = _findings(tmp_path, "2025-01-11 12:00", envs=("production",), override="hotfix INC-42")
    assert _seen(found) == [
        (
            "window-override",
            "info",
            ".gitops-gate.yaml:6",
            "production: blocked by window weekend until 2025-01-13 09:00 CET; "
            "overridden: hotfix INC-42",
        )
    ]
    assert found[0].extra["override"] == "hotfix INC-42"


def test_only_affected_environments(tmp_path: Path) -> None:
    assert _findings(tmp_path, "2025-01-11 12:00", envs=("staging", "unknown"))[
        0
    ].message.startswith("staging:")
    assert len(_findings(tmp_path, "2025-01-11 12:00", envs=("staging", "unknown"))) == 1


def test_app_project_windows_reach_their_environment(tmp_path: Path) -> None:
    files = {
        "argocd/project.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata: {name: shop}
            spec:
              syncWindows:
                - kind: allow
                  schedule: "0 9 * * Mon-Fri"
                  duration: 8h
                  applications: ["shop-*"]
                - kind: allow
                  schedule: "0 9 * * Mon-Fri"
                  duration: 8h
                  applications: ["other"]
            """,
        "argocd/app.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop-prod}
            spec:
              project: shop
              source: {repoURL: https://example.com/r.git, path: clusters/prod}
              destination: {server: https://kubernetes.default.svc, namespace: shop}
            """,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text))
    (tmp_path / ".gitops-gate.yaml").write_text(
        "environments:\n  prod:\n    paths: [clusters/prod]\n"
    )
    config = load_config(tmp_path)
    resources = load([tmp_path], root=tmp_path).resources
    [found] = gate_findings(config, resources, ["prod"], at=utc("2025-01-11 12:00"))
    assert (found.location, found.message) == (
        "argocd/project.yaml:6",
        "prod: blocked by window appproject/shop#0 until 2025-01-13 09:00 UTC "
        "(pass --override REASON to deploy anyway)",
    )
    assert gate_findings(config, resources, ["prod"], at=utc("2025-01-13 10:00")) == []
