"""The audit store as the sink a command's flow writes its events through, opened on first use.

Opened lazily so that a dry run or a refusal, which records nothing, leaves no log file behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gitops_gate.audit.event import AuditEvent, AuditSink
from gitops_gate.audit.open import open_store
from gitops_gate.audit.store import AuditStore
from gitops_gate.config import load_config


class _StoreSink:
    def __init__(self, root: Path, config_path: Path | None) -> None:
        self.root, self.config_path = root, config_path
        self.store: AuditStore | None = None

    def __call__(self, event: AuditEvent) -> None:
        if self.store is None:
            self.store = open_store(load_config(self.root, self.config_path))
        self.store.append(event)

    def close(self) -> None:
        # Quietly: recording is what these commands always do (`audit verify` says where).
        if self.store is not None:
            self.store.close()


@contextmanager
def audit_sink(root: Path, config_path: Path | None = None) -> Iterator[AuditSink]:
    """An AuditSink appending to the store root's config names; closed when the block ends."""
    store_sink = _StoreSink(root, config_path)
    try:
        yield store_sink
    finally:
        store_sink.close()
