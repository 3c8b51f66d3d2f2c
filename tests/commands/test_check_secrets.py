"""check reports the secrets scan beside the other checks, and its errors as one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree

CONFIG = "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev]\n"
# A key in AWS's documentation, not a real one.
LEAK = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  KEY: AKIAIOSFODNN7EXAMPLE\n"
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"clusters/dev/cm.yaml": LEAK}, [("secret-detected", "clusters/dev/cm.yaml", 5)]),
        ({"clusters/dev/cm.yaml": LEAK.replace("AKIAIOSFODNN7EXAMPLE", "plain")}, []),
    ],
    ids=["leak", "clean"],
)
def test_secrets_found_by_check(
    tmp_path: Path,
    cli: Callable[..., object],
    files: dict[str, str],
    expected: list[tuple[str, str, int]],
) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": CONFIG, **files})

    run = cli("check", str(tmp_path), "--format", "json")

    found = json.loads(run.out)["findings"]  # type: ignore[attr-defined]
    secrets = [(f["rule"], f["path"], f["line"]) for f in found if f["check"] == "secrets"]
    assert secrets == expected
    assert run.code == (1 if expected else 0)  # type: ignore[attr-defined]


def test_a_broken_baseline_is_one_line_and_exit_2(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        ".secrets.baseline": "{not json",
        "clusters/dev/cm.yaml": LEAK,
    })  # fmt: skip

    run = cli("check", str(tmp_path))

    assert run.code == 2  # type: ignore[attr-defined]
    assert run.err.startswith(  # type: ignore[attr-defined]
        "gitops-gate: .secrets.baseline: not a detect-secrets baseline:"
    )
    assert run.err.count("\n") == 1  # type: ignore[attr-defined]


def test_secrets_of_a_large_tree_come_in_file_order_from_every_part(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    # Enough files for the scan to split over one process per core.
    from gitops_gate.checks import SPLIT_AT

    clean = LEAK.replace("AKIAIOSFODNN7EXAMPLE", "plain")
    files = {f"clusters/dev/cm-{n:03d}.yaml": clean for n in range(3 * SPLIT_AT)}
    leaking = ["clusters/dev/cm-000.yaml", "clusters/dev/cm-061.yaml", "clusters/dev/cm-119.yaml"]
    files |= dict.fromkeys(leaking, LEAK)
    files["clusters/dev/big.yaml"] = clean * 200 + LEAK.replace("name: app", "name: last")
    write_tree(tmp_path, {".gitops-gate.yaml": CONFIG, **files})

    run = cli("check", str(tmp_path), "--format", "json")

    found = json.loads(run.out)["findings"]  # type: ignore[attr-defined]
    secrets = [(f["path"], f["line"]) for f in found if f["check"] == "secrets"]
    expected = sorted([*((p, 5) for p in leaking), ("clusters/dev/big.yaml", 200 * 5 + 5)])
    assert secrets == expected


def test_files_split_by_size_keep_their_order(tmp_path: Path) -> None:
    from gitops_gate.checks import by_size

    sizes = {"a": 900, "b": 100, "c": 400, "d": 500, "e": 0}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    parts = by_size(list(sizes), tmp_path, 2)
    assert sorted(f for part in parts for f in part) == sorted(sizes)
    assert all(part == sorted(part) for part in parts)
    assert sorted(sum(sizes[f] for f in part) for part in parts) == [900, 1000]


def test_a_file_and_a_link_to_it_share_a_part(tmp_path: Path) -> None:
    # A secret is reported once per file: only one scan can tell two names are one file.
    from gitops_gate.checks import by_size

    # Two equal big files fill both parts alike, so by size alone the two names would split.
    (tmp_path / "big1").write_bytes(b"x" * 1000)
    (tmp_path / "big2").write_bytes(b"x" * 1000)
    (tmp_path / "a").write_bytes(b"x" * 10)
    (tmp_path / "link-to-a").symlink_to(tmp_path / "a")
    names = ["a", "big1", "big2", "link-to-a"]
    parts = by_size(names, tmp_path, 2)
    assert next(p for p in parts if "a" in p) == next(p for p in parts if "link-to-a" in p)
    assert sorted(f for p in parts for f in p) == names
