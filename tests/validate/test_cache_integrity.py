"""A truncated or edited cache entry is rebuilt, never trusted: the verdict stays the right one."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.cachedir import read_json
from gitops_gate.validate.paths import validate_paths
from gitops_gate.validate.protocol import Backend
from tests.helpers.tree import write_tree
from tests.validate.test_paths import DEPLOY, WIDGET, WIDGET_CRD

ACCEPT_ALL = b"{}"
DEPLOY_SCHEMA = "schemas/k8s-*/deployment-apps-v1.json"
WIDGET_SCHEMA = "schemas/crd-*/example.com/widget_v1.json"


def _one(cache: Path, pattern: str) -> Path:
    (found,) = cache.glob(pattern)
    return found


def _forge(path: Path, edit: Callable[[Any], Any]) -> None:
    """Edit a sealed entry's payload and leave its old checksum in place."""
    data = path.read_bytes()
    start = data.index(b'"payload":') + len(b'"payload":')
    payload = edit(json.loads(data[start:-1]))
    path.write_bytes(data[:start] + json.dumps(payload).encode() + b"}")


def _accept_all(cache: Path, pattern: str) -> Path:
    target = _one(cache, pattern)
    target.write_bytes(ACCEPT_ALL)
    return target


def _truncate(cache: Path, pattern: str) -> Path:
    target = _one(cache, pattern)
    target.write_bytes(target.read_bytes()[:100])
    return target


def _accept_all_keeping_mtime(cache: Path, pattern: str) -> Path:
    target = _one(cache, pattern)
    st = target.stat()
    target.write_bytes(ACCEPT_ALL)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    return target


def _planted(cache: Path, pattern: str) -> Path:
    """A schema for the CRD's kind beside Kubernetes' own: kubeconform looks there first."""
    target = _one(cache, pattern).parent / "widget-example-v1.json"
    target.write_bytes(ACCEPT_ALL)
    return target


def _crd_cache_forged(cache: Path, pattern: str) -> Path:
    """The converted CRD forged to accept anything, and the schema folder made from it gone."""
    shutil.rmtree(_one(cache, "schemas/crd-*"))
    target = next(p for p in cache.glob("crds/*.json") if not p.name.endswith(".names.json"))
    _forge(target, lambda p: {"schemas": [[*row[:4], {}] for row in p["schemas"]]})
    return target


def _results_forged(cache: Path, pattern: str) -> Path:
    """Every cached verdict forged to 'valid', and the per-file cache gone so it is asked."""
    for files in cache.glob("results/files-*.json"):
        files.unlink()
    target = next(p for p in cache.glob("results/*.json") if not p.name.startswith("crd-"))
    valid = {"status": "valid", "violations": [], "message": None}
    _forge(target, lambda p: dict.fromkeys(p, valid))
    return target


def _file_cache_forged(cache: Path, pattern: str) -> Path:
    """Each file's cached findings forged away."""
    target = _one(cache, "results/files-*.json")
    _forge(target, lambda p: {k: {**v, "findings": []} for k, v in p.items()})
    return target


Damage = Callable[[Path, str], Path]


@pytest.mark.parametrize(
    ("damage", "pattern", "cached"),
    [
        (_accept_all, DEPLOY_SCHEMA, False),
        (_truncate, DEPLOY_SCHEMA, False),
        (_accept_all_keeping_mtime, DEPLOY_SCHEMA, False),
        (_planted, DEPLOY_SCHEMA, False),
        (_accept_all, WIDGET_SCHEMA, False),
        (_truncate, WIDGET_SCHEMA, False),
        (_crd_cache_forged, "", True),
        (_results_forged, "", True),
        (_file_cache_forged, "", True),
    ],
    ids=[
        "k8s-schema-accepts-all",
        "k8s-schema-truncated",
        "k8s-schema-edited-mtime-kept",
        "schema-planted-beside-ours",
        "crd-schema-accepts-all",
        "crd-schema-truncated",
        "crd-cache-forged",
        "results-forged",
        "file-cache-forged",
    ],
)
def test_a_damaged_entry_is_rebuilt_and_the_verdict_stands(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    backend: Backend,
    damage: Damage,
    pattern: str,
    cached: bool,
) -> None:
    cache = tmp_path / "xdg" / "gitops-gate"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache.parent))
    monkeypatch.setattr("gitops_gate.validate.run.pick", lambda engine="auto": backend)
    root = write_tree(
        tmp_path / "repo",
        {
            ".git/HEAD": "",
            "apps/bad.yaml": DEPLOY.format(name="bad", port='"eighty"'),
            "crds.yaml": WIDGET_CRD,
            "widgets/w.yaml": WIDGET,
        },
    )
    options = {"cache": cached}

    def verdict() -> list[tuple[str | None, int | None, str]]:
        found = validate_paths([root], overrides=options).findings
        return sorted((f.path, f.line, f.rule) for f in found)

    before = verdict()
    assert ("apps/bad.yaml", 12, "schema-invalid") in before
    assert ("widgets/w.yaml", 4, "schema-invalid") in before
    target = damage(cache, pattern)
    intact = target.read_bytes() if target.exists() else None
    assert verdict() == before
    if damage is _planted:
        assert not target.exists()
    elif cached:
        assert read_json(target) is not None  # sealed again, by this run
    else:
        assert target.read_bytes() != intact
        assert json.loads(target.read_bytes()) not in ({}, None)
