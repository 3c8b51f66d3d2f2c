"""`gitops-gate policy [PATHS]` and `gitops-gate policy list`: Rego policies over manifests."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import FORMATS, pick_format, plain, report, run
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.policy.library import markdown, rules
from gitops_gate.report.json import counts, dumps
from gitops_gate.report.text import plural

LIST_FORMATS = ("text", "json", "markdown")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads them anyway.

    p = subparsers.add_parser(
        "policy",
        parents=[common],
        help="evaluate the built-in and the repo's Rego policies; `policy list` shows the rules",
        description=(
            "Evaluate Rego policies (the built-in library plus the repo's policies/) over "
            "manifests. `gitops-gate policy list` prints the built-in rules. Exit 0 passed, "
            "1 failed (a path that does not exist and invalid YAML fail as in `check`), 2 usage or "
            "a policy that does not compile, 3 environment. Formats: " + ", ".join(FORMATS) + "."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders, or `list`")
    p.add_argument("--engine", choices=ENGINE_MODES, help="conftest or built-in (default: config)")
    p.add_argument("--base-ref", metavar="REF", help="load the repo's policies from this ref")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    if args.paths[:1] == ["list"]:
        return policy_list(fmt=args.fmt)
    return policy(
        paths=[Path(p) for p in args.paths],
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
        engine=args.engine,
        base_ref=args.base_ref,
    )


def policy(
    *,
    paths: list[Path],
    config: Path | None,
    fmt: str | None,
    quiet: bool = False,
    engine: str | None = None,
    base_ref: str | None = None,
) -> int:
    """The policy check alone, through the pipeline: the loader's findings count too."""

    chosen = pick_format(fmt, FORMATS)
    result = run(
        paths,
        fmt=chosen,
        quiet=quiet,
        config_path=config,
        checks=("policy",),
        engines={"policy": engine} if engine else {},
        base_ref=base_ref,
    )
    return report(result, chosen, name="gitops-gate policy", text=lambda: print(_text(result)))


def _text(result: Any) -> str:

    c = counts(result.findings)
    summary = (
        f"Checked {plural(result.resources, 'resource')} against policies: "
        f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}"
        + (f", {c['waived']} waived" if c["waived"] else "")
    )
    return plain(result, [summary])


def policy_list(*, fmt: str | None) -> int:

    chosen = pick_format(fmt, LIST_FORMATS)
    infos = rules()
    if chosen == "json":
        print(dumps({"rules": [r.to_json() for r in infos]}))
    elif chosen == "markdown":
        print(markdown(infos), end="")
    else:
        width = max(len(r.id) for r in infos)
        for r in infos:
            print(f"{r.id:<{width}}  {r.severity:<7}  {r.title}")
    return 0
