"""Hostile input: each bad file is one line naming file:line, a failing exit; the rest loads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\ndata:\n  a: b\n"

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("content", "line", "rule", "says"),
    [
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b: c\n",
            6,
            "invalid-yaml",
            "invalid YAML: mapping values are not allowed",
        ),
        ("apiVersion: v1\nkind: Pod\nspec: [a, b\n", 4, "invalid-yaml", "invalid YAML"),
        (BOMB, 5, "alias-bomb", "aliases expand to too many nodes (a YAML bomb?)"),
        ("a: &r\n  b: *r\n", 1, "recursive-alias", "an alias refers to the node that contains it"),
        ("x: " + "[" * 300 + "]" * 300 + "\n", 1, "too-deep", "nesting is deeper than 256"),
        (
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n",
            4,
            "invalid-encoding",
            "not valid UTF-8",
        ),
        (b"apiVersion: v1\nkind: ConfigMap\x00\n", 2, "invalid-encoding", "NUL byte"),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  replicas: '1'\n"
            "  replicas: '2'\n",
            7,
            "duplicate-key",
            "duplicate key 'replicas' (first at line 6)",
        ),
        (
            GOOD + "---\nkind: Service\nmetadata:\n  name: s\n",
            8,
            "missing-apiversion",
            "missing 'apiVersion' key",
        ),
        ("apiVersion: v1\nkind:\nmetadata:\n  name: s\n", 1, "missing-kind", "missing 'kind' key"),
        (
            "apiVersion: v1\nkind: List\nitems:\n- " + GOOD.replace("\n", "\n  ").rstrip() + "\n"
            "- apiVersion: v1\n  metadata: {name: nokind}\n",
            10,
            "missing-kind",
            "List item 1: missing 'kind' key",
        ),
        (GOOD + "---\n- just\n- a list\n", 8, "not-an-object", "document is not a mapping"),
        # Each of these stopped the whole run (a segfault, or "internal error", exit 3).
        ("x: " + "[" * 40_000 + "]" * 40_000 + "\n", 1, "too-deep", "nesting is deeper than 256"),
        (GOOD + "---\n" + "- " * 40_000 + "x\n", 8, "too-deep", "nesting is deeper than 256"),
        (GOOD + "  c: 'a\x1bb'\n", 7, "invalid-yaml", "character U+001B is not allowed"),
        (GOOD + "  c: a\x07b\n", 7, "invalid-yaml", "character U+0007 is not allowed"),
        (GOOD + "  c: a\x7fb\n", 7, "invalid-yaml", "character U+007F is not allowed"),
        (GOOD + "  c: a\x85\x9bb\n", 7, "invalid-yaml", "character U+009B is not allowed"),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: [a, b]\n",
            3,
            "invalid-metadata",
            "'metadata' is not a mapping",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: [a]\n",
            5,
            "invalid-metadata",
            "'metadata.annotations' is not a mapping",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: 1\n",
            5,
            "invalid-metadata",
            "'metadata.labels' has a value that is not a string",
        ),
        (
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
            "  metadata: x\n",
            6,
            "invalid-metadata",
            "List item 0: 'metadata' is not a mapping",
        ),
    ],
    ids=[
        "bad-syntax",
        "unclosed-flow",
        "alias-bomb",
        "recursive-alias",
        "deep-nesting",
        "invalid-utf8",
        "nul-byte",
        "duplicate-key",
        "missing-apiversion",
        "empty-kind",
        "list-item-without-kind",
        "list-document",
        "flow-nested-40000-deep",
        "block-nested-40000-deep",
        "escape-character",
        "bell-character",
        "delete-character",
        "c1-control-character",
        "metadata-a-list",
        "annotations-a-list",
        "label-not-a-string",
        "list-item-metadata-a-string",
    ],
)
def test_bad_file_is_one_located_line_and_others_still_load(
    tmp_path: Path,
    cli: Callable[..., object],
    content: str | bytes,
    line: int,
    rule: str,
    says: str,
) -> None:
    write_tree(tmp_path, {"good.yaml": GOOD, "bad.yaml": content, "z-good.yaml": GOOD})

    run = cli("check", str(tmp_path))
    report = json.loads(cli("check", "--format", "json", str(tmp_path)).out)

    assert run.code == 1
    bad_lines = [x for x in run.out.splitlines() if x.startswith("bad.yaml")]
    assert len(bad_lines) == 1, run.out
    assert bad_lines[0].startswith(f"bad.yaml:{line}: error: ")
    assert says in bad_lines[0]
    assert f"[load/{rule}]" in bad_lines[0]
    goods = [f for f in report["files"] if f["path"].endswith("good.yaml")]
    assert [f["resources"] for f in goods] == [1, 1]


def test_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    big = GOOD + "  padding: '" + "x" * 4000 + "'\n"
    write_tree(
        tmp_path,
        {
            ".gitops-gate.yaml": "version: 1\nlimits:\n  maxFileBytes: 1024\n",
            "big.yaml": big,
            "good.yaml": GOOD,
        },
    )

    run = cli("check", str(tmp_path))

    assert run.code == 1
    assert (
        "big.yaml: error: file is 0.0 MiB, over the 0.0 MiB limit (raise limits.maxFileBytes"
        in run.out
    )
    assert "(1 resource)" in run.out


def test_symlink_leaving_the_repo_is_refused(tmp_path: Path, cli: Callable[..., object]) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.yaml": GOOD})
    repo = write_tree(tmp_path / "repo", {"good.yaml": GOOD})
    (repo / "link.yaml").symlink_to(outside / "secret.yaml")
    (repo / "linked-dir").symlink_to(outside)

    run = cli("check", str(repo))

    assert run.code == 1
    assert "link.yaml: error: link.yaml is a symlink that points outside the repository" in run.out
    assert "linked-dir: error: linked-dir is a symlink that points outside" in run.out
    assert "(1 resource)" in run.out


def test_symlink_inside_the_repo_is_read(tmp_path: Path, cli: Callable[..., object]) -> None:
    repo = write_tree(tmp_path, {"real/good.yaml": GOOD})
    (repo / "alias.yaml").symlink_to(repo / "real" / "good.yaml")

    run = cli("check", str(repo))

    assert run.code == 0, run.out
    assert "(2 resources)" in run.out


def test_dotdot_path_out_of_the_repo_is_refused(tmp_path: Path, cli: Callable[..., object]) -> None:
    write_tree(tmp_path / "elsewhere", {"x.yaml": GOOD})
    repo = write_tree(tmp_path / "repo", {".gitops-gate.yaml": "version: 1\n", "good.yaml": GOOD})

    run = cli("check", "--config", str(repo / ".gitops-gate.yaml"), str(repo / ".." / "elsewhere"))

    assert run.code == 1
    assert "is outside the repository root" in run.out
    assert "(0 resources)" in run.out
