"""SIGINT and SIGTERM as CI and a user send them: prompt exit, one line, nothing left behind.

The tools are stand-ins that sleep: what is tested is our cleanup, not kustomize or conftest.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitops_gate.tools.pins import PINS
from tests.diff.fixtures import deployment, three_envs
from tests.helpers.tree import commit, make_repo

# Records its own pid and a grandchild's, then waits: both must be gone after the signal.
STAND_IN = """#!/bin/sh
case "$1" in
  version|--version) echo "{version}"; exit 0 ;;
esac
sleep 60 &
echo $! >> "{pids}"
echo $$ >> "{pids}"
wait
"""

SIGNALS = [
    pytest.param(signal.SIGTERM, 143, "gitops-gate: terminated (SIGTERM)", id="SIGTERM"),
    pytest.param(signal.SIGINT, 130, "gitops-gate: interrupted (SIGINT)", id="SIGINT"),
]


def stand_in(home: Path, name: str, version_line: str, pids: Path) -> None:
    """A sleeping stand-in where the resolver looks first after config: the tool cache."""
    pin = PINS[name]
    path = home / "gitops-gate" / "tools" / pin.dir_name / pin.name
    path.parent.mkdir(parents=True)
    path.write_text(STAND_IN.format(version=version_line, pids=pids))
    path.chmod(0o755)


def start(tmp_path: Path, repo: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "XDG_CACHE_HOME": str(tmp_path / "c")}
    env.pop("GITOPS_GATE_TOOLS_DIR", None)  # the stand-ins live in this cache's tools folder
    (tmp_path / "tmp").mkdir()
    return subprocess.Popen(
        [sys.executable, "-m", "gitops_gate", *args],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_tools(pids: Path, proc: subprocess.Popen[str]) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if pids.exists() and len(pids.read_text().split()) >= 2:
            time.sleep(0.2)  # let the other threads' tools start too
            return [int(p) for p in pids.read_text().split()]
        time.sleep(0.05)
    _, err = proc.communicate()
    pytest.fail(f"the stand-in never started: {err}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0]
    except FileNotFoundError:
        return False
    return state != "Z"


def stop(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[int, str, float]:
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err, time.monotonic() - sent


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    r = make_repo(root, three_envs())
    commit(r, {"web/base/web.yaml": deployment("web", "nginx:1.28")}, "change")
    return root


def assert_clean(tmp_path: Path, pids: list[int], took: float) -> None:
    assert took < 2  # about 0.1 s here; a tool that ignores SIGTERM gets SIGKILL after 1 s
    assert list((tmp_path / "tmp").iterdir()) == []
    assert [p for p in pids if alive(p)] == []


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize(("sig", "code", "line"), SIGNALS)
def test_diff_stops_its_renders_and_removes_its_snapshots(
    tmp_path: Path, repo: Path, sig: signal.Signals, code: int, line: str
) -> None:
    pids = tmp_path / "pids"
    stand_in(tmp_path / "c", "kustomize", PINS["kustomize"].version, pids)
    proc = start(tmp_path, repo, "diff", "--base", "main~1", "--all")
    started = wait_for_tools(pids, proc)

    got, err, took = stop(proc, sig)

    assert (got, err.strip()) == (code, line)
    assert_clean(tmp_path, started + [int(p) for p in pids.read_text().split()], took)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize(("sig", "code", "line"), SIGNALS)
def test_check_stops_its_tools_and_forked_scans(
    tmp_path: Path, repo: Path, sig: signal.Signals, code: int, line: str
) -> None:
    pids = tmp_path / "pids"
    stand_in(tmp_path / "c", "conftest", f"Conftest: {PINS['conftest'].version}", pids)
    stand_in(tmp_path / "c", "kubeconform", PINS["kubeconform"].version, pids)
    proc = start(tmp_path, repo, "check", ".")
    started = wait_for_tools(pids, proc)
    scans = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]

    got, err, took = stop(proc, sig)

    assert (got, err.strip()) == (code, line)
    assert_clean(tmp_path, started + scans, took)
