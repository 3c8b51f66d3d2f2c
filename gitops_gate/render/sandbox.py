"""The argv prefix that runs kustomize with no network at all, found once per process.

A dead proxy only stops clients that honour it (Go skips it for loopback); a process in an
empty network namespace, or under a seccomp filter that refuses sockets, cannot connect to
anything. Preferred, in order: the `unshare -rn` tool, our own `netless` helper in a user
namespace, the helper's seccomp filter. If none works here, rendering is refused unless the
user set `diff.allowUnsandboxedRender: true`.
"""

from __future__ import annotations

import shutil
import socket
import sys
import threading
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.errors import EnvironmentProblem, GateError

# Exits 0 only when it could not reach the listener the parent holds open.
_PROBE = """
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close()
except OSError:
    sys.exit(0)
sys.exit(1)
"""
# Run as a file in isolated mode: it needs only the standard library, and importing the
# package first would cost ~150 ms a build (36 ms this way; the `unshare` tool ~0.5 ms).
_HELPER = (sys.executable, "-I", "-S", str(Path(__file__).with_name("netless.py")))

_lock = threading.Lock()
_found: list[tuple[str, ...] | None] = []


def candidates() -> list[tuple[str, ...]]:
    """Every way of cutting a command off the network, best first."""
    util = shutil.which("unshare")
    ways = [(util, "-rn", "--")] if util else []
    return [*ways, (*_HELPER, "userns", "--"), (*_HELPER, "seccomp", "--")]


def works(prefix: tuple[str, ...]) -> bool:
    """True when a command run under prefix cannot connect to a port open on loopback."""
    try:
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            port = str(listener.getsockname()[1])
            probe = [*prefix, sys.executable, "-I", "-S", "-c", _PROBE, port]
            done = run(probe, timeout=30, ok_codes=(0, 1))
    except (OSError, GateError):
        return False  # no loopback to test against, or the way itself fails: not proven
    return done.returncode == 0


def prefix() -> tuple[str, ...] | None:
    """The first way that works here (probed once per process), or None."""
    with _lock:
        if not _found:
            _found.append(next((p for p in candidates() if works(p)), None))
        return _found[0]


def jail(*, allow_unsandboxed: bool) -> tuple[str, ...]:
    """The prefix to put before a kustomize argv; raise EnvironmentProblem if there is none."""
    found = prefix()
    if found is not None:
        return found
    if allow_unsandboxed:
        return ()
    raise EnvironmentProblem(
        "kustomize cannot be cut off from the network here (no user namespaces, no seccomp);"
        " refusing to render",
        hint="set diff.allowUnsandboxedRender: true in the config to render without it",
    )
