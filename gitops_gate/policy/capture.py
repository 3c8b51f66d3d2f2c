"""What rego-cpp writes on descriptor 1 (print() output, merge errors), taken back as text.

rego-cpp prints where it likes: a policy's print() and the errors of a module it cannot merge
both go to descriptor 1. Taken into a file, they become the policies' prints (shown on stderr
with --trace, never on stdout) and the error that names the rule rego-cpp could not read.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from gitops_gate.errors import ConfigError

_LOCK = threading.Lock()  # descriptor 1 is the process's: one capture at a time


class Capture:
    """Descriptor 1 into a file while open; take() returns what was written since last time."""

    def __init__(self) -> None:
        self.prints: list[str] = []
        self._read = 0

    def __enter__(self) -> Capture:
        _LOCK.acquire()
        self._file = tempfile.TemporaryFile()
        self._saved = os.dup(1)
        os.dup2(self._file.fileno(), 1)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            os.dup2(self._saved, 1)
            os.close(self._saved)
            self._file.close()
        finally:
            _LOCK.release()

    def take(self) -> str:
        end = os.lseek(self._file.fileno(), 0, os.SEEK_END)
        if end == self._read:
            return ""
        data = os.pread(self._file.fileno(), end - self._read, self._read)
        self._read = end
        return data.decode("utf-8", errors="replace")

    @contextmanager
    def compiling(self, error: Callable[[str], ConfigError]) -> Iterator[None]:
        """A rego-cpp compile error inside, raised as error(its text) (path:line)."""
        import regopy  # type: ignore[import-untyped]

        try:
            yield
        except regopy.RegoError as e:
            raise error(str(e) + "\n" + self.take()) from e
        self.take()  # what rego-cpp said about a module it compiled is no print()
