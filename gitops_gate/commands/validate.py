"""`gitops-gate validate`: manifests against Kubernetes and CRD schemas, and an exit code."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import FORMATS, pick_format, plain, report, run
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.report.text import plural


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads them anyway.

    p = subparsers.add_parser(
        "validate",
        parents=[common],
        help="validate manifests against Kubernetes and CRD schemas",
        description=(
            "Validate manifests against the schemas of the configured Kubernetes version and "
            "of every CRD found. Files named here are read as manifests. Exit 0 passed, "
            "1 failed, 2 usage, 3 environment. Formats: " + ", ".join(FORMATS) + "."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--engine", choices=ENGINE_MODES, default=None)
    p.add_argument("--strict", action="store_true", default=None, help="unknown fields fail")
    p.add_argument("--kubernetes-version", metavar="X.Y", default=None)
    p.add_argument("--skip", action="append", metavar="KIND", help="kind or apiVersion/kind")
    p.add_argument("--reject", action="append", metavar="KIND", help="kind or apiVersion/kind")
    p.add_argument("--crd-dir", action="append", type=Path, metavar="DIR")
    p.add_argument("--schema-location", action="append", metavar="TEMPLATE")
    p.add_argument("--ignore-missing-schemas", action="store_true", default=None)
    p.add_argument(
        "--no-bundled-crds",
        action="store_true",
        help="do not use the CRD schemas shipped with gitops-gate (Flux, cert-manager, ...)",
    )
    p.add_argument("--no-cache", action="store_true", help="ignore and keep no cached results")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return validate(
        paths=args.paths,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
        engine=args.engine,
        overrides={
            "strict": args.strict,
            "kubernetes_version": args.kubernetes_version,
            "skip_kinds": args.skip,
            "reject_kinds": args.reject,
            "crd_dirs": tuple(args.crd_dir) if args.crd_dir else None,
            "schema_locations": _locations(args.schema_location),
            "ignore_missing_schemas": args.ignore_missing_schemas,
            "bundled_crds": False if args.no_bundled_crds else None,
            "cache": False if args.no_cache else None,
        },
    )


def _locations(given: list[str] | None) -> tuple[str, ...] | None:
    if not given:
        return None
    return tuple(g if Path(g).is_absolute() else str(Path.cwd() / g) for g in given)


def validate(
    *,
    paths: list[Path],
    config: Path | None,
    fmt: str | None,
    quiet: bool,
    engine: str | None,
    overrides: dict[str, Any],
) -> int:
    """The schema check alone, through the pipeline: files named are read as manifests."""

    chosen = pick_format(fmt, FORMATS)
    result = run(
        paths,
        fmt=chosen,
        quiet=quiet,
        config_path=config,
        checks=("schema",),
        engines={"schema": engine} if engine else {},
        schema_options=overrides,
        named_are_manifests=True,
    )
    summary = result.schema
    extra = {"summary": summary.to_json()} if summary is not None else {}
    return report(
        result,
        chosen,
        name="gitops-gate validate",
        text=lambda: print(_text(result, quiet=quiet)),
        extra=extra,
    )


def _text(result: Any, *, quiet: bool) -> str:

    s = result.schema
    lines = [
        f"Validated {plural(s.resources, 'resource')} with {s.backend} against Kubernetes "
        f"{s.kubernetes_version}: valid {s.valid}, invalid {s.invalid}, errors {s.errors}, "
        f"skipped {s.skipped}, no schema {s.no_schema}"
    ]
    if s.cached and not quiet:
        line = f"{plural(s.cached, 'unchanged document')} taken from the cache"
        if s.unchanged_files:
            files = plural(s.unchanged_files, "unchanged file")
            line += f" ({files} neither parsed nor validated)"
        lines.append(line)
    return plain(result, lines)
