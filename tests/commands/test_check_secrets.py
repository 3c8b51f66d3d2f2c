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
