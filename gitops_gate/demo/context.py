"""What the demo's steps share: the temp folder, the repo, the clusters, how to run the CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gitops_gate._run import Completed, run
from gitops_gate.audit.event import AuditSink
from gitops_gate.audit.open import open_store, sink
from gitops_gate.config import load_config
from gitops_gate.git import git
from gitops_gate.reconcile.kube import Cluster

CLI_TIMEOUT = 600.0  # a first check may build pinned tools


class Skipped(Exception):
    """A step that cannot run here (no cluster); its message says why."""


@dataclass
class Demo:
    """The shared state of one demo run."""

    folder: Path  # the temp folder: everything the demo writes is under it
    say: Callable[[str], None]
    stack: ExitStack  # what the demo started, stopped when it ends
    use_cluster: bool = True
    clusters: dict[str, Cluster] = field(default_factory=dict)  # env -> its control plane
    kubeconfigs: dict[str, Path] = field(default_factory=dict)
    shas: dict[str, str] = field(default_factory=dict)  # names for commits steps made

    @property
    def repo(self) -> Path:
        return self.folder / "repo"

    @property
    def audit_log(self) -> Path:
        return self.folder / "audit.sqlite"

    def gate(
        self, *args: str, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None
    ) -> Completed:
        """`gitops-gate args` in the repo, as a user types it (its state in the temp folder)."""
        argv = [sys.executable, "-m", "gitops_gate", "--no-color", *args]
        env = {"NO_COLOR": "1", "COLUMNS": "120", "XDG_STATE_HOME": str(self.folder / "state"),
               **(env or {})}  # fmt: skip
        cwd = self.repo if self.repo.is_dir() else self.folder
        return run(argv, timeout=CLI_TIMEOUT, ok_codes=ok, cwd=cwd, env=env)

    def git(self, *args: str) -> str:
        """git args in the repo; its output."""
        return git(self.repo, *args).stdout.decode().strip()

    def commit(self, message: str) -> str:
        """Commit every change in the repo; the new sha."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def write(self, rel: str, text: str) -> None:
        path = self.repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    @contextmanager
    def audit(self) -> Iterator[AuditSink]:
        """The repo's audit log, open for one step (the CLI's runs write to it in between)."""
        store = open_store(load_config(self.repo))
        try:
            yield sink(store)
        finally:
            store.close()
