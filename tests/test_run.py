"""The subprocess runner's bounds: time and memory, and stopping every child on a signal."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from gitops_gate import _run
from gitops_gate.errors import ToolError, ToolLimitError

# Starts a grandchild that records its pid and outlives its parent unless its group is killed.
SPAWNER = (
    "import subprocess, sys, time\n"
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
    "open(sys.argv[1], 'w').write(str(p.pid))\n"
    "time.sleep(60)\n"
)
GREEDY = (
    "import time\nheap = []\nwhile True:\n    heap.append(bytearray(8 << 20)); time.sleep(0.01)\n"
)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def gone_soon(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def wait_for(path: Path) -> int:
    deadline = time.monotonic() + 30
    while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(path.read_text())


pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def test_a_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    with pytest.raises(ToolLimitError) as e:
        _run.run([sys.executable, "-c", SPAWNER, pid_file], timeout=2)
    assert e.value.limit == "time"
    assert "did not finish within 2s" in e.value.one_line()
    assert gone_soon(wait_for(pid_file))


def test_a_child_past_its_memory_bound_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(ToolLimitError) as e:
        _run.run([sys.executable, "-c", GREEDY], timeout=60, memory_mb=200)
    assert e.value.limit == "memory"
    assert "used more than 200 MB" in e.value.one_line()
    assert time.monotonic() - started < 20


def test_a_bounded_child_still_gets_all_its_input() -> None:
    text = "x" * (4 << 20)  # more than a pipe holds: written while the child reads
    code = "import sys; print(len(sys.stdin.read()))"
    done = _run.run([sys.executable, "-c", code], timeout=60, memory_mb=500, stdin=text)
    assert done.stdout.strip() == str(len(text))


def test_stop_all_kills_running_tools_and_workers_start_no_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_run, "_STOPPING", threading.Event())
    pid_file = tmp_path / "grandchild"
    failed: list[BaseException] = []

    def worker() -> None:
        try:
            _run.run([sys.executable, "-c", SPAWNER, pid_file], timeout=60)
        except ToolError as e:
            failed.append(e)
        try:
            _run.run([sys.executable, "-c", "pass"], timeout=60)
        except ToolError as e:
            failed.append(e)

    thread = threading.Thread(target=worker)
    thread.start()
    grandchild = wait_for(pid_file)
    started = time.monotonic()

    _run.stop_all()
    thread.join(10)

    assert time.monotonic() - started < 3
    assert gone_soon(grandchild)
    assert [e.one_line() for e in failed][1:] == [f"`{sys.executable}` not started: stopping"]
