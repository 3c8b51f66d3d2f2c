"""Schemas of the CRDs most repos use (Flux, cert-manager, ...), shipped in the package.

Maintainers rebuild the data with `python -m gitops_gate.validate.catalogue build SRC_DIR`,
where SRC_DIR holds one folder per project of CRD YAML files and that project's LICENSE.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
import shutil
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import cache_root
from gitops_gate.manifests.loader import load
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.crd import CrdSchema, is_crd, schemas_of
from gitops_gate.validate.sealed import SealedFolder

DATA = Path(__file__).with_name("catalogue")
INDEX = "index.json"
# Bump when the folder written into the cache changes shape.
_LAYOUT = "1"
# Annotations that name the upstream release; most CRDs carry none (only controller-gen's).
_VERSION_KEYS = ("gateway.networking.k8s.io/bundle-version", "operator.prometheus.io/version")


def schema_name(group: str, kind: str, version: str) -> str:
    """Where kubeconform's `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json` points."""
    return f"{group}/{kind.lower()}_{version}.json"


def build(
    src: Path, dest: Path = DATA, releases: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Convert every CRD under src (one folder per project) into dest, with licences and index;
    releases names a project's upstream tag or commit where its CRDs do not say."""
    releases = releases or {}
    shutil.rmtree(dest, ignore_errors=True)
    index: list[dict[str, Any]] = []
    for project in sorted(p for p in src.iterdir() if p.is_dir()):
        shutil.copyfile(project / "LICENSE", _out(dest / project.name / "LICENSE"))
        for path in sorted(project.glob("*.y*ml")):
            for crd in (r for r in load([path], root=project).resources if is_crd(r)):
                index.append(_build_one(crd, project.name, dest, releases.get(project.name, "")))
    _out(dest / INDEX).write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    return index


def _build_one(crd: Resource, project: str, dest: Path, release: str) -> dict[str, Any]:
    """Write one CRD's schemas, loose and strict, as gzip; its index entry."""
    unserved = _unserved(crd.body)
    # Repos pin older operators: v1beta1 ExternalSecrets are everywhere, though v2.9.0 stopped
    # serving them. A version's schema still says what that older operator accepted.
    crd = replace(crd, body=_all_served(crd.body))
    loose = schemas_of(crd, strict=False)
    strict = schemas_of(crd, strict=True)
    entry: dict[str, Any] = {
        "project": project,
        "upstreamVersion": _upstream(crd.body) or release,
        "unserved": unserved,
    }
    for mode, made in (("loose", loose), ("strict", strict)):
        for s in made:
            if s.schema is None:
                raise SystemExit(f"{project}: {s.kind} {s.version}: {s.problem}")
            data = json.dumps(s.schema, separators=(",", ":"), sort_keys=True).encode()
            name = f"{project}/{mode}/{schema_name(s.group, s.kind, s.version)}.gz"
            _out(dest / name).write_bytes(gzip.compress(data, mtime=0))
    entry |= {"group": loose[0].group, "kind": loose[0].kind, "versions": _versions(loose)}
    return entry


def _unserved(body: dict[str, Any]) -> list[str]:
    versions = (body.get("spec") or {}).get("versions") or []
    return [str(v["name"]) for v in versions if isinstance(v, dict) and v.get("served") is False]


def _all_served(body: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    for v in (body.get("spec") or {}).get("versions") or []:
        if isinstance(v, dict):
            v["served"] = True
    return body


def _versions(made: list[CrdSchema]) -> list[str]:
    return [s.version for s in made]


def _upstream(body: dict[str, Any]) -> str:
    notes = (body.get("metadata") or {}).get("annotations") or {}
    return next((str(notes[k]) for k in _VERSION_KEYS if k in notes), "")


def _out(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@cache
def index() -> list[dict[str, Any]]:
    """What the package ships: one entry per CRD (group, kind, versions, project, upstream)."""
    try:
        raw = json.loads((DATA / INDEX).read_text())
    except (OSError, ValueError):
        return []
    return raw if isinstance(raw, list) else []


@cache
def digest() -> str:
    """Names what the package ships, so results cached against another catalogue are not read."""
    return hashlib.sha256(json.dumps(index(), sort_keys=True).encode()).hexdigest()[:16]


def folder(*, strict: bool, root: Path | None = None) -> Path | None:
    """A cache folder laid out as `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
    holding every bundled schema; written once per cache, later only checked (a stat a file)."""
    entries = index()
    if not entries:
        return None
    mode = "strict" if strict else "loose"
    base = root if root is not None else cache_root() / "schemas"
    sums = SealedFolder(base / f"catalogue-{_LAYOUT}-{digest()}-{mode}")
    wanted = _wanted(entries, mode)
    if sums.complete and not sums.strangers() and all(map(sums.trusted, wanted)):
        return sums.folder
    for name in sums.strangers():  # kubeconform would read a file planted beside ours
        sums.remove(name)
    for name, packed in wanted.items():
        if not sums.trusted(name):
            sums.write(name, gzip.decompress(packed.read_bytes()))
    sums.mark(complete=True)
    sums.save()
    return sums.folder


def _wanted(entries: list[dict[str, Any]], mode: str) -> dict[str, Path]:
    out = {}
    for e in entries:
        for v in e.get("versions", ()):
            name = schema_name(str(e["group"]), str(e["kind"]), str(v))
            out[name] = DATA / str(e["project"]) / mode / f"{name}.gz"
    return out


def main(argv: list[str]) -> int:
    releases = dict(a.split("=", 1) for a in argv[2:] if "=" in a)
    if len(argv) < 2 or argv[0] != "build" or len(releases) != len(argv) - 2:
        print(
            "usage: python -m gitops_gate.validate.catalogue build SRC_DIR [PROJECT=RELEASE ...]",
            file=sys.stderr,
        )
        return 2
    made = build(Path(argv[1]), releases=releases)
    print(f"{len(made)} CRDs, {sum(len(e['versions']) for e in made)} schemas -> {DATA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
