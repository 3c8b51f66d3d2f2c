"""Every file of a change is scanned or said not to be, and no link out of the repo is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.secrets import secret_findings
from tests.helpers.tree import write_tree

AWS = "AKIA" + "IOSFODNN7EXAMPLE"


def _found(tmp_path: Path) -> list[tuple[str, str, str]]:
    config = load_config(tmp_path, None)
    return [(f.rule, f.severity.label, f.path or "") for f in secret_findings([], tmp_path, config)]


def test_a_file_between_2_mib_and_the_load_limit_is_scanned(tmp_path: Path) -> None:
    write_tree(tmp_path, {"big.txt": "filler line\n" * (3 * 1024 * 1024 // 12) + f"k {AWS}\n"})
    assert _found(tmp_path) == [("secret-detected", "error", "big.txt")]


def test_a_file_over_the_load_limit_is_a_warning_that_it_was_not_scanned(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": "version: 1\nlimits:\n  maxFileBytes: 1000\n",
        "big.txt": "x" * 2000 + f"\nk {AWS}\n",
    })  # fmt: skip
    (found,) = secret_findings([tmp_path / "big.txt"], tmp_path, load_config(tmp_path, None))
    assert (found.rule, found.severity.label, found.path) == (
        "secrets-not-scanned",
        "warning",
        "big.txt",
    )
    assert "larger than limits.maxFileBytes" in found.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (f"a: 1\n\0\nk: {AWS}\n".encode(), ("secret-detected", "error", "f.txt")),
        (b"\x89PNG\0\xff\xfe" + AWS.encode(), ("secrets-not-scanned", "info", "f.txt")),
        (f"m\xfcnchen {AWS}\n".encode("latin-1"), ("secrets-not-scanned", "warning", "f.txt")),
    ],
    ids=["nul-in-utf8-text-is-scanned", "binary-is-a-notice", "latin-1-is-a-warning"],
)
def test_a_file_detect_secrets_may_not_read(
    tmp_path: Path, content: bytes, expected: tuple[str, str, str]
) -> None:
    write_tree(tmp_path, {"f.txt": content})
    assert _found(tmp_path) == [expected]


@pytest.mark.parametrize("named", [True, False], ids=["link-named", "folder-walked"])
def test_a_link_out_of_the_repo_is_never_read_nor_its_target_named(
    tmp_path: Path, named: bool
) -> None:
    outside = write_tree(tmp_path / "outside", {"creds.txt": f"aws {AWS}\n"}) / "creds.txt"
    repo = write_tree(tmp_path / "repo", {"ok.txt": "fine\n"})
    (repo / "creds.txt").symlink_to(outside)

    found = secret_findings([repo / "creds.txt"] if named else [repo], repo)

    assert [(f.rule, f.path) for f in found] == [("symlink-escape", "creds.txt")]
    assert str(tmp_path / "outside") not in found[0].message
    assert "AWS" not in found[0].message
