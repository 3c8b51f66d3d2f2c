"""The command line: parses arguments, calls the library, turns errors into one line and a code."""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from gitops_gate._run import stop_all
from gitops_gate._version import __version__
from gitops_gate.errors import EXIT_ENVIRONMENT, EXIT_INTERRUPTED, GateError, Terminated
from gitops_gate.redact import Redactor
from gitops_gate.report.escape import terminal

# Command modules import only the stdlib at top level; heavy imports happen when a command runs.
_COMMAND_MODULES = (
    "check",
    "validate",
    "policy",
    "secrets",
    "windows",
    "graph",
    "diff",
    "config",
    "tools",
    "init",
    "hooks",
    "promote",
    "audit",
    "prcheck",
    "demo",
    "reconcile",  # also registers status, history, approve and rollback (imports lightkube)
)

EPILOG = """exit codes:
  0    passed
  1    the gate failed (findings at or above the fail level, a blocked window,
       a diff with --exit-code)
  2    usage or configuration error
  3    environment error (tool missing, cluster or API unreachable)
  130  interrupted (SIGINT)
  143  terminated (SIGTERM, e.g. a cancelled CI job)

On SIGINT or SIGTERM every tool still running is stopped and every temp folder
removed before it exits.
"""


def common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Global options, accepted before and after the subcommand's name."""
    default = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("global options")
    g.add_argument("--config", metavar="FILE", default=default, help="path to .gitops-gate.yaml")
    g.add_argument(
        "--format",
        dest="fmt",
        metavar="FORMAT",
        default=default,
        help="output format (text, json, ...; each command lists its own)",
    )
    flag = argparse.SUPPRESS if suppress else False
    g.add_argument(
        "--quiet", "-q", action="store_true", default=flag, help="no progress or notices"
    )
    g.add_argument("--debug", action="store_true", default=flag, help="show tracebacks of bugs")
    g.add_argument("--no-color", action="store_true", default=flag, help="plain output")
    return p


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with only, just that command's (imports and registers one module, not all:
    a hook pays this twice per commit)."""
    parser = argparse.ArgumentParser(
        prog="gitops-gate",
        description="Keeps a GitOps repository honest from first commit to running cluster.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"gitops-gate {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = common_options(suppress=True)
    for name in _COMMAND_MODULES if only is None else (only,):
        module = importlib.import_module(f"gitops_gate.commands.{name}")
        module.register(subparsers, common)
    return parser


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `yes | head -1`


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--version"]:
        # Answered before anything else is imported: pre-commit pays start-up on every commit.
        print(f"gitops-gate {__version__}")
        return 0
    first = args_list[0] if args_list else None
    if first is not None and not first.startswith("-"):
        # A command's module is its name without dashes (`pr-check` is commands/prcheck.py);
        # an option first (`--config FILE check`) needs every command's parser.
        first = first.replace("-", "")
    parser = build_parser(first if first in _COMMAND_MODULES else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as e:  # argparse: --help exits 0, a usage error exits 2
        return int(e.code or 0)
    if args.no_color or "NO_COLOR" in os.environ:
        os.environ["NO_COLOR"] = "1"
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2

    return _call(args)


def _call(args: argparse.Namespace) -> int:
    try:
        with _stopped_by_signals():
            code = int(args.func(args))
            sys.stdout.flush()  # here, not at exit, so that a closed pipe is seen below
            return code
    except GateError as e:
        print(f"gitops-gate: {terminal(Redactor()(e.one_line()))}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("gitops-gate: interrupted (SIGINT)", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("gitops-gate: terminated (SIGTERM)", file=sys.stderr)
        return Terminated.exit_code
    except BrokenPipeError:  # `check | head -1`: the reader left; as a tool killed by SIGPIPE
        # Python flushes stdout again at exit: point it at /dev/null so that says nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as e:  # a bug: say so in one line, the traceback only with --debug
        if args.debug:
            raise

        print(
            f"gitops-gate: internal error: {type(e).__name__}: {Redactor()(str(e))} "
            "(this is a bug; run again with --debug and report the traceback)",
            file=sys.stderr,
        )
        return EXIT_ENVIRONMENT


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGINT and SIGTERM stop the command's tools, then unwind it (every `finally` runs).

    Python's own SIGINT handling waits for the tools the worker threads are waiting on, and
    SIGTERM's default ends the process with no cleanup at all. The caller's handlers come back
    afterwards: main() may run inside another program (the tests).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    for sig in _SIGNALS:
        signal.signal(sig, _on_signal)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    # Once: a second signal would cut the cleanup short. A Python-level no-op, not SIG_IGN,
    # which the git runs of the cleanup would inherit.
    for sig in _SIGNALS:
        signal.signal(sig, _ignore)
    stop_all()
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _ignore(signum: int, frame: FrameType | None) -> None:
    """A signal after the first: the cleanup it interrupted goes on."""
