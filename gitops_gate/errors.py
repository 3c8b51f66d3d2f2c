"""The one error hierarchy: every error a user can act on is a GateError with an exit code."""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM, what a shell reports for a process SIGTERM ended


class GateError(Exception):
    """Base of all errors gitops-gate reports to a user as one line."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def text(self) -> str:
        """What is wrong (what to do), without saying where."""
        text = self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text.replace("\n", " ")

    def one_line(self) -> str:
        """The single line the CLI prints."""
        return self.text()


class LocatedError(GateError):
    """An error in a file the user can open: printed as `path:line: message`."""

    def __init__(
        self, path: str, line: int | None, message: str, *, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line

    def one_line(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.text()}"


class ManifestError(LocatedError):
    """A manifest that cannot be read or parsed; `rule` names the finding it becomes."""

    def __init__(
        self,
        path: str,
        line: int | None,
        message: str,
        *,
        hint: str | None = None,
        rule: str = "invalid-yaml",
    ) -> None:
        super().__init__(path, line, message, hint=hint)
        self.rule = rule


class ConfigError(LocatedError):
    """A `.gitops-gate.yaml` (or command-line setting) that is not valid."""


class UsageError(GateError):
    """Bad arguments on the command line."""


class ToolError(GateError):
    """A binary we ran failed, or could not be run at all."""

    exit_code = EXIT_ENVIRONMENT

    def __init__(
        self,
        cmd: Sequence[str],
        returncode: int | None,
        stderr: str,
        *,
        message: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.cmd = list(cmd)
        self.returncode = returncode
        self.stderr = stderr
        tail = _last_line(stderr)
        if message is None:
            status = "timed out" if returncode is None else f"exited {returncode}"
            message = f"`{self.cmd[0]}` {status}" + (f": {tail}" if tail else "")
        super().__init__(message, hint=hint)


class ToolLimitError(ToolError):
    """A binary we ran went past its time or memory bound and was killed; limit says which."""

    def __init__(self, cmd: Sequence[str], limit: str, stderr: str, *, hint: str | None) -> None:
        message = f"`{cmd[0]}` was stopped" if limit == "memory" else None  # None: "timed out"
        super().__init__(cmd, None, stderr, message=message, hint=hint)
        self.limit = limit  # "time" or "memory"


class ToolNotFoundError(GateError):
    """A pinned binary is neither configured, installed nor on PATH."""

    exit_code = EXIT_ENVIRONMENT


class EnvironmentProblem(GateError):
    """Something outside the repo is missing or unreachable (cluster, network, disk)."""

    exit_code = EXIT_ENVIRONMENT


class Terminated(BaseException):
    """SIGTERM arrived (a CI job was cancelled): raised in the main thread by the CLI's handler.

    Like KeyboardInterrupt for SIGINT, and for the same reason not a GateError: it must pass
    through every `except GateError` and `except Exception` up to the CLI, running each
    `finally` on the way (temp folders, worktrees, child processes).
    """

    exit_code = EXIT_TERMINATED


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""
