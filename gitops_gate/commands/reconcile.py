"""`gitops-gate reconcile`, `status`, `history`, `approve` and `rollback`: Git to cluster."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from gitops_gate.audit.actor import ci_identity
from gitops_gate.audit.event import Actor, AuditSink
from gitops_gate.commands._audit_sink import audit_sink
from gitops_gate.commands._output import console, pick_format
from gitops_gate.config import find_root
from gitops_gate.diff.api import DiffResult
from gitops_gate.diff.text import show
from gitops_gate.errors import UsageError
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.errors import ReconcileError
from gitops_gate.reconcile.fetch import fetch
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.metrics import Metrics
from gitops_gate.reconcile.model import Request, SyncResult
from gitops_gate.reconcile.notify import from_environment, notify
from gitops_gate.reconcile.retry import backoff
from gitops_gate.reconcile.verbs import approve, history, rollback, status
from gitops_gate.report.json import dumps

FORMATS = ("text", "json")
_ENV_HELP = "the environment (as .gitops-gate.yaml names it)"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = _verb(subparsers, common, "reconcile", "sync an environment from Git to its cluster")
    p.add_argument("--revision", default="HEAD", metavar="REV", help="what to apply (HEAD)")
    p.add_argument("--plan", action="store_true", help="print what would change and stop")
    p.add_argument("--once", action="store_true", help="one cycle (the default)")
    p.add_argument("--interval", type=float, metavar="SECONDS", help="a cycle every SECONDS")
    p.add_argument("--override", metavar="REASON", help="sync through windows/approval (audited)")
    p.add_argument("--health-timeout", type=float, metavar="SECONDS")
    p.add_argument(
        "--lease-seconds", type=float, default=60.0, metavar="SECONDS",
        help="how long a reconciler that died mid-sync keeps others out (60)",
    )  # fmt: skip
    p.add_argument("--metrics-port", type=int, metavar="PORT", help="serve /metrics on PORT")
    p.set_defaults(func=_reconcile)
    _verb(subparsers, common, "status", "the environment's sync status").set_defaults(func=_status)
    _verb(subparsers, common, "history", "past syncs, newest first").set_defaults(func=_history)
    p = _verb(subparsers, common, "approve", "let a revision sync where autoSync is off")
    p.add_argument("revision", metavar="REV")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=_approve)
    p = _verb(subparsers, common, "rollback", "re-apply an earlier revision")
    p.add_argument("revision", nargs="?", metavar="REV", help="default: the last healthy one")
    p.add_argument("--before", metavar="TIME", help="the last healthy one synced before TIME")
    p.add_argument("--override", metavar="REASON", help="roll back even with autoSync on")
    p.set_defaults(func=_rollback)


def _verb(subparsers: Any, common: argparse.ArgumentParser, name: str, text: str) -> Any:
    p = subparsers.add_parser(
        name, parents=[common], help=text,
        description=f"{text[0].upper()}{text[1:]}. Exit 0 synced, 1 failed, degraded or"
        " blocked, 2 usage, 3 cluster unreachable.",
    )  # fmt: skip
    p.add_argument("--env", required=True, metavar="ENV", help=_ENV_HELP)
    p.add_argument("--path", type=Path, default=Path(), help="the repository (default .)")
    p.add_argument(
        "--repo", metavar="URL",
        help="clone/fetch the repository from URL into the cache instead"
        " (token from $GITOPS_GATE_GIT_TOKEN, SSH key file from $GITOPS_GATE_GIT_SSH_KEY)",
    )  # fmt: skip
    p.add_argument("--kubeconfig", type=Path, metavar="FILE")
    p.add_argument("--context", metavar="NAME")
    return p


def _cluster(args: argparse.Namespace) -> Cluster:

    return Cluster.connect(args.kubeconfig, args.context)


def _root(args: argparse.Namespace) -> Path:
    """The repository: a path, or the cache clone of --repo fetched now."""

    if args.repo:
        return fetch(args.repo)
    return find_root([args.path], None)


def _revision(args: argparse.Namespace, given: str) -> str:
    """HEAD of a clone from --repo is where it was cloned: the remote's default branch."""
    return "origin/HEAD" if args.repo and given == "HEAD" else given


def _actor() -> Actor:

    return Actor(user=getpass.getuser(), ci=ci_identity())


def _reconcile(args: argparse.Namespace, audit: AuditSink | None = None) -> int:

    root = _root(args)
    with audit_sink(root) as store:
        return _cycles(args, root, audit or store)


def _cycles(args: argparse.Namespace, root: Path, audit: AuditSink) -> int:
    """One cycle, or one every --interval seconds until stopped."""
    fmt = pick_format(args.fmt, FORMATS)
    request = Request(
        root, args.env, revision=_revision(args, args.revision), plan_only=args.plan,
        override=args.override, actor=_actor(), health_timeout=args.health_timeout,
        lease_seconds=args.lease_seconds,
    )  # fmt: skip
    cluster = _cluster(args)
    metrics = _metrics(args.metrics_port)
    hooks = from_environment(os.environ)
    failures = 0
    while True:
        started = time.monotonic()
        try:
            if args.repo:
                request = dataclasses.replace(request, root=_root(args))  # fetch again
            result = reconcile(request, cluster=cluster, audit=audit)
        except ReconcileError as e:
            if args.interval is None or args.plan:
                raise
            # The loop outlives an unreachable API or a held Lease: it tries again, later
            # the longer it keeps failing (exponential backoff with jitter).
            print(f"gitops-gate: {e.one_line()}", file=sys.stderr)
            time.sleep(args.interval + backoff(failures, cap=600.0))
            failures += 1
            continue
        failures = 0
        metrics.observe(result, time.monotonic() - started)
        for style in notify(hooks, result):
            print(f"gitops-gate: the {style} webhook could not be reached", file=sys.stderr)
        _show(result, fmt)
        if args.interval is None or args.plan:
            return _code(result, plan=args.plan)
        time.sleep(args.interval)


def _metrics(port: int | None) -> Metrics:

    found = Metrics()
    if port is not None:
        found.serve(port)
    return found


def _code(result: SyncResult, *, plan: bool) -> int:
    """0 synced (or a plan made), 1 failed, degraded, blocked or drifted."""
    if plan:
        return 0 if result.status.value in ("synced", "out-of-sync") else 1
    return 0 if result.status.value == "synced" else 1


def _show(result: SyncResult, fmt: str) -> None:

    if fmt == "json":
        print(dumps(result.to_json()))
        return
    out = console()
    if result.plan is not None and not result.applied and not result.pruned:
        plan = result.plan
        diff = DiffResult("cluster", result.revision[:12], envs=[plan.env_diff()])
        show(diff, out)
        out.print(f"{len(plan.create)} to create, {len(plan.change)} to change, "
                  f"{len(plan.unchanged)} unchanged, {len(plan.prune)} to prune")  # fmt: skip
    line = f"{result.env}: {result.status.value} at {result.revision[:12]}"
    print(line + (f": {result.reason}" if result.reason else ""))


def _status(args: argparse.Namespace) -> int:

    found = status(_cluster(args), args.env)
    if args.fmt == "json":
        print(dumps(found))
    else:
        for key in ("status", "revision", "lastSync", "lastResult", "reason", "objects"):
            print(f"{key}: {'-' if found[key] in (None, '') else found[key]}")
        for ref in found["drifted"]:
            print(f"drifted: {ref}")
    return 0 if found["status"] == "synced" else 1


def _history(args: argparse.Namespace) -> int:

    entries = history(_cluster(args), args.env)
    if args.fmt == "json":
        print(dumps({"schemaVersion": 1, "environment": args.env, "history": entries}))
        return 0
    for e in entries:
        reason = f"  {e['reason']}" if e.get("reason") else ""
        print(f"{e['time']}  {e['revision'][:12]}  {e['result']}{reason}")
    return 0


def _approve(args: argparse.Namespace, audit: AuditSink | None = None) -> int:
    root = _root(args)
    with audit_sink(root) as store:
        sha = approve(
            root=root, cluster=_cluster(args), env=args.env, actor=_actor(), audit=audit or store,
            revision=_revision(args, args.revision), reason=args.reason,
        )  # fmt: skip
    print(f"{args.env}: approved {sha[:12]}")
    return 0


def _rollback(args: argparse.Namespace, audit: AuditSink | None = None) -> int:

    try:
        before = datetime.fromisoformat(args.before) if args.before else None
    except ValueError as e:
        raise UsageError(f"--before {args.before!r} is not a time", hint="use ISO 8601") from e
    root = _root(args)
    with audit_sink(root) as store:
        result = rollback(
            root=root, cluster=_cluster(args), env=args.env, audit=audit or store,
            revision=args.revision, before=before, override=args.override, actor=_actor(),
        )  # fmt: skip
    _show(result, args.fmt or "text")
    return 0 if result.status.value == "synced" else 1
