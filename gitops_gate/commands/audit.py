"""`gitops-gate audit`: verify, export, import-git, import-github and report over the audit log."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gitops_gate.audit.export import FORMATS
from gitops_gate.audit.export import export as write_events
from gitops_gate.audit.gitlog import commit_events
from gitops_gate.audit.html import render_html
from gitops_gate.audit.markdown import render_markdown
from gitops_gate.audit.open import open_store
from gitops_gate.audit.store import Query
from gitops_gate.audit.summary import summarize
from gitops_gate.commands._output import pick_format
from gitops_gate.config import find_root, load_config
from gitops_gate.config.model import Config
from gitops_gate.errors import EXIT_FAILED, EXIT_OK, UsageError
from gitops_gate.github.client import GitHub, connect
from gitops_gate.prcheck.audit import approval_events
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
    imported = verbs.add_parser(
        "import-git", parents=[common], help="record commits that reached an environment"
    )
    imported.add_argument("path", nargs="?", type=Path, default=Path(), help="repository")
    imported.add_argument("--since", metavar="DATE", help="only commits since DATE (ISO 8601)")
    imported.set_defaults(func=_import_git)
    github = verbs.add_parser(
        "import-github", parents=[common], help="record merged pull requests' approving reviews"
    )
    github.add_argument("path", nargs="?", type=Path, default=Path(), help="repository")
    github.add_argument("--since", metavar="DATE", help="only pull requests merged since DATE")
    github.add_argument("--repo", metavar="OWNER/NAME", help="default: $GITHUB_REPOSITORY")
    github.add_argument("--token-env", default="GITHUB_TOKEN", metavar="VAR",
                        help="the variable holding the token (default GITHUB_TOKEN)")  # fmt: skip
    github.add_argument("--api-url", metavar="URL", help="GitHub Enterprise: its API's URL")
    github.set_defaults(func=_import_github)
    exported = verbs.add_parser(
        "export", parents=[common], help="print events as jsonl, json, csv or ocsf (--format)"
    )
    _filters(exported)
    exported.add_argument("--action", metavar="ACTION", help="only ACTION (or its family)")
    exported.add_argument("--until", metavar="TIME", help="only events before TIME (ISO 8601)")
    exported.set_defaults(func=_export)
    reported = verbs.add_parser(
        "report", parents=[common], help="a page for auditors: html (default) or markdown"
    )
    _filters(reported)
    reported.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE")
    reported.set_defaults(func=_report)
    pruned = verbs.add_parser(
        "prune", parents=[common], help="remove events older than audit.retentionDays"
    )
    pruned.add_argument("path", nargs="?", type=Path, default=Path(), help="repository")
    pruned.add_argument("--days", type=int, metavar="N", help="keep N days (default: config)")
    pruned.set_defaults(func=_prune)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", type=Path, default=Path(), help="repository")
    p.add_argument("--since", metavar="TIME", help="only events at or after TIME (ISO 8601)")
    p.add_argument("--env", metavar="ENV", help="only events of this environment")


def _config(args: argparse.Namespace) -> Config:
    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file or folder")
    config = Path(args.config) if args.config else None
    return load_config(find_root([args.path], config), config)


def _verify(args: argparse.Namespace) -> int:
    return verify(config=_config(args), fmt=args.fmt)


def verify(*, config: Config, fmt: str | None) -> int:
    """Recompute the chain; every break is printed with its position (exit 1)."""
    chosen = pick_format(fmt, ("text", "json"))
    store = open_store(config, create=False)
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


def _import_git(args: argparse.Namespace) -> int:
    return import_git(config=_config(args), since=_moment(args.since))


def import_git(*, config: Config, since: datetime | None) -> int:
    """Append an event per commit and environment it reached; those stored already are kept."""
    store = open_store(config)
    try:
        added = store.append_many(commit_events(config, since))
    finally:
        store.close()
    print(f"{added} new events from git history ({store.location})")
    return EXIT_OK


def _import_github(args: argparse.Namespace) -> int:
    repo = args.repo or os.environ.get("GITHUB_REPOSITORY") or ""
    api_url = args.api_url or os.environ.get("GITHUB_API_URL")
    gh = connect(os.environ.get(args.token_env, ""), repo, api_url=api_url)
    return import_github(config=_config(args), gh=gh, since=_moment(args.since))


def import_github(*, config: Config, gh: GitHub, since: datetime | None) -> int:
    """Append an event per approving review of a merged pull request; known ones are kept."""
    store = open_store(config)
    try:
        added = store.append_many(approval_events(gh, since=since))
    finally:
        store.close()
    print(f"{added} new events from GitHub reviews ({store.location})")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    query = Query(_moment(args.since), _moment(args.until), args.env, args.action)
    return export(config=_config(args), fmt=args.fmt, query=query)


def export(*, config: Config, fmt: str | None, query: Query) -> int:
    """Print the matching events in fmt, as they are read."""
    chosen = pick_format(fmt, FORMATS)
    store = open_store(config, create=False)
    try:
        write_events(store.query(query), chosen, sys.stdout)
    finally:
        store.close()
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    query = Query(since=_moment(args.since), environment=args.env)
    return report(config=_config(args), fmt=args.fmt, query=query, output=args.output)


def report(*, config: Config, fmt: str | None, query: Query, output: Path | None) -> int:
    """Write the report over the matching events (and the whole chain's state)."""
    chosen = pick_format(fmt, ("html", "markdown"))
    store = open_store(config, create=False)
    try:
        summary, chain = summarize(store.query(query)), store.verify()
    finally:
        store.close()
    title = f"Audit report: {config.root.resolve().name}"
    render = render_html if chosen == "html" else render_markdown
    page = render(summary, chain, title=title)
    if output is None:
        sys.stdout.write(page)
    else:
        output.write_text(page, encoding="utf-8")
    return EXIT_OK


def _prune(args: argparse.Namespace) -> int:
    return prune(config=_config(args), days=args.days)


def prune(*, config: Config, days: int | None) -> int:
    """Remove events older than days (or audit.retentionDays); the chain stays verifiable."""
    keep = days if days is not None else config.audit.retention_days
    if keep is None or keep < 1:
        raise UsageError("no retention set", hint="pass --days N or set audit.retentionDays")
    store = open_store(config, create=False)
    try:
        gone = store.prune(datetime.now(UTC) - timedelta(days=keep))
    finally:
        store.close()
    print(f"{gone} events older than {keep} days removed ({store.location})")
    return EXIT_OK


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise UsageError(
            f"{value!r} is not a time", hint="use ISO 8601: 2026-11-02 or 2026-11-02T09:00Z"
        ) from e
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
