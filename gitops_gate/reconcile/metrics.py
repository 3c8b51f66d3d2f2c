"""Prometheus metrics of the reconciler, per environment, served on /metrics in-cluster."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from gitops_gate.reconcile.model import Status, SyncResult


@dataclass
class Metrics:
    """One registry of its own (not the process-global one), so tests and library callers
    never see each other's numbers."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r, env = self.registry, ["environment"]
        self.duration = Histogram("gitops_gate_sync_duration_seconds", "Cycle duration", env,
                                  registry=r)  # fmt: skip
        self.applied = Counter("gitops_gate_objects_applied", "Objects applied", env, registry=r)
        self.pruned = Counter("gitops_gate_objects_pruned", "Objects pruned", env, registry=r)
        self.last_success = Gauge("gitops_gate_last_successful_sync_timestamp_seconds",
                                  "When a sync last succeeded", env, registry=r)  # fmt: skip
        self.drifted = Gauge("gitops_gate_drifted_objects", "Objects drifted", env, registry=r)
        self.syncs = Counter("gitops_gate_syncs", "Cycles by status", [*env, "status"],
                             registry=r)  # fmt: skip

    def observe(self, result: SyncResult, seconds: float) -> None:
        env = result.env
        self.duration.labels(env).observe(seconds)
        self.applied.labels(env).inc(len(result.applied))
        self.pruned.labels(env).inc(len(result.pruned))
        self.drifted.labels(env).set(len(result.drifted))
        self.syncs.labels(env, result.status.value).inc()
        if result.status is Status.SYNCED:
            self.last_success.labels(env).set_to_current_time()

    def serve(self, port: int, addr: str = "0.0.0.0") -> None:  # noqa: S104 - in a pod
        """Serve /metrics from a daemon thread."""
        start_http_server(port, addr=addr, registry=self.registry)
