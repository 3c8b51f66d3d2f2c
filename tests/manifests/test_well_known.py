"""Editors' and tools' files, JSON with comments among them, are skipped with a reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.tree import write_tree

# What these files hold: comments and trailing commas, which no YAML parser takes.
JSONC = '{\n  // the comment that made it invalid YAML\n  "editor.tabSize": 2,\n}\n'

CASES = [
    (".vscode/settings.json", "other-yaml", "known non-manifest file (VS Code settings)"),
    (".vscode/extensions.json", "other-yaml", "known non-manifest file (VS Code settings)"),
    ("app/.vscode/launch.json", "other-yaml", "known non-manifest file (VS Code settings)"),
    (".devcontainer/devcontainer.json", "not-yaml",
     "known non-manifest file (Dev Container configuration, JSON with comments: not YAML)"),
    (".devcontainer/compose.yaml", "other-yaml",
     "known non-manifest file (Dev Container configuration)"),
    (".devcontainer.json", "not-yaml",
     "known non-manifest file (Dev Container configuration, JSON with comments: not YAML)"),
    (".idea/workspace.json", "other-yaml", "known non-manifest file (JetBrains IDE settings)"),
    ("renovate.json", "not-yaml",
     "known non-manifest file (Renovate configuration, JSON with comments: not YAML)"),
    ("renovate.json5", "not-yaml",
     "known non-manifest file (Renovate configuration, JSON with comments: not YAML)"),
    (".renovaterc", "not-yaml",
     "known non-manifest file (Renovate configuration, JSON with comments: not YAML)"),
    (".renovaterc.json", "not-yaml",
     "known non-manifest file (Renovate configuration, JSON with comments: not YAML)"),
    ("web/tsconfig.json", "not-yaml",
     "known non-manifest file (TypeScript configuration, JSON with comments: not YAML)"),
    ("web/jsconfig.json", "not-yaml",
     "known non-manifest file (JavaScript project configuration, JSON with comments: not YAML)"),
    ("config/biome.jsonc", "not-yaml",
     "known non-manifest file (a .jsonc file, JSON with comments: not YAML)"),
    ("config/settings.json5", "not-yaml",
     "known non-manifest file (a .json5 file, JSON with comments: not YAML)"),
]  # fmt: skip


def check_json(cli: Callable[..., Any], root: Path) -> tuple[int, dict[str, Any]]:
    run = cli("check", "--format", "json", str(root))
    return run.code, json.loads(run.out)


@pytest.mark.parametrize(("rel", "kind", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_well_known_file_is_skipped_with_its_reason(
    tmp_path: Path, cli: Callable[..., Any], rel: str, kind: str, reason: str
) -> None:
    write_tree(tmp_path, {rel: JSONC})

    code, report = check_json(cli, tmp_path)

    assert (code, report["findings"]) == (0, [])
    assert [(f["path"], f["kind"], f["reason"]) for f in report["files"]] == [(rel, kind, reason)]


@pytest.mark.parametrize(
    "rel", ["my.vscode/settings.json", "ideas/.idea.json", "renovate.yaml", "tsconfig.yaml"]
)
def test_names_that_only_look_alike_are_still_read(
    tmp_path: Path, cli: Callable[..., Any], rel: str
) -> None:
    write_tree(tmp_path, {rel: JSONC})

    code, report = check_json(cli, tmp_path)

    assert code == 1
    assert [(f["path"], f["rule"]) for f in report["findings"]] == [(rel, "invalid-yaml")]


@pytest.mark.parametrize("entry", [".vscode/pod.yaml", ".idea/pod.json", "renovate.json"])
def test_a_file_a_kustomization_deploys_is_read_as_manifests_whatever_its_name(
    tmp_path: Path, cli: Callable[..., Any], entry: str
) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web"},
        "spec": {"containers": [{"name": "a", "image": "nginx:latest"}]},
    }
    write_tree(tmp_path, {
        "app/kustomization.yaml": f"resources:\n- {entry}\n",
        f"app/{entry}": json.dumps(pod),
    })  # fmt: skip

    code, report = check_json(cli, tmp_path)

    assert code == 1
    record = next(f for f in report["files"] if f["path"] == f"app/{entry}")
    assert (record["kind"], record["resources"]) == ("manifests", 1)
    assert any(f["path"] == f"app/{entry}" and "nginx:latest" in f["message"]
               for f in report["findings"])  # fmt: skip
