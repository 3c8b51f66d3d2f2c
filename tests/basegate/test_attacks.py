"""A pull request cannot loosen the gate it is checked by: each attack of issue 15 fails."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.helpers.manifests import deployment
from tests.helpers.tree import commit, make_repo

CONFIG = """\
version: 1
environments:
  staging:
    paths: [clusters/staging]
  production:
    paths: [clusters/production]
    production: true
"""
PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: production, namespace: argocd}
spec:
  sourceRepos: ["*"]
  syncWindows:
    - {kind: deny, schedule: "0 18 * * Fri", duration: 60h, timeZone: Europe/Berlin,
       applications: ["*"]}
"""
APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop-production, namespace: argocd}
spec:
  project: production
  source: {repoURL: "https://git.example.com/shop.git", path: clusters/production}
  destination: {server: "https://prod.example.com", namespace: shop}
"""
DEPLOY = deployment("{image}")
# A key from AWS's documentation, not a real one; split so no scanner trips over this file.
KEY = "AKIA" + "IOSFODNN7EXAMPLE"
LEAK = f"aws_access_key_id = {KEY}\n"
BASELINE = json.dumps(
    {"results": {"clusters/staging/notes.txt": [
        {"type": "AWS Access Key", "hashed_secret": hashlib.sha1(KEY.encode()).hexdigest(),  # noqa: S324
         "line_number": 1}]}}
)  # fmt: skip
# A waiver the gate would honour (one resource, 30 days from today), were it not the change's.
WAIVERS = f"""\
waivers:
  - rule: no-latest-tag
    resource: {{kind: Deployment, name: web, namespace: shop}}
    reason: we like latest
    owner: mallory
    expires: "{dt.date.today() + dt.timedelta(days=30)}"
"""
SATURDAY = "2026-11-21T12:00:00+01:00"
MONDAY = "2026-11-23T12:00:00+01:00"
LATEST = {"clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:latest")}
FRIDAY_ON = {"clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.1")}


def _config(extra: str) -> dict[str, str]:
    return {".gitops-gate.yaml": CONFIG + extra}


# (what the pull request commits, when it is checked, the finding it hoped to hide,
#  where gate-changed points, what it names)
ATTACKS: dict[str, tuple[dict[str, str], str, tuple[str, str], tuple[str, int | None], str]] = {
    "disables-a-rule": (
        {**_config("policy: {disable: [no-latest-tag]}\n"), **LATEST}, MONDAY,
        ("no-latest-tag", "clusters/production/deploy.yaml"),
        (".gitops-gate.yaml", 8), "adds `policy` in .gitops-gate.yaml",
    ),
    "lowers-a-severity": (
        {**_config("policy: {severity: {no-latest-tag: info}}\n"), **LATEST}, MONDAY,
        ("no-latest-tag", "clusters/production/deploy.yaml"),
        (".gitops-gate.yaml", 8), "adds `policy`",
    ),
    "excludes-its-own-file": (
        {**_config("exclude: [clusters/production/deploy.yaml]\n"), **LATEST}, MONDAY,
        ("no-latest-tag", "clusters/production/deploy.yaml"),
        (".gitops-gate.yaml", 8), "adds `exclude`",
    ),
    "allows-every-secret": (
        {**_config('secrets: {allow: [{path: "*"}]}\n'), "clusters/staging/notes.txt": LEAK},
        MONDAY, ("secret-detected", "clusters/staging/notes.txt"),
        (".gitops-gate.yaml", 8), "adds `secrets`",
    ),
    "baselines-its-secret": (
        {".secrets.baseline": BASELINE, "clusters/staging/notes.txt": LEAK}, MONDAY,
        ("secret-detected", "clusters/staging/notes.txt"),
        (".secrets.baseline", 1), "adds .secrets.baseline",
    ),
    "windows-fail-on-none": (
        {**_config("windows: {failOn: none}\n"), **FRIDAY_ON}, SATURDAY,
        ("window-blocked", "argocd/projects/production.yaml"),
        (".gitops-gate.yaml", 8), "adds `windows`",
    ),
    "production-false": (
        {".gitops-gate.yaml": CONFIG.replace("production: true", "production: false"),
         **FRIDAY_ON}, SATURDAY, ("window-blocked", "argocd/projects/production.yaml"),
        (".gitops-gate.yaml", 2), "changes `environments`",
    ),
    "diff-ignore-paths": (
        {**_config("diff: {ignorePaths: [/spec/template/spec/containers]}\n"), **LATEST},
        MONDAY, ("no-latest-tag", "clusters/production/deploy.yaml"),
        (".gitops-gate.yaml", 8), "adds `diff`",
    ),
    "deletes-the-sync-windows": (
        {"argocd/projects/production.yaml": PROJECT.split("  syncWindows:")[0], **FRIDAY_ON},
        SATURDAY, ("window-blocked", "argocd/projects/production.yaml"),
        ("argocd/projects/production.yaml", 1),
        "changes the syncWindows of AppProject production",
    ),
    "waives-its-finding": (
        {".gitops-gate-waivers.yaml": WAIVERS, **LATEST}, MONDAY,
        ("no-latest-tag", "clusters/production/deploy.yaml"),
        (".gitops-gate-waivers.yaml", 1), "adds .gitops-gate-waivers.yaml",
    ),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _pull_request(root: Path, change: dict[str, str]) -> None:
    """main as the base, and the change committed on a branch of its own."""
    repo = make_repo(root, {
        ".gitops-gate.yaml": CONFIG,
        "argocd/projects/production.yaml": PROJECT,
        "argocd/applications/production.yaml": APPLICATION,
        "clusters/production/kustomization.yaml": "resources: [deploy.yaml]\n",
        "clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.0"),
        "clusters/staging/kustomization.yaml": "resources: []\n",
    })  # fmt: skip
    repo.git.checkout("-b", "pr")
    commit(repo, change, "the pull request")


def _check(cli: Callable[..., Run], root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    run = cli("check", "--engine", "builtin", "--format", "json", *args, str(root))
    assert run.err == "", run.err
    return run.code, json.loads(run.out)["findings"]


def _errors(found: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in found if f["rule"] == rule and f["severity"] == "error" and not f["waiver"]]


@pytest.mark.parametrize(
    ("change", "at", "hidden", "where", "names"), ATTACKS.values(), ids=ATTACKS.keys()
)
def test_a_change_that_loosens_the_gate_fails_and_is_still_judged(
    tmp_path: Path,
    cli: Callable[..., Run],
    change: dict[str, str],
    at: str,
    hidden: tuple[str, str],
    where: tuple[str, int | None],
    names: str,
) -> None:
    _pull_request(tmp_path, change)

    code, found = _check(cli, tmp_path, "--base", "main", "--at", at)

    assert code == 1
    gate = _errors(found, "gate-changed")
    assert [(f["path"], f["line"]) for f in gate] == [where]
    assert names in gate[0]["message"]
    assert "main's version" in gate[0]["message"]
    rule, path = hidden
    assert [f["path"] for f in _errors(found, rule)] == [path]


@pytest.mark.parametrize(
    "attack",
    ["disables-a-rule", "allows-every-secret", "waives-its-finding"],
)
def test_without_a_base_the_work_tree_configures_the_gate_as_before(
    tmp_path: Path, cli: Callable[..., Run], attack: str
) -> None:
    change, at, (rule, _), _, _ = ATTACKS[attack]
    _pull_request(tmp_path, change)

    _, found = _check(cli, tmp_path, "--at", at)

    assert _errors(found, rule) == []
    assert _errors(found, "gate-changed") == []


def test_a_change_that_leaves_the_gate_alone_passes(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    _pull_request(tmp_path, FRIDAY_ON)

    code, found = _check(cli, tmp_path, "--base", "main", "--at", MONDAY)

    assert code == 0, found
    assert [f for f in found if f["check"] == "gate"] == []


def test_a_base_config_can_lower_gate_changed(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = make_repo(tmp_path, {
        ".gitops-gate.yaml": CONFIG + "policy: {severity: {gate-changed: warning}}\n",
        "clusters/staging/kustomization.yaml": "resources: []\n",
    })  # fmt: skip
    repo.git.checkout("-b", "pr")
    commit(repo, {".gitops-gate.yaml": CONFIG + "failLevel: warning\n"}, "the pull request")

    code, found = _check(cli, tmp_path, "--base", "main")

    assert code == 0, found
    assert [(f["rule"], f["severity"]) for f in found if f["check"] == "gate"] == [
        ("gate-changed", "warning"),
        ("gate-changed", "warning"),
    ]


def test_a_gitignore_added_by_the_change_does_not_hide_its_files(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    _pull_request(tmp_path, {".gitignore": "clusters/production/deploy.yaml\n", **LATEST})

    code, found = _check(cli, tmp_path, "--base", "main", "--at", MONDAY)

    assert code == 1
    assert [f["path"] for f in _errors(found, "no-latest-tag")] == [
        "clusters/production/deploy.yaml"
    ]


def test_exclude_never_hides_a_file_a_kustomization_deploys_even_without_a_base(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    change, at, (rule, path), _, _ = ATTACKS["excludes-its-own-file"]
    _pull_request(tmp_path, change)

    _, found = _check(cli, tmp_path, "--at", at)

    assert path in [f["path"] for f in _errors(found, rule)]
