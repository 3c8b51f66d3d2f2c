"""What one run may load in all: documents, bytes and nodes, so a flood of tiny documents is
a finding rather than gigabytes of memory.

60,000 one-line documents (4.6 MB, under every per-file limit) took 1.4 GB and 14 s. The
defaults leave room for a big real repository: 20,000 resources are about 8 MB, 20,000
documents and 0.5 to 2 million nodes (bench/_corpus.py; CRDs are the heavy ones).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitops_gate.findings import Finding, Severity

# A document start at column 0; a `---` inside a block scalar counts too: an upper bound.
_DOC_START = re.compile(r"^---(?=[ \t\r\n]|\Z)", re.MULTILINE)
_HINT = "raise limits.{} in .gitops-gate.yaml, or {}"


@dataclass(frozen=True, slots=True)
class Budget:
    """The most one file, and one run, may hold."""

    max_documents_per_file: int = 10_000
    max_documents: int = 50_000
    max_total_bytes: int = 256 * 1024 * 1024
    max_nodes: int = 10_000_000


@dataclass(slots=True)
class Spent:
    """What the run has loaded so far; once a run-wide budget is spent, nothing more loads."""

    budget: Budget
    documents: int = 0
    bytes: int = 0
    nodes: int = 0
    exhausted: bool = False

    def before(self, rel: str, text: str) -> Finding | None:
        """A finding when loading text (of file rel) would go over a budget; charges it if not."""
        starts = len(_DOC_START.findall(text))
        documents = starts if text.startswith("---") else starts + 1
        if documents > self.budget.max_documents_per_file:
            what = f"has {documents} documents, over the {self.budget.max_documents_per_file}"
            return _finding(
                rel, f"{what} a file may hold; it was not loaded", "maxDocumentsPerFile"
            )
        self.documents += documents
        self.bytes += len(text)
        if self.documents > self.budget.max_documents:
            return self._spent(rel, f"{self.budget.max_documents} documents", "maxDocuments")
        if self.bytes > self.budget.max_total_bytes:
            return self._spent(rel, _size(self.budget.max_total_bytes), "maxTotalBytes")
        return None

    def after(self, rel: str, nodes: int) -> Finding | None:
        """A finding when the nodes of a loaded file take the run over its budget."""
        self.nodes += nodes
        if self.nodes > self.budget.max_nodes:
            return self._spent(rel, f"{self.budget.max_nodes} YAML nodes", "maxNodes", loaded=True)
        return None

    def _spent(self, rel: str, what: str, key: str, *, loaded: bool = False) -> Finding:
        self.exhausted = True
        unread = "the files after this one" if loaded else "this file and the ones after it"
        return _finding(
            rel, f"the run's budget of {what} ran out here: {unread} were not loaded", key
        )


def _finding(rel: str, message: str, key: str, fix: str = "check fewer files at once") -> Finding:
    return Finding(
        rule="budget-exceeded",
        severity=Severity.ERROR,
        message=f"{message} ({_HINT.format(key, fix)})",
        check="load",
        path=rel,
    )


def _size(n: int) -> str:
    return f"{n / 1048576:.0f} MiB" if n >= 1048576 else f"{n} bytes"
