"""Webhook notifications of a cycle's outcome: generic JSON, or Slack's incoming-webhook payload.

A payload names the environment, revision, status, reason and objects, never a value: the
URLs themselves (Slack's carry a token) come from the environment and are never printed.
"""

from __future__ import annotations

import functools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gitops_gate.reconcile.errors import TemporaryError
from gitops_gate.reconcile.model import SCHEMA_VERSION, Status, SyncResult
from gitops_gate.reconcile.retry import with_retries
from gitops_gate.redact import Redactor

# Where the CLI finds webhook URLs; a URL is a credential, so never a command-line argument.
ENV_VARS = {"GITOPS_GATE_WEBHOOK_URL": "json", "GITOPS_GATE_SLACK_WEBHOOK_URL": "slack"}
_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str
    style: str  # json | slack

    def __repr__(self) -> str:
        return f"Webhook(style={self.style!r})"  # the URL may hold a token


def from_environment(environ: Mapping[str, str]) -> list[Webhook]:
    return [Webhook(environ[var], style) for var, style in ENV_VARS.items() if environ.get(var)]


def event_of(result: SyncResult) -> str | None:
    """What a cycle is worth telling: succeeded, failed, degraded, rolled-back, drift (or None)."""
    if result.rolled_back_to is not None:
        return "rolled-back" if result.status is Status.SYNCED else "degraded"
    if result.status in (Status.FAILED, Status.DEGRADED):
        return result.status.value
    if result.drifted:
        return "drift"
    if result.status is Status.SYNCED and (result.applied or result.pruned):
        return "succeeded"
    return None


def payload(result: SyncResult, event: str, style: str) -> dict[str, Any]:
    reason = Redactor()(result.reason)
    if style == "slack":
        text = f"gitops-gate: {result.env} {event} at {result.revision[:12]}"
        return {"text": text + (f": {reason}" if reason else "")}
    return {
        "schemaVersion": SCHEMA_VERSION,
        "event": event,
        "environment": result.env,
        "revision": result.revision,
        "status": result.status.value,
        "reason": reason,
        "applied": len(result.applied),
        "pruned": len(result.pruned),
        "drifted": [str(r) for r in result.drifted],
        "rolledBackTo": result.rolled_back_to,
    }


def notify(
    hooks: list[Webhook],
    result: SyncResult,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Post the cycle's event to every hook, retried with backoff; the hooks that failed."""
    event = event_of(result)
    failed = []
    for hook in hooks if event is not None else []:
        body = json.dumps(payload(result, event or "", hook.style)).encode()
        try:
            with_retries(functools.partial(_post, hook.url, body), attempts=3, sleep=sleep)
        except TemporaryError:
            failed.append(hook.style)
    return failed


def _post(url: str, body: bytes) -> None:
    if not url.startswith(("https://", "http://")):
        raise TemporaryError("a webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, OSError) as e:
        # The error text may quote the URL (and its token): only its kind is kept.
        raise TemporaryError(f"webhook post failed: {type(e).__name__}") from None
