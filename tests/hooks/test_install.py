"""`gitops-gate hooks install`: writes the hooks, keeps a team's own hooks unless --force."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.helpers.tree import make_repo


def test_installs_both_hooks(tmp_path: Path, cli: Callable[..., Run]) -> None:
    make_repo(tmp_path, {"README.md": "x\n"})
    done = cli("hooks", "install", str(tmp_path))
    assert done.code == 0, done.err
    for name in ("pre-commit", "pre-push"):
        hook = tmp_path / ".git" / "hooks" / name
        assert os.access(hook, os.X_OK)
        text = hook.read_text()
        assert f"GITOPS_GATE_PYTHON='{sys.executable}'" in text
        assert "installed by `gitops-gate hooks install`" in text


def test_keeps_an_existing_hook_without_force(tmp_path: Path, cli: Callable[..., Run]) -> None:
    make_repo(tmp_path, {"README.md": "x\n"})
    ours = tmp_path / ".git" / "hooks" / "pre-commit"
    ours.write_text("#!/bin/sh\necho team hook\n")
    done = cli("hooks", "install", str(tmp_path))
    assert done.code == 2
    assert "kept" in done.err and "--force" in done.err
    assert ours.read_text() == "#!/bin/sh\necho team hook\n"
    assert (tmp_path / ".git" / "hooks" / "pre-push").is_file()  # the free one is installed
    assert cli("hooks", "install", str(tmp_path), "--force").code == 0
    assert "gitops-gate" in ours.read_text()


def test_reinstall_replaces_our_own_hooks(tmp_path: Path, cli: Callable[..., Run]) -> None:
    make_repo(tmp_path, {"README.md": "x\n"})
    assert cli("hooks", "install", str(tmp_path)).code == 0
    assert cli("hooks", "install", str(tmp_path)).code == 0


def test_one_hook_only(tmp_path: Path, cli: Callable[..., Run]) -> None:
    make_repo(tmp_path, {"README.md": "x\n"})
    assert cli("hooks", "install", str(tmp_path), "--hook", "pre-push").code == 0
    assert (tmp_path / ".git" / "hooks" / "pre-push").is_file()
    assert not (tmp_path / ".git" / "hooks" / "pre-commit").exists()


def test_honours_core_hooks_path(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = make_repo(tmp_path, {"README.md": "x\n"})
    with repo.config_writer() as config:
        config.set_value("core", "hooksPath", ".githooks")
    assert cli("hooks", "install", str(tmp_path)).code == 0
    assert (tmp_path / ".githooks" / "pre-commit").is_file()


def test_outside_a_git_repo_is_an_error(tmp_path: Path, cli: Callable[..., Run]) -> None:
    done = cli("hooks", "install", str(tmp_path))
    assert done.code == 2
    assert "is not in a git repository (run `git init` first)" in done.err


def test_force_replaces_a_linked_hook_and_leaves_its_target_alone(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    repo = tmp_path / "repo"
    make_repo(repo, {"README.md": "x\n"})
    target = tmp_path / "elsewhere.sh"  # a file outside the repo the hook links to
    target.write_text("#!/bin/sh\necho shared\n")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.symlink_to(target)

    assert cli("hooks", "install", str(repo), "--force").code == 0

    assert target.read_text() == "#!/bin/sh\necho shared\n"
    assert not hook.is_symlink() and "gitops-gate" in hook.read_text()
    assert os.access(hook, os.X_OK)
