"""Webhooks get each event worth telling, in JSON or Slack's shape, with no secret in them."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client import generate_latest

from gitops_gate.reconcile.metrics import Metrics
from gitops_gate.reconcile.model import Status, SyncResult
from gitops_gate.reconcile.notify import Webhook, from_environment, notify
from gitops_gate.reconcile.objects import ObjectRef

SHA = "0123456789abcdef0123456789abcdef01234567"
TOKEN = "ghp_" + "A" * 36  # a credential-shaped string an API error might have quoted


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, object]]]]:
    got: list[dict[str, object]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            got.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    finally:
        server.shutdown()
        server.server_close()


def test_a_failed_sync_is_posted_as_json_and_to_slack_without_secrets(
    receiver: tuple[str, list[dict[str, object]]],
) -> None:
    url, got = receiver
    result = SyncResult("prod", SHA, Status.FAILED, f"apply failed: token {TOKEN} refused")

    failed = notify([Webhook(url, "json"), Webhook(url, "slack")], result, sleep=lambda s: None)

    assert failed == []
    generic, slack = got
    assert (generic["event"], generic["environment"], generic["revision"]) == (
        "failed",
        "prod",
        SHA,
    )
    assert slack["text"].startswith("gitops-gate: prod failed at 0123456789ab")  # type: ignore[union-attr]
    assert TOKEN not in json.dumps(got)


def test_nothing_is_posted_for_a_cycle_that_changed_nothing(
    receiver: tuple[str, list[dict[str, object]]],
) -> None:
    url, got = receiver

    notify([Webhook(url, "json")], SyncResult("dev", SHA, Status.SYNCED), sleep=lambda s: None)

    assert got == []


def test_an_unreachable_hook_is_reported_by_style_never_by_url() -> None:
    hook = Webhook(f"http://127.0.0.1:1/{TOKEN}", "slack")
    result = SyncResult("dev", SHA, Status.DEGRADED, "x")

    assert notify([hook], result, sleep=lambda s: None) == ["slack"]
    assert TOKEN not in repr(hook)
    assert from_environment({"GITOPS_GATE_SLACK_WEBHOOK_URL": "https://h/x"}) == [
        Webhook("https://h/x", "slack")
    ]


def test_metrics_count_per_environment() -> None:
    metrics = Metrics()
    ref = ObjectRef("v1", "ConfigMap", "a", "b")
    metrics.observe(SyncResult("dev", SHA, Status.SYNCED, applied=[ref], pruned=[ref]), 1.5)
    metrics.observe(SyncResult("dev", SHA, Status.OUT_OF_SYNC, drifted=[ref, ref]), 0.5)

    text = generate_latest(metrics.registry).decode()

    assert 'gitops_gate_objects_applied_total{environment="dev"} 1.0' in text
    assert 'gitops_gate_objects_pruned_total{environment="dev"} 1.0' in text
    assert 'gitops_gate_drifted_objects{environment="dev"} 2.0' in text
    assert 'gitops_gate_syncs_total{environment="dev",status="out-of-sync"} 1.0' in text
    assert 'gitops_gate_sync_duration_seconds_count{environment="dev"} 2.0' in text


def test_metrics_are_served_on_http() -> None:
    metrics = Metrics()
    metrics.observe(SyncResult("prod", SHA, Status.SYNCED), 0.1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    metrics.serve(port, addr="127.0.0.1")

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()

    assert 'gitops_gate_last_successful_sync_timestamp_seconds{environment="prod"}' in text
