"""`gitops-gate audit`: verify, export, import-git and report over the audit log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_gate.audit.gate import check_event
from gitops_gate.audit.open import open_store
from gitops_gate.commands._output import pick_format
from gitops_gate.config import find_root, load_config
from gitops_gate.config.model import Config
from gitops_gate.errors import EXIT_FAILED, EXIT_OK
from gitops_gate.policy.source import USER_DIR, load_policies
from gitops_gate.report.json import dumps


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "audit",
        parents=[common],
        help="the audit log: verify its hash chain, export it, import git history, report",
        description=(
            "The audit log of every gate decision and change. Exit 0 ok, 1 the chain is broken"
            " (verify), 2 usage, 3 the store cannot be read or written."
        ),
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    verify = verbs.add_parser("verify", parents=[common], help="recompute the hash chain")
    verify.add_argument("path", nargs="?", type=Path, default=Path(), help="repository")
    verify.set_defaults(func=_verify)


def _config(args: argparse.Namespace) -> Config:
    config = Path(args.config) if args.config else None
    return load_config(find_root([args.path], config), config)


def _verify(args: argparse.Namespace) -> int:
    return verify(config=_config(args), fmt=args.fmt)


def verify(*, config: Config, fmt: str | None) -> int:
    """Recompute the chain; every break is printed with its position (exit 1)."""
    chosen = pick_format(fmt, ("text", "json"))
    store = open_store(config)
    try:
        report = store.verify()
    finally:
        store.close()
    if chosen == "json":
        print(dumps(report.to_json()))
    else:
        for problem in report.problems:
            print(f"{store.location}: event {problem.seq}: {problem.kind}: {problem.message}")
        verdict = "intact" if report.ok else f"BROKEN ({len(report.problems)} problems)"
        print(f"{report.events} events, chain {verdict}, head {report.head[:16]}")
    return EXIT_OK if report.ok else EXIT_FAILED


def record_check(result: Any, *, base: str | None) -> None:
    """Append the event of a finished `check` run (a gitops_gate.api.CheckResult)."""
    config: Config = result.config
    paths = config.policy.paths or (USER_DIR,)
    policies = load_policies(config.root, user_dirs=paths, builtin=config.policy.builtin)
    event = check_event(
        config=config,
        findings=result.findings,
        failed=result.failed,
        policies={f.path: f.text for f in policies.files},
        changed=result.changed,
        base=base,
    )
    store = open_store(config)
    try:
        store.append(event)
    finally:
        store.close()
    print(f"gitops-gate: recorded in the audit log ({store.location})", file=sys.stderr)
