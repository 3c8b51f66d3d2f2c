"""The secrets baseline is a PR's too: a link out of the repository or bad bytes are a config
error at its file, never read or a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.errors import ConfigError
from gitops_gate.secrets.allow import load_allowlist
from tests.helpers.tree import write_tree


def test_a_baseline_linked_out_of_the_repository_is_refused_unread(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"b.json": '{"results": {}}'})
    root = write_tree(tmp_path / "repo", {"cm.yaml": "kind: ConfigMap\n"})
    (root / ".secrets.baseline").symlink_to(outside / "b.json")

    with pytest.raises(ConfigError, match="is a link that leaves the repository") as caught:
        load_allowlist(root, load_config(root))

    assert caught.value.path == ".secrets.baseline"


def test_a_baseline_that_is_not_utf8_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"cm.yaml": "kind: ConfigMap\n"})
    (root / ".secrets.baseline").write_bytes(b'{\n "results": {"caf\xe9": []}}\n')

    with pytest.raises(ConfigError) as caught:  # was an internal error (exit 3)
        load_allowlist(root, load_config(root))

    assert (caught.value.path, caught.value.line) == (".secrets.baseline", 2)
