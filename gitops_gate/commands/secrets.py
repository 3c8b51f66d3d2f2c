"""`gitops-gate secrets [PATHS]`: secrets in any file, shown by kind and place, never by value."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FORMATS = ("text", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "secrets",
        parents=[common],
        help="scan files (any kind, not only manifests) for private keys and tokens",
        description=(
            "Scan files for private keys, cloud keys, GitHub/GitLab/Slack tokens, JWTs and "
            "high-entropy values under credential-like keys (detect-secrets). A finding shows "
            "file:line and the kind, never the value. Known secrets can be listed in a "
            "detect-secrets baseline (.secrets.baseline) or under secrets.allow in "
            ".gitops-gate.yaml. Exit 0 passed, 1 secrets found, 2 usage, 3 environment."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return secrets(
        paths=args.paths, config=Path(args.config) if args.config else None, fmt=args.fmt
    )


def secrets(*, paths: list[Path], config: Path | None, fmt: str | None) -> int:
    from gitops_gate.commands._output import pick_format
    from gitops_gate.config import find_root, load_config
    from gitops_gate.errors import EXIT_FAILED, EXIT_OK
    from gitops_gate.findings import gate_fails
    from gitops_gate.report.json import counts, dumps, findings_json
    from gitops_gate.secrets import secret_findings

    chosen = pick_format(fmt, FORMATS)
    root = find_root(paths, config)
    cfg = load_config(root, config)
    findings = secret_findings(paths or [root], root, cfg)
    failed = gate_fails(findings, cfg.fail_level)
    if chosen == "json":
        print(
            dumps(
                {
                    "passed": not failed,
                    "counts": counts(findings),
                    "findings": findings_json(findings),
                }
            )
        )
    else:
        from gitops_gate.report.escape import terminal

        for f in findings:
            print(terminal(f"{f.location}: {f.severity.label}: {f.message} [{f.rule}]"))
        print(f"{len(findings)} secret(s) found" if findings else "No secrets found")
    return EXIT_FAILED if failed else EXIT_OK
