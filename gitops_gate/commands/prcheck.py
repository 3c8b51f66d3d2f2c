"""`gitops-gate pr-check`: a pull request's change checked, posted as one GitHub check."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from gitops_gate.audit.event import AuditSink
from gitops_gate.commands._audit_sink import audit_sink
from gitops_gate.commands._output import pick_format
from gitops_gate.config import find_root
from gitops_gate.errors import EXIT_FAILED, EXIT_OK
from gitops_gate.prcheck import Report, pr_check, read_inputs
from gitops_gate.prcheck.inputs import DEFAULT_TOKEN_ENV
from gitops_gate.report.json import dumps
from gitops_gate.report.text import finding_lines
from gitops_gate.secrets.imports import use_stand_ins
from gitops_gate.windows.when import parse_moment

FORMATS = ("text", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "pr-check",
        parents=[common],
        help="check a pull request and post one GitHub check run and comment",
        description=(
            "Check a pull request's change (config, policies and windows from its base), post a"
            " check run `gitops-gate` with annotations and one living comment with the"
            " environment diff. In GitHub Actions the GITHUB_* variables say which pull request;"
            " elsewhere pass --repo, --pr and --token-env. Exit 0 passed, 1 failed, 2 usage,"
            " 3 GitHub or another environment error."
        ),
    )
    p.add_argument("path", nargs="?", type=Path, default=Path(), help="the clone (default .)")
    p.add_argument(
        "--repo", metavar="OWNER/NAME", help="the repository (default GITHUB_REPOSITORY)"
    )
    p.add_argument("--pr", type=int, metavar="N", help="the pull request (default: the event's)")
    p.add_argument(
        "--token-env",
        metavar="VAR",
        default=DEFAULT_TOKEN_ENV,
        help="the environment variable holding the token (default GITHUB_TOKEN)",
    )
    p.add_argument("--api-url", metavar="URL", help="GitHub's API (default GITHUB_API_URL)")
    p.add_argument(
        "--dry-run",
        metavar="DIR",
        type=Path,
        help="post nothing: write DIR/comment.md and DIR/check-run.json",
    )
    p.add_argument("--at", metavar="TIME", help="judge sync windows at TIME (default now)")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return prcheck(
        path=args.path,
        repo=args.repo,
        number=args.pr,
        token_env=args.token_env,
        api_url=args.api_url,
        dry_run=args.dry_run,
        at=args.at,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
    )


def prcheck(
    *,
    path: Path,
    repo: str | None,
    number: int | None,
    token_env: str,
    api_url: str | None,
    dry_run: Path | None,
    at: str | None,
    config: Path | None,
    fmt: str | None,
    quiet: bool,
    audit: AuditSink | None = None,
) -> int:
    chosen = pick_format(fmt, FORMATS)
    environ = dict(os.environ)
    if api_url:
        environ["GITHUB_API_URL"] = api_url
    inputs = read_inputs(environ, repo=repo, number=number, token_env=token_env)
    root = find_root([path], config).resolve()
    use_stand_ins()  # this command owns its process, as `check` does
    with audit_sink(root, config) as store:
        report = pr_check(
            root,
            inputs,
            audit=audit or store,
            config_path=config,
            dry_run=dry_run,
            at=parse_moment(at) if at else None,
            fork_secrets=True,
            ci=_ci(environ),
        )
    if chosen == "json":
        print(dumps(report.to_json()))
    else:
        _print_text(report, quiet=quiet)
    return EXIT_OK if report.outcome.passed else EXIT_FAILED


def _ci(environ: dict[str, str]) -> str | None:
    actor, workflow = environ.get("GITHUB_ACTOR"), environ.get("GITHUB_WORKFLOW")
    return f"github-actions:{workflow}:{actor}" if actor and workflow else None


def _print_text(report: Report, *, quiet: bool) -> None:
    o = report.outcome
    lines = [] if quiet else finding_lines(o.check.findings, markup=False)
    c = o.counts
    lines.append(
        f"Pull request #{o.pull.number}: {c['error']} errors, {c['warning']} warnings, "
        f"{c['info']} notices, {c['waived']} waived"
    )
    posted = report.posted
    if posted is None:
        lines.append("Dry run: nothing was posted")
    else:
        for label, url in (("Check run", posted.check_run), ("Comment", posted.comment)):
            if url:
                lines.append(f"{label}: {url}")
        if posted.status:
            lines.append(f"Commit status: {posted.status}")
        lines += [f"Note: {n.replace('`', '')}" for n in posted.notes]
    lines.append("Passed" if o.passed else "Failed")
    print("\n".join(lines), file=sys.stdout)
