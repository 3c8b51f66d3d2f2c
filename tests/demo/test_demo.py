"""`gitops-gate demo` tells the whole story, and leaves nothing behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from lightkube import Client, KubeConfig
from lightkube.resources.apps_v1 import Deployment

from gitops_gate.demo.cluster import reconcile_dev, start_clusters
from gitops_gate.demo.context import Demo, Skipped
from gitops_gate.demo.run import run_demo
from tests.conftest import Run
from tests.helpers.toolchain import ensure_tool

CLUSTER_STEPS = (
    "Start a local cluster per environment",
    "Reconcile dev",
    "Release production through its sync window",
    "A broken rollout in dev",
)


def _step(out: str, title: str) -> str:
    """What the demo printed under the step titled title."""
    found = re.search(rf"^\[\d+/\d+\] {re.escape(title)}\n((?:    .*\n)*)", out, re.MULTILINE)
    assert found, f"no step {title!r} in:\n{out}"
    return found.group(1)


def test_without_a_cluster_every_other_step_runs_and_the_cluster_ones_say_skipped(
    cli: Callable[..., Run],
) -> None:
    run = cli("demo", "--no-cluster", "--keep")
    folder = Path(re.findall(r"kept (\S+)", run.out)[-1])
    try:
        comment = (folder / "pr-check" / "comment.md").read_text()
        check_run = (folder / "pr-check" / "check-run.json").is_file()
        report = (folder / "audit-report.html").is_file()
    finally:
        shutil.rmtree(folder)

    assert run.code == 0, run.out + run.err
    for title in CLUSTER_STEPS:
        assert "skipped:" in _step(run.out, title)
    bad = _step(run.out, "A change with a :latest image and a plaintext Secret")
    assert "exit 1" in bad
    assert "clusters/dev/apps/kustomization.yaml:11: error:" in bad
    assert "clusters/dev/apps/db-secret.yaml:6: error:" in bad
    assert "hunter2" not in run.out
    fixed = _step(run.out, "The fix: a pinned tag, no Secret")
    assert "exit 0 (passed)" in fixed
    assert "image ghcr.io/my-org/hello:1.0.0 -> ghcr.io/my-org/hello:1.1.0" in fixed
    assert "1.1.0" in comment and check_run and report
    assert "branch gitops-gate/promote/production/hello-1.1.0" in run.out
    assert "chain intact" in _step(run.out, "The audit trail")
    assert "7 steps done, 4 skipped" in run.out


@pytest.mark.cluster
@pytest.mark.slow
def test_the_whole_story_on_local_clusters() -> None:
    ensure_tool("etcd"), ensure_tool("kube-apiserver")
    seen: list[str] = []
    in_dev: list[str] = []

    def say(line: str) -> None:
        seen.append(line)
        if line.strip().startswith("reconcile dev: synced"):  # the cluster is still up here
            in_dev.append(_image_in_dev(Path(re.findall(r"(/\S+)/repo", "\n".join(seen))[0])))

    result = run_demo(say=say)
    out = "\n".join(seen) + "\n"

    assert result.exit_code == 0, out
    assert [s.outcome for s in result.steps] == ["done"] * len(result.steps), out
    assert in_dev == ["ghcr.io/my-org/hello:1.1.0"]
    release = _step(out, "Release production through its sync window")
    assert re.search(r"at Sat 03:00 UTC: out-of-sync: blocked by", release), release
    assert "at Mon 10:00 UTC: synced, 3 objects applied" in release
    broken = _step(out, "A broken rollout in dev")
    assert "reconcile dev: degraded: rolled back to" in broken
    assert "0 ready of 1" in broken
    assert "chain intact" in _step(out, "The audit trail")
    assert not result.folder.exists()


def _image_in_dev(folder: Path) -> str:
    kube = Client(KubeConfig.from_file(folder / "cluster-dev" / "kubeconfig"))
    deployment = kube.get(Deployment, "hello", namespace="hello")
    assert deployment.spec is not None and deployment.spec.template.spec is not None
    return deployment.spec.template.spec.containers[0].image or ""


def test_ctrl_c_stops_it_and_removes_its_temp_folder() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gitops_gate", "demo", "--no-cluster"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(3)]  # into step 1: the folder is named
    while "[2/" not in lines[-1]:
        lines.append(proc.stdout.readline())
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)

    folder = Path(re.findall(r"(/\S+)/repo", "".join(lines))[0])
    assert proc.returncode == 130, rest + err
    assert "interrupted" in err
    assert not folder.exists()


def test_without_go_or_its_tools_the_cluster_steps_say_why_they_are_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITOPS_GATE_TOOLS_DIR", str(tmp_path / "no-tools"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-go"))
    said: list[str] = []
    with ExitStack() as stack:
        demo = Demo(tmp_path, said.append, stack)

        with pytest.raises(Skipped, match="`go` is not on PATH") as skipped:
            start_clusters(demo)
        with pytest.raises(Skipped, match="needs a cluster"):
            reconcile_dev(demo)

    assert "Go >=" in str(skipped.value)
    assert not any("building" in line for line in said)  # no promise it cannot keep


@pytest.mark.cluster
@pytest.mark.slow
def test_ctrl_c_while_the_clusters_run_stops_them_by_pid() -> None:
    ensure_tool("etcd"), ensure_tool("kube-apiserver")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gitops_gate", "demo"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    lines = [proc.stdout.readline()]
    while not lines[-1].startswith("[7/"):  # the clusters are up: dev is being reconciled
        assert lines[-1], "".join(lines) + proc.stderr.read()
        lines.append(proc.stdout.readline())
    folder = re.findall(r"(/\S+)/repo", "".join(lines))[0]
    running = _processes_in(folder)
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)

    assert running, "no etcd or kube-apiserver was found running under " + folder
    assert proc.returncode == 130, rest + err
    assert _processes_in(folder) == []
    assert not Path(folder).exists()


def _processes_in(folder: str) -> list[int]:
    """PIDs whose command line names folder (the servers' data and certificate paths do)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes()
        except OSError:  # gone meanwhile, or not a process
            continue
        if proc.name.isdigit() and folder.encode() in argv:
            found.append(int(proc.name))
    return found
