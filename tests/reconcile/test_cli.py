"""The verbs as a user runs them: reconcile (--plan), status, history, rollback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.controlplane import ADMIN_TOKEN, ControlPlane, kubeconfig
from tests.reconcile.repo import change, configmap, env_repo, namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def test_plan_then_sync_then_status_and_history(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    ns = env_name
    env_repo(tmp_path, env_name, {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {})})
    where = (
        "--env",
        env_name,
        "--path",
        str(tmp_path),
        "--kubeconfig",
        str(control_plane.kubeconfig),
    )

    plan = cli("reconcile", *where, "--plan")
    sync = cli("reconcile", *where, "--once")
    status = cli("status", *where, "--format", "json")
    history = cli("history", *where)

    assert plan.code == 0, plan.err
    assert "2 to create, 0 to change, 0 unchanged, 0 to prune" in plan.out
    assert "added ConfigMap" in plan.out
    assert sync.code == 0, sync.err
    assert f"{env_name}: synced at " in sync.out
    found = json.loads(status.out)
    assert (found["status"], found["lastResult"], found["objects"]) == ("synced", "synced", 2)
    assert history.out.count(" synced") == 1


def test_rollback_is_refused_while_autosync_is_on_and_works_with_it_off(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    ns = env_name
    repo = env_repo(
        tmp_path, env_name, {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"v": "1"})}
    )
    where = (
        "--env",
        env_name,
        "--path",
        str(tmp_path),
        "--kubeconfig",
        str(control_plane.kubeconfig),
    )
    assert cli("reconcile", *where).code == 0
    first = json.loads(cli("status", *where, "--format", "json").out)["revision"]
    change(repo, env_name, {"a.yaml": configmap("a", ns, {"v": "2"})})
    assert cli("reconcile", *where).code == 0

    refused = cli("rollback", *where)
    allowed = cli("rollback", *where, "--override", "bad release")
    now = json.loads(cli("status", *where, "--format", "json").out)

    assert refused.code == 2
    assert "autoSync is on" in refused.err
    assert allowed.code == 0, allowed.out + allowed.err
    assert now["revision"] == first


def test_a_repository_by_url_is_cloned_and_fetched_again_each_run(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    ns = env_name
    origin = env_repo(
        tmp_path / "origin", env_name, {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {})}
    )
    url = (tmp_path / "origin").as_uri()
    where = ("--env", env_name, "--repo", url, "--kubeconfig", str(control_plane.kubeconfig))

    first = cli("reconcile", *where)
    sha = change(origin, env_name, {"b.yaml": configmap("b", ns, {})})
    second = cli("reconcile", *where, "--format", "json")

    assert first.code == 0, first.err
    assert second.code == 0, second.err
    assert json.loads(second.out)["revision"] == sha
    assert json.loads(second.out)["applied"] == [f"ConfigMap {ns}/b"]


def test_a_url_with_credentials_in_it_is_refused_without_showing_them(
    control_plane: ControlPlane, cli: Callable[..., Run]
) -> None:
    url = "https://bot:s3cr3t-t0ken@git.example.com/org/repo.git"

    run = cli(
        "reconcile", "--env", "dev", "--repo", url, "--kubeconfig", str(control_plane.kubeconfig)
    )

    assert run.code == 2
    assert "holds credentials" in run.err
    assert "s3cr3t-t0ken" not in run.err + run.out


def test_an_unknown_environment_is_a_usage_error(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    env_repo(tmp_path, env_name, {"ns.yaml": namespace(env_name)})

    run = cli("reconcile", "--env", "nope", "--path", str(tmp_path),
              "--kubeconfig", str(control_plane.kubeconfig))  # fmt: skip

    assert run.code == 2
    assert f"unknown environment 'nope' (use one of: {env_name})" in run.err


def test_an_unreachable_api_server_is_an_environment_error_in_one_line(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    env_repo(tmp_path, env_name, {"ns.yaml": namespace(env_name)})
    dead = tmp_path / "dead.kubeconfig"
    dead.write_text(kubeconfig("https://127.0.0.1:1", control_plane.ca, ADMIN_TOKEN))

    run = cli("status", "--env", env_name, "--kubeconfig", str(dead))

    assert run.code == 3
    assert len(run.err.strip().splitlines()) == 1
    assert ADMIN_TOKEN not in run.err


def test_approve_lets_a_manual_environment_sync(
    tmp_path: Path, control_plane: ControlPlane, cli: Callable[..., Run], env_name: str
) -> None:
    files = {"ns.yaml": namespace(env_name), "a.yaml": configmap("a", env_name, {})}
    env_repo(tmp_path, env_name, files, autoSync=False)
    where = ("--env", env_name, "--path", str(tmp_path),
             "--kubeconfig", str(control_plane.kubeconfig))  # fmt: skip

    blocked = cli("reconcile", *where)
    approved = cli("approve", *where, "HEAD", "--reason", "change 42")
    synced = cli("reconcile", *where)
    status = json.loads(cli("status", *where, "--format", "json").out)

    assert blocked.code == 1
    assert "autoSync is off" in blocked.out
    assert approved.code == 0 and f"{env_name}: approved " in approved.out
    assert synced.code == 0, synced.out + synced.err
    assert status["status"] == "synced" and status["approved"] == [status["revision"]]


def test_interval_mode_keeps_cycling_through_an_unreachable_api(
    tmp_path: Path, control_plane: ControlPlane, env_name: str
) -> None:
    env_repo(tmp_path / "repo", env_name, {"ns.yaml": namespace(env_name)})
    dead = tmp_path / "dead.kubeconfig"
    dead.write_text(kubeconfig("https://127.0.0.1:1", control_plane.ca, ADMIN_TOKEN))
    argv = [sys.executable, "-m", "gitops_gate", "reconcile", "--env", env_name,
            "--path", str(tmp_path / "repo"), "--kubeconfig", str(dead),
            "--interval", "0.1"]  # fmt: skip
    log = tmp_path / "stderr.txt"
    with log.open("w") as err_file:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err_file)
    try:
        deadline = time.monotonic() + 60
        while "cannot get" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # after the error, the loop sleeps and goes on
        alive = proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
    err = log.read_text()

    assert alive  # --once would have exited 3
    assert "cannot get ConfigMap gitops-gate/inventory-" in err
    assert ADMIN_TOKEN not in err
