"""`gitops-gate init`: a generated repo passes the gate and renders, for every engine."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import Run
from tests.scaffold.generate import ENGINES, generate

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


@pytest.mark.parametrize("engine", ENGINES)
def test_generated_repo_passes_check(engine: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    dest = tmp_path / "repo"
    assert cli("init", str(dest), "--defaults", "-q", "-d", f"engine={engine}").code == 0
    done = cli("check", str(dest))
    assert done.code == 0, done.out + done.err
    assert "0 errors, 0 warnings, 0 notices" in done.out


@pytest.mark.parametrize("engine", ENGINES)
def test_every_environment_renders(engine: str, tmp_path: Path) -> None:
    dest = generate(tmp_path / "repo", engine=engine)
    for env in ("dev", "staging", "production"):
        out = subprocess.run(
            [KUBECTL, "kustomize", str(dest / "clusters" / env)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        kinds = {d["kind"] for d in yaml.safe_load_all(out) if d}
        assert kinds == {"Namespace", "Deployment", "Service"}


@pytest.mark.parametrize("engine", ["flux", "both"])
def test_flux_entry_points_render(engine: str, tmp_path: Path) -> None:
    dest = generate(tmp_path / "repo", engine=engine)
    out = subprocess.run(
        [KUBECTL, "kustomize", str(dest / "clusters" / "production" / "flux-system")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    docs = {d["metadata"]["name"]: d for d in yaml.safe_load_all(out) if d}
    assert docs["apps"]["spec"]["dependsOn"] == [{"name": "infrastructure"}]
    assert docs["apps"]["spec"]["prune"] is True
    assert docs["apps"]["spec"]["healthChecks"]
    assert docs["apps"]["spec"]["suspend"] is True  # production: synced by hand


@pytest.mark.parametrize(
    ("engine", "present", "absent"),
    [
        ("argocd", ["argocd/projects/dev.yaml", "argocd/applications/production.yaml"], ["flux"]),
        ("flux", ["flux/sources/gitrepository.yaml", "clusters/dev/flux-system"], ["argocd"]),
        ("both", ["argocd/kustomization.yaml", "flux/clusters/staging/apps.yaml"], []),
        (
            "gitops-gate",
            ["gitops-gate/dev/rbac.yaml", "gitops-gate/production/reconciler.yaml"],
            ["argocd", "flux", "clusters/dev/flux-system"],
        ),
    ],
)
def test_engine_chooses_the_files(
    engine: str, present: list[str], absent: list[str], tmp_path: Path
) -> None:
    dest = generate(tmp_path / "repo", engine=engine)
    assert all((dest / p).exists() for p in present)
    assert not any((dest / p).exists() for p in absent)


def test_sync_policy_per_environment(tmp_path: Path) -> None:
    dest = generate(tmp_path / "repo", engine="argocd")
    apps = {
        env: yaml.safe_load((dest / f"argocd/applications/{env}.yaml").read_text())
        for env in ("dev", "staging", "production")
    }
    assert "automated" in apps["dev"]["spec"]["syncPolicy"]
    assert "automated" in apps["staging"]["spec"]["syncPolicy"]
    assert "automated" not in apps["production"]["spec"]["syncPolicy"]
    project = yaml.safe_load((dest / "argocd/projects/production.yaml").read_text())
    assert project["spec"]["syncWindows"] == [
        {
            "kind": "allow",
            "schedule": "0 6 * * 1-5",
            "duration": "12h",
            "timeZone": "UTC",
            "manualSync": True,
            "applications": ["*"],
        }
    ]
    config = yaml.safe_load((dest / ".gitops-gate.yaml").read_text())
    assert config["environments"]["production"]["autoSync"] is False
    assert config["environments"]["dev"]["autoSync"] is True


def test_answers_shape_the_repo(tmp_path: Path, cli: Callable[..., Run]) -> None:
    dest = generate(
        tmp_path / "repo",
        engine="both",
        environments="[qa, prod]",
        owners='["@acme/sre", "ops@acme.example"]',
        registry="registry.acme.example:5000/team",
        kubernetes_version="1.31.2",
    )
    assert sorted(p.name for p in (dest / "clusters").iterdir()) == ["prod", "qa"]
    assert (dest / "CODEOWNERS").read_text().splitlines()[-1] == "* @acme/sre ops@acme.example"
    assert (
        "image: registry.acme.example:5000/team/hello:1.0.0"
        in (dest / "base/hello/deployment.yaml").read_text()
    )
    config = yaml.safe_load((dest / ".gitops-gate.yaml").read_text())
    assert config["environments"]["prod"]["production"] is True
    assert config["environments"]["qa"]["kubernetesVersion"] == "1.31.2"
    assert cli("config", "validate", str(dest)).code == 0
    assert cli("check", str(dest)).code == 0


def test_sops_when_asked(tmp_path: Path) -> None:
    key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
    dest = generate(tmp_path / "repo", sops="true", sops_age_recipients=f"[{key}]")
    rules = yaml.safe_load((dest / ".sops.yaml").read_text())["creation_rules"]
    assert rules[0]["age"] == key
    assert not (generate(tmp_path / "plain") / ".sops.yaml").exists()


def test_gitignore_keeps_env_files_and_decrypted_secrets_out(tmp_path: Path) -> None:
    dest = generate(tmp_path / "repo")
    subprocess.run(["git", "init", "-q", str(dest)], check=True, timeout=30)
    for name in (".env", ".env.production", "secret.dec.yaml", "db.decrypted.yaml"):
        (dest / name).write_text("x\n")
    ignored = subprocess.run(
        ["git", "-C", str(dest), "status", "--porcelain", "--ignored"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    for name in (".env", ".env.production", "secret.dec.yaml", "db.decrypted.yaml"):
        assert f"!! {name}" in ignored


def test_non_empty_destination_needs_force(tmp_path: Path, cli: Callable[..., Run]) -> None:
    dest = tmp_path / "repo"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine\n")
    done = cli("init", str(dest), "--defaults")
    assert done.code == 2
    assert "is not empty; nothing was written" in done.err
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]
    assert cli("init", str(dest), "--defaults", "--force", "-q").code == 0
    assert (dest / "notes.txt").read_text() == "mine\n"
    assert (dest / ".gitops-gate.yaml").is_file()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("environments=[dev, Prod_1]", 'environment "Prod_1" is not a DNS label'),
        ("environments=dev", "environments must be a non-empty list"),
        ("environments=[dev, dev]", "environments must not repeat a name"),
        (
            'production_windows=[{kind: allow, schedule: "every day", duration: 1h}]',
            'schedule "every day" is not a 5-field cron expression',
        ),
        (
            'production_windows=[{kind: allow, schedule: "0 6 * *", duration: 1h}]',
            'schedule "0 6 * *" is not a 5-field cron expression',
        ),
        (
            'production_windows=[{kind: maybe, schedule: "0 6 * * 1-5", duration: 1h}]',
            "kind must be allow or deny",
        ),
        ('clusters={dev: {name: a, server: "https://a"}}', 'no entry for environment "staging"'),
        (
            "clusters={dev: {name: a, server: 'http://a'}, staging: {name: b, server: 'https://b'},"
            " production: {name: c, server: 'https://c'}}",
            'cluster server for "dev" must be an https:// URL',
        ),
        ("kubernetes_version=latest", "kubernetes_version must look like 1.33.0"),
        ("registry=https://ghcr.io/me", "registry must be host[:port][/path]"),
        ("owners=[nobody]", 'owner "nobody" must be @user'),
        ("engine=jenkins", "jenkins"),
    ],
    ids=[
        "env-not-dns",
        "env-not-list",
        "env-repeated",
        "cron-words",
        "cron-four-fields",
        "window-kind",
        "cluster-missing",
        "cluster-http",
        "k8s-version",
        "registry-scheme",
        "owner",
        "engine",
    ],
)
def test_invalid_answers_write_nothing(
    answer: str, message: str, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    dest = tmp_path / "repo"
    done = cli("init", str(dest), "--defaults", "-d", answer)
    assert done.code == 2
    assert message in done.err
    assert done.err.count("\n") == 1  # one line, no traceback
    assert not dest.exists()


def test_bad_data_flag_is_a_usage_error(tmp_path: Path, cli: Callable[..., Run]) -> None:
    done = cli("init", str(tmp_path / "repo"), "--defaults", "-d", "engine")
    assert done.code == 2
    assert "is not KEY=VALUE" in done.err
