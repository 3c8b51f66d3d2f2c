"""Loaded documents keep line provenance without keeping their files' text or nodes."""

from __future__ import annotations

from pathlib import Path

import yaml

from gitops_gate.manifests.loader import load
from gitops_gate.manifests.model import Document
from tests.helpers.tree import write_tree
from tests.manifests.test_loader import DEPLOYMENT

LIST = (
    "apiVersion: v1\nkind: List\nitems:\n"
    "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
    "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n"
)


def held(doc: Document) -> list[object]:
    """Every value doc's slots hold, the body's contents aside."""
    slots = [s for cls in type(doc).__mro__ for s in getattr(cls, "__slots__", ())]
    return [getattr(doc, s) for s in slots if s != "body"]


def no_text_or_nodes(doc: Document, texts: list[str]) -> bool:
    values = held(doc)
    return not any(isinstance(v, yaml.Node) for v in values) and not any(
        isinstance(v, str) and len(v) > 40 and v in t for v in values for t in texts
    )


def test_a_repo_loaded_holds_no_file_text_and_no_nodes_even_after_line_lookups(
    tmp_path: Path,
) -> None:
    files = {
        "apps/web.yaml": DEPLOYMENT + "---\n" + LIST,
        "apps/kustomization.yaml": "resources:\n  - web.yaml\n",
    }
    result = load([write_tree(tmp_path, files)], root=tmp_path)
    docs = [*result.resources, *result.kustomizations]

    assert len(docs) == 4
    assert all(no_text_or_nodes(d, list(files.values())) for d in docs)
    lines = [d.line_of("/metadata/name") for d in result.resources]
    assert lines == [4, 20, 24]
    assert result.kustomizations[0].line_of("/resources/0") == 2
    assert all(no_text_or_nodes(d, list(files.values())) for d in docs)


def test_a_file_changed_after_the_load_gives_first_lines_never_wrong_ones(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"web.yaml": "# a comment\n" + DEPLOYMENT})
    (web,) = load([tmp_path], root=tmp_path).resources
    (tmp_path / "web.yaml").write_text(DEPLOYMENT)

    assert web.line_of("/metadata/name") == 2  # where the document starts, as loaded


def test_a_file_gone_after_the_load_gives_first_lines(tmp_path: Path) -> None:
    write_tree(tmp_path, {"web.yaml": "# a comment\n" + DEPLOYMENT})
    (web,) = load([tmp_path], root=tmp_path).resources
    (tmp_path / "web.yaml").unlink()

    assert web.line_of("/spec/template/spec/containers/1/image") == 2
