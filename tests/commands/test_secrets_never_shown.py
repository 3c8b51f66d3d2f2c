"""A known secret planted in a repo appears in no output of `check`, in any format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.commands._output import FORMATS
from tests.helpers.tree import TESTER, make_repo, write_tree

# Built from parts so this file does not itself look like it holds secrets.
TOKEN = "ghp_" + "Zq8vN3xLp2Rt7WmKa1b2c3d4e5f6g7h8i9j0"
PASSWORD = "Vb7" + "xQ2mLk9PzR4tWn8sYc3dHf6jGa1eUo5i"
CONFIG = "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev]\n"
SECRET = (
    "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\n"
    f"stringData:\n  token: {TOKEN}\n  password: {PASSWORD}\n"
)
CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                token: {type: string, maxLength: 5}
                password: {type: string, pattern: "^[a-z]+$"}
                mode: {type: string, enum: [a, b]}
"""
WIDGET = (
    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\n"
    f"spec:\n  token: {TOKEN}\n  password: {PASSWORD}\n  mode: {PASSWORD}\n"
)


def _shown(run: Any) -> str:
    return str(run.out) + str(run.err)


def _assert_hidden(text: str) -> None:
    assert TOKEN not in text
    assert PASSWORD not in text
    assert TOKEN[4:] not in text and PASSWORD[3:] not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_schema_errors_on_secret_fields_never_quote_them(
    tmp_path: Path, cli: Callable[..., Any], fmt: str
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "clusters/dev/secret.yaml": SECRET,
        "clusters/dev/crd.yaml": CRD,
        "clusters/dev/widget.yaml": WIDGET,
    })  # fmt: skip

    run = cli("check", str(tmp_path), "--engine", "builtin", "--format", fmt)

    assert run.code == 1, run.err
    _assert_hidden(_shown(run))
    assert "longer than 5 characters" in _shown(run)  # the violation itself is still shown


@pytest.mark.slow
def test_kubeconform_schema_errors_never_quote_the_value(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    ensure_tool("conftest")
    write_tree(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "clusters/dev/crd.yaml": CRD,
        "clusters/dev/widget.yaml": WIDGET,
    })  # fmt: skip

    run = cli("validate", str(tmp_path), "--engine", "subprocess", "--no-cache")

    assert run.code == 1, run.err
    assert "does not match pattern" in run.out
    _assert_hidden(_shown(run))


def test_an_error_line_never_shows_a_token(tmp_path: Path, cli: Callable[..., Any]) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": CONFIG})

    run = cli("check", str(tmp_path), "--changed", f"/{TOKEN}")

    assert run.code == 2
    assert "--changed '/<redacted>' is not a path" in run.err
    _assert_hidden(_shown(run))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_committed_link_out_of_the_repo_is_not_followed_by_check_base(
    tmp_path: Path, cli: Callable[..., Any], fmt: str
) -> None:
    outside = write_tree(tmp_path / "outside", {"creds.txt": f"aws_token = {TOKEN}\n"})
    root = tmp_path / "repo"
    repo = make_repo(root, {".gitops-gate.yaml": CONFIG, "clusters/dev/ok.txt": "fine\n"})
    (root / "clusters/dev/creds.txt").symlink_to(outside / "creds.txt")
    repo.index.add(["clusters/dev/creds.txt"])
    repo.index.commit("a link", author=TESTER, committer=TESTER)

    for args in (["check", "--base", "main~1"], ["secrets"]):
        run = cli(*args, str(root), "--format", fmt)

        shown = _shown(run)
        assert run.code == 1, shown
        assert "clusters/dev/creds.txt" in shown
        assert str(outside) not in shown and "GitHub" not in shown
        _assert_hidden(shown)


def test_a_link_named_as_a_path_does_not_move_the_root_to_its_target(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    # pre-commit passes staged files by name: the first may be a link to a runner's file.
    outside = write_tree(tmp_path / "outside", {"creds.txt": f"aws_token = {TOKEN}\n"})
    root = write_tree(tmp_path / "repo", {".gitops-gate.yaml": CONFIG})
    (root / "creds.txt").symlink_to(outside / "creds.txt")

    run = cli("secrets", str(root / "creds.txt"), "--format", "json")

    assert str(outside) not in _shown(run) and "GitHub" not in _shown(run)
    assert '"rule": "symlink-escape"' in run.out


def test_an_internal_error_never_shows_a_token(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"unexpected {TOKEN}")

    monkeypatch.setattr("gitops_gate.api.check", broken)
    write_tree(tmp_path, {".gitops-gate.yaml": CONFIG})

    run = cli("check", str(tmp_path))

    assert run.code == 3
    assert "internal error: RuntimeError: unexpected <redacted>" in run.err
