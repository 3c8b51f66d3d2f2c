"""Windows of AppProjects whose Applications an ApplicationSet generates judge the
environments those Applications deploy (homelab: nothing was evaluated before)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest

from gitops_gate.cli import main
from tests.helpers.data import CORPORA

_PROJECTS = ("k8s/infrastructure/project.yaml", "k8s/infrastructure/infrastructure-project.yaml")
_PROD_CHANGE = "k8s/infrastructure/overlays/prod/rollout.yaml"
_SATURDAY, _MONDAY = "2026-12-05T12:00Z", "2026-12-07T12:00Z"


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    """The homelab corpus with its infrastructure project open on weekdays from 9 to 17."""
    root = tmp_path / "homelab"
    shutil.copytree(CORPORA / "theepicsaxguy__homelab", root)
    git.Repo.init(root)
    for rel in _PROJECTS:
        path = root / rel
        text = path.read_text()
        text = text.replace("schedule: '* * * * *'", "schedule: '0 9 * * 1-5'")
        text = text.replace("duration: 24h", "duration: 8h").replace(
            "manualSync: true", "manualSync: false"
        )
        path.write_text(text)
    return root


def _check(root: Path, at: str) -> int:
    argv = ["check", "--changed", _PROD_CHANGE, "--at", at, str(root / _PROD_CHANGE)]
    return main([*argv, "--format", "json"])


def test_a_production_change_outside_the_window_fails(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(homelab, _SATURDAY) == 1
    report = json.loads(capsys.readouterr().out)
    blocked = [f for f in report["findings"] if f["rule"] == "window-blocked"]
    assert [(f["message"].split(":")[0], f["severity"]) for f in blocked] == [("prod", "error")]
    assert blocked[0]["path"] in _PROJECTS
    # Inside the window nothing is blocked (upstream's prod overlay fails to build all the
    # same: render-failed, which the deployed policies report).
    _check(homelab, _MONDAY)
    monday = json.loads(capsys.readouterr().out)["findings"]
    assert [f["rule"] for f in monday if f["severity"] == "error"] == ["render-failed"]


def test_windows_shows_the_generated_applications_project(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["windows", str(homelab), "--env", "prod", "--at", _SATURDAY, "--format", "json"]
    assert main(argv) == 0
    [row] = json.loads(capsys.readouterr().out)["subjects"]
    assert (row["name"], row["state"]) == ("prod", "denied")
    assert {w["path"] for w in row["decidedBy"]} == set(_PROJECTS)


def _app(name: str, project: str, path: str) -> str:
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
        f"metadata: {{name: {name}, namespace: argocd}}\n"
        f"spec:\n  project: {project}\n"
        f"  source: {{repoURL: https://example.com/r.git, path: {path}}}\n"
        "  destination: {server: https://kubernetes.default.svc, namespace: web}\n"
    )


def test_a_project_bound_only_through_an_app_of_apps_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two app-of-apps roots (prod, dev); the AppProject is named only by a child Application
    of prod's, and the change touches neither: prod is closed, dev is not."""
    root = tmp_path / "repo"
    files = {
        "bootstrap/root-prod.yaml": _app("root-prod", "default", "deploy/prod/apps"),
        "bootstrap/root-dev.yaml": _app("root-dev", "default", "deploy/dev/apps"),
        "deploy/prod/apps/web.yaml": _app("web-prod", "shop", "services/web/prod"),
        "deploy/dev/apps/web.yaml": _app("web-dev", "default", "services/web/dev"),
        "projects/shop.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
        "metadata: {name: shop, namespace: argocd}\nspec:\n  syncWindows:\n"
        "    - {kind: deny, schedule: '0 0 * * 6', duration: 48h, applications: ['*']}\n",
        "services/web/prod/kustomization.yaml": "resources: [cm.yaml]\n",
        "services/web/prod/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        "services/web/dev/kustomization.yaml": "resources: [cm.yaml]\n",
        "services/web/dev/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git.Repo.init(root)
    for env, code in (("prod", 1), ("dev", 0)):
        change = f"services/web/{env}/cm.yaml"
        argv = ["check", "--changed", change, "--at", _SATURDAY, str(root / change)]
        assert main([*argv, "--format", "json"]) == code, env
        found = json.loads(capsys.readouterr().out)["findings"]
        blocked = [f["path"] for f in found if f["rule"] == "window-blocked"]
        assert blocked == (["projects/shop.yaml"] if env == "prod" else [])
