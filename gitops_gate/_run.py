"""The one subprocess runner: argv lists, a mandatory timeout, a concurrency cap, typed errors."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_gate.errors import ToolError, ToolLimitError, ToolNotFoundError

# Two cores is the common CI size; more parallel tool runs only thrash.
_SLOTS = threading.BoundedSemaphore(max(1, min(4, os.cpu_count() or 1)))
# Children still running, each the leader of its own process group: what stop_all kills.
_LIVE: set[subprocess.Popen[Any]] = set()
_LIVE_LOCK = threading.RLock()  # re-entered by stop_all when a signal lands mid-start
_STOPPING = threading.Event()
_WATCH_EVERY = 0.1  # seconds between looks at a memory-bounded child's size
_PROC = Path("/proc/self/stat")
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True, slots=True)
class Completed:
    """What a finished command left behind."""

    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes: no inherited GIT_* that could point at another repo."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if extra:
        env.update(extra)
    return env


def go_gc_env() -> dict[str, str]:
    """Collect garbage less often in our Go tools, unless the user tuned Go's collector.

    conftest and kubeconform allocate freely and spend a sixth to a fifth of their CPU in Go's
    GC at the default GOGC=100 (conftest on 5,000 resources: 16.6 -> 13.9 CPU-s at 400, peak
    memory 156 -> 321 MB; kubeconform: 0.94 -> 0.73 CPU-s, 46 -> 84 MB); the soft limit caps
    what that costs in memory.
    """
    tuned = {"GOGC": "400", "GOMEMLIMIT": "1GiB"}
    return {k: v for k, v in tuned.items() if k not in os.environ}


def run(
    argv: Sequence[str | Path],
    *,
    timeout: float,
    ok_codes: Collection[int] = (0,),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    memory_mb: int | None = None,
) -> Completed:
    """Run argv (never through a shell) and return its output, or raise ToolError.

    memory_mb bounds the child's resident memory (Linux): past it, or past timeout, the child
    is killed and ToolLimitError (a ToolError) names the bound.
    """
    args = tuple(str(a) for a in argv)
    proc = _spawn(args, timeout, cwd, env, stdin, text=True, memory_mb=memory_mb)
    done = Completed(args, proc.returncode, proc.stdout, proc.stderr)
    if proc.returncode not in ok_codes:
        raise ToolError(args, proc.returncode, proc.stderr or proc.stdout)
    return done


@dataclass(frozen=True, slots=True)
class CompletedBytes:
    """What a finished command left behind, as bytes (git blobs are not text)."""

    argv: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: str


def run_bytes(
    argv: Sequence[str | Path],
    *,
    timeout: float,
    ok_codes: Collection[int] = (0,),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> CompletedBytes:
    """run() for binary input and output; stderr is still decoded for the error message."""
    args = tuple(str(a) for a in argv)
    proc = _spawn(args, timeout, cwd, env, stdin, text=False)
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode not in ok_codes:
        raise ToolError(args, proc.returncode, stderr or proc.stdout.decode(errors="replace"))
    return CompletedBytes(args, proc.returncode, proc.stdout, stderr)


def _spawn(
    args: tuple[str, ...],
    timeout: float,
    cwd: Path | None,
    env: Mapping[str, str] | None,
    stdin: str | bytes | None,
    *,
    text: bool,
    memory_mb: int | None = None,
) -> subprocess.CompletedProcess[Any]:
    with _SLOTS:
        proc = _start(args, cwd, env, piped=stdin is not None, text=text)
        try:
            out, err = _communicate(proc, args, stdin, timeout, memory_mb)
        except BaseException:  # a signal (Terminated, KeyboardInterrupt): the child goes too
            _kill(proc)
            raise
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(proc)
        return subprocess.CompletedProcess(args, proc.returncode, out, err)


def _communicate(
    proc: subprocess.Popen[Any],
    args: tuple[str, ...],
    stdin: str | bytes | None,
    timeout: float,
    memory_mb: int | None,
) -> tuple[Any, Any]:
    """proc's output, or ToolLimitError (proc killed) past timeout or memory_mb.

    Memory is watched from outside, on the child's resident size: an rlimit cannot tell
    reserved address space from used memory, and rego-cpp's allocator (snmalloc) reserves
    hundreds of GB at start, so any RLIMIT_AS/RLIMIT_DATA stops it before it begins.
    """
    done, over = threading.Event(), threading.Event()
    if memory_mb is not None:
        watch = (proc.pid, memory_mb, done, over)
        threading.Thread(target=_watch, args=watch, daemon=True, name="memory-watch").start()
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        hint = f"it did not finish within {timeout:g}s"
        raise ToolLimitError(args, "time", _text(proc.communicate()[1]), hint=hint) from None
    finally:
        done.set()
    if over.is_set():
        hint = f"it used more than {memory_mb} MB"
        raise ToolLimitError(args, "memory", _text(err), hint=hint)
    return out, err


def _watch(pid: int, memory_mb: int, done: threading.Event, over: threading.Event) -> None:
    """Kill pid's group once its resident size passes memory_mb (until done is set)."""
    while not done.wait(_WATCH_EVERY):
        if _resident_mb(pid) > memory_mb:
            over.set()
            _signal_group(pid, signal.SIGKILL)
            return


def _resident_mb(pid: int) -> float:
    """pid's resident memory in MB (0 where /proc cannot say: no bound, the timeout remains)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * _PAGE / (1024 * 1024)


def _start(
    args: tuple[str, ...],
    cwd: Path | None,
    env: Mapping[str, str] | None,
    *,
    piped: bool,
    text: bool,
) -> subprocess.Popen[Any]:
    """Start args in a session of its own, so it and whatever it starts can be killed as one."""
    with _LIVE_LOCK:
        if _STOPPING.is_set() and threading.current_thread() is not threading.main_thread():
            # Cleanup unwinds in the main thread (git worktree remove); workers start no more.
            raise ToolError(args, None, "", message=f"`{args[0]}` not started: stopping")
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.PIPE if piped else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=text,
                encoding="utf-8" if text else None,
                errors="replace" if text else None,
                cwd=cwd,
                env=clean_env(env),
                start_new_session=True,
            )
        except FileNotFoundError as e:
            raise ToolNotFoundError(
                f"`{args[0]}` was not found", hint="run `gitops-gate tools install`"
            ) from e
        _LIVE.add(proc)
    return proc


def _text(data: str | bytes | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else data or ""


def _kill(proc: subprocess.Popen[Any]) -> None:
    """Kill proc's whole process group at once, then reap proc."""
    _signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def _signal_group(pgid: int, sig: int) -> bool:
    """Send sig to the group; False when no process of it is left."""
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop_all(grace: float = 1.0) -> None:
    """Stop every tool still running and let worker threads start no more.

    The CLI calls this on SIGINT/SIGTERM, before unwinding: the threads waiting on those tools
    then return at once instead of when the tools finish. Each process group gets SIGTERM;
    once its leader has exited (or after grace seconds), SIGKILL takes whatever it left.
    """
    _STOPPING.set()
    with _LIVE_LOCK:
        groups = [proc.pid for proc in _LIVE]
    groups = [g for g in groups if _signal_group(g, signal.SIGTERM)]
    waiting, deadline = groups, time.monotonic() + grace
    while waiting and time.monotonic() < deadline:
        time.sleep(0.02)
        waiting = [g for g in waiting if _running(g)]
    for g in groups:
        _signal_group(g, signal.SIGKILL)


def _running(pid: int) -> bool:
    """Whether pid has not exited: neither gone nor a zombie (an exited child the thread
    waiting on it has not reaped yet, or the main thread's own while it runs stop_all)."""
    if not _PROC.exists():  # no /proc: whether anything of its group is left at all
        return _signal_group(pid, 0)
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
