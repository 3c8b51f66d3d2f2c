"""`gitops-gate secrets [PATHS]`: secrets in any file, shown by kind and place, never by value."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import FORMATS, pick_format, plain, report, run


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads it anyway.

    p = subparsers.add_parser(
        "secrets",
        parents=[common],
        help="scan files (any kind, not only manifests) for private keys and tokens",
        description=(
            "Scan files for private keys, cloud keys, GitHub/GitLab/Slack tokens, JWTs and "
            "high-entropy values under credential-like keys (detect-secrets). A finding shows "
            "file:line and the kind, never the value. Known secrets can be listed in a "
            "detect-secrets baseline (.secrets.baseline) or under secrets.allow in "
            ".gitops-gate.yaml. Manifests are loaded too: a path that does not exist or "
            "invalid YAML fails as in `check`. Exit 0 passed, 1 secrets found (or such a "
            "finding), 2 usage, 3 environment. Formats: " + ", ".join(FORMATS) + "."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return secrets(
        paths=args.paths,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
    )


def secrets(*, paths: list[Path], config: Path | None, fmt: str | None, quiet: bool = False) -> int:
    """The secrets check alone, through the pipeline: the loader's findings count too."""

    chosen = pick_format(fmt, FORMATS)
    result = run(paths, fmt=chosen, quiet=quiet, config_path=config, checks=("secrets",))
    return report(result, chosen, name="gitops-gate secrets", text=lambda: print(_text(result)))


def _text(result: Any) -> str:

    found = sum(1 for f in result.findings if f.check == "secrets")
    return plain(result, [f"{found} secret(s) found" if found else "No secrets found"])
