"""`gitops-gate config show|validate`: the effective configuration and where it came from."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import console, pick_format
from gitops_gate.config import find_root, load_config
from gitops_gate.report.escape import markup
from gitops_gate.report.json import dumps

FORMATS = ("text", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("config", parents=[common], help="show or validate .gitops-gate.yaml")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    show = verbs.add_parser("show", parents=[common], help="print the effective configuration")
    show.add_argument("path", nargs="?", type=Path, default=None, metavar="REPO")
    show.set_defaults(func=lambda a: config_show(repo=a.path, config=_path(a.config), fmt=a.fmt))
    check = verbs.add_parser("validate", parents=[common], help="exit 2 if the config is invalid")
    check.add_argument("path", nargs="?", type=Path, default=None, metavar="REPO")
    check.set_defaults(func=lambda a: config_validate(repo=a.path, config=_path(a.config)))


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _load(repo: Path | None, config: Path | None) -> Any:

    root = find_root([repo] if repo else [], config)
    return load_config(root, config)


def config_validate(*, repo: Path | None, config: Path | None) -> int:
    cfg = _load(repo, config)
    where = cfg.path if cfg.path else "no config file; environments discovered"
    print(f"configuration is valid ({where})")
    return 0


def config_show(*, repo: Path | None, config: Path | None, fmt: str | None) -> int:

    cfg = _load(repo, config)
    if pick_format(fmt, FORMATS) == "json":
        print(dumps({"config": cfg.to_json()}))
        return 0
    from rich.table import Table

    out = console()
    out.print(f"root: {cfg.root}")
    out.print(f"config: {cfg.path or 'none (environments discovered from the repository)'}")
    out.print(
        f"fail level: {cfg.fail_level.label}; engines: "
        + ", ".join(f"{k}={cfg.engine(k)}" for k in ("schema", "policy", "render"))
    )
    table = Table("environment", "paths", "production", "auto-sync", "windows", "from")
    for env in cfg.environments:
        table.add_row(  # cells are Rich markup; names and paths come from the repo's folders
            markup(env.name),
            markup(", ".join(env.paths)),
            _yes(env.production),
            _yes(env.auto_sync),
            str(len(env.sync_windows)),
            markup(f"{env.rule}: {env.source}"),
        )
    if cfg.environments:
        out.print(table)
    else:
        out.print("no environments found (declare them under `environments:` in .gitops-gate.yaml)")
    for notice in cfg.notices:
        out.print(f"notice: {markup(notice)}")
    return 0


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
