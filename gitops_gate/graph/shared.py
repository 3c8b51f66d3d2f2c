"""One run's read of the repo and its graph, made on first use and handed to every step."""

from __future__ import annotations

import threading

from gitops_gate.config import Config
from gitops_gate.graph.build import build
from gitops_gate.graph.model import RepoGraph
from gitops_gate.graph.scan import scan
from gitops_gate.manifests.loader import LoadResult


class SharedGraph:
    """The quick scan of config's repo and the graph built from it, each made once.

    A hook's selection, the windows check and the deployed plan each need them: about a
    tenth of a CPU-second apiece on 2,000 manifests. Checks run in threads, so the first to
    ask builds while the others wait. The repo must not change while it is used (one run).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._scan: LoadResult | None = None
        self._graph: RepoGraph | None = None

    def scan(self) -> LoadResult:
        """Every file listed; kustomizations and GitOps objects parsed (graph.scan)."""
        with self._lock:
            if self._scan is None:
                self._scan = scan(self.config.root, self.config)
            return self._scan

    def graph(self) -> RepoGraph:
        loaded = self.scan()
        with self._lock:
            if self._graph is None:
                self._graph = build(loaded, self.config)
            return self._graph

    def serves(self, config: Config) -> bool:
        """True when config reads and builds the same graph: same repo, same files read, same
        environments (a hook selects with the work tree's config, checks with the base's)."""
        mine = self.config
        return (
            mine.root.resolve() == config.root.resolve()
            and mine.exclude == config.exclude
            and mine.max_file_bytes == config.max_file_bytes
            and mine.environments == config.environments
        )


def shared_for(config: Config, given: SharedGraph | None) -> SharedGraph:
    """given when it serves config, else a new one for config."""
    return given if given is not None and given.serves(config) else SharedGraph(config)
