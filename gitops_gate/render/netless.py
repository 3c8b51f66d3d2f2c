"""Runs a command with no network: `python -I -S netless.py MODE -- argv...` (stdlib only).

MODE `userns` moves the process into a new, empty network namespace (through an unprivileged
user namespace) before exec; `seccomp` installs a filter under which socket() fails with
EACCES for every family but AF_UNIX (and io_uring, which could open sockets, is refused).
Either is inherited by everything the command starts (git, helm). Used where the `unshare`
tool is missing; a separate process because a preexec hook is unsafe in a threaded parent.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys
from collections.abc import Sequence

_CLONE_NEWUSER, _CLONE_NEWNET = 0x10000000, 0x40000000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_AF_UNIX = 1
# machine -> (AUDIT_ARCH, socket, io_uring_setup, first x32 syscall or 0)
_ARCH = {
    "x86_64": (0xC000003E, 41, 425, 0x40000000),
    "aarch64": (0xC00000B7, 198, 425, 0),
}
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def enter_userns() -> None:
    """This process's own user and network namespaces; raise OSError where they are refused."""
    if _libc().unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"unshare: {os.strerror(e)}")


def _program(arch: int, socket_nr: int, uring: int, x32: int) -> list[tuple[int, int, int, int]]:
    deny = _RET_ERRNO | errno.EACCES
    # (code, jt, jf, k); jumps count instructions after the next one.
    return [
        (_LD, 0, 0, 4),  # arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, deny),  # a foreign ABI: refuse every call
        (_LD, 0, 0, 0),  # syscall number
        (_JGE, 5, 0, x32) if x32 else (_JEQ, 0, 0, 0),
        (_JEQ, 4, 0, uring),
        (_JEQ, 0, 2, socket_nr),
        (_LD, 0, 0, 16),  # socket(domain, ...): the domain, low word
        (_JEQ, 0, 1, _AF_UNIX),
        (_RET, 0, 0, _RET_ALLOW),
        (_RET, 0, 0, deny),
    ]


def install_seccomp() -> None:
    """A filter under which this process and its children cannot open network sockets."""
    spec = _ARCH.get(platform.machine())
    if spec is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {platform.machine()}")
    prog = _program(*spec)
    raw = b"".join(struct.pack("HBBI", *ins) for ins in prog)
    buf = ctypes.create_string_buffer(raw)
    fprog = struct.pack("HxxxxxxP", len(prog), ctypes.addressof(buf))
    fbuf = ctypes.create_string_buffer(fprog)
    libc = _libc()
    zero = ctypes.c_ulong(0)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), zero, zero, zero) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    mode = ctypes.c_ulong(_SECCOMP_MODE_FILTER)
    if libc.prctl(_PR_SET_SECCOMP, mode, fbuf, zero, zero) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def main(argv: Sequence[str]) -> int:
    if len(argv) < 3 or argv[0] not in ("userns", "seccomp") or argv[1] != "--":
        print("usage: netless userns|seccomp -- argv...", file=sys.stderr)
        return 2
    try:
        enter_userns() if argv[0] == "userns" else install_seccomp()
    except OSError as e:
        print(f"netless: {argv[0]} unavailable: {e}", file=sys.stderr)
        return 125
    os.execvp(argv[2], list(argv[2:]))  # noqa: S606 - the command we were asked to confine
    return 127  # pragma: no cover - execvp does not return


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
