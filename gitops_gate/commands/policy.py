"""`gitops-gate policy [PATHS]` and `gitops-gate policy list`: Rego policies over manifests."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

FORMATS = ("text", "json")
LIST_FORMATS = ("text", "json", "markdown")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads it anyway.
    from gitops_gate.config.model import ENGINE_MODES

    p = subparsers.add_parser(
        "policy",
        parents=[common],
        help="evaluate the built-in and the repo's Rego policies; `policy list` shows the rules",
        description=(
            "Evaluate Rego policies (the built-in library plus the repo's policies/) over "
            "manifests. `gitops-gate policy list` prints the built-in rules. Exit 0 passed, "
            "1 failed, 2 usage or a policy that does not compile, 3 environment."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders, or `list`")
    p.add_argument("--engine", choices=ENGINE_MODES, default="auto")
    p.add_argument("--base-ref", metavar="REF", help="load the repo's policies from this ref")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    if args.paths[:1] == ["list"]:
        return policy_list(fmt=args.fmt)
    return policy(
        paths=[Path(p) for p in args.paths],
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        engine=args.engine,
        base_ref=args.base_ref,
    )


def policy(
    *, paths: list[Path], config: Path | None, fmt: str | None, engine: str, base_ref: str | None
) -> int:
    from gitops_gate.commands._output import pick_format
    from gitops_gate.config import find_root, load_config
    from gitops_gate.errors import EXIT_FAILED, EXIT_OK
    from gitops_gate.findings import gate_fails
    from gitops_gate.manifests.loader import load
    from gitops_gate.policy import policy_findings

    chosen = pick_format(fmt, FORMATS)
    root = find_root(paths, config)
    cfg = load_config(root, config)
    loaded = load(paths or [root], root=root, options=cfg.load_options())
    findings = policy_findings(loaded, cfg, engine=engine, base_ref=base_ref)
    failed = gate_fails(findings, cfg.fail_level)
    print(_render(chosen, findings, failed=failed, resources=len(loaded.resources)))
    return EXIT_FAILED if failed else EXIT_OK


def _render(fmt: str, findings: list[Any], *, failed: bool, resources: int) -> str:
    from gitops_gate.report.json import counts, dumps, findings_json

    if fmt == "json":
        payload = {"passed": not failed, "counts": counts(findings), "resources": resources}
        return dumps({**payload, "findings": findings_json(findings)})
    from gitops_gate.report.text import finding_lines, plural

    lines = finding_lines(findings, markup=False)
    c = counts(findings)
    lines.append(
        f"Checked {plural(resources, 'resource')} against policies: "
        f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}"
        + (f", {c['waived']} waived" if c["waived"] else "")
    )
    lines.append("Failed" if failed else "Passed")
    return "\n".join(lines)


def policy_list(*, fmt: str | None) -> int:
    from gitops_gate.commands._output import pick_format
    from gitops_gate.policy.library import markdown, rules

    chosen = pick_format(fmt, LIST_FORMATS)
    infos = rules()
    if chosen == "json":
        from gitops_gate.report.json import dumps

        print(dumps({"rules": [r.to_json() for r in infos]}))
    elif chosen == "markdown":
        print(markdown(infos), end="")
    else:
        width = max(len(r.id) for r in infos)
        for r in infos:
            print(f"{r.id:<{width}}  {r.severity:<7}  {r.title}")
    return 0
