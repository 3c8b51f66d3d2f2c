"""promote and set-image on a repository a PR wrote: what it holds is data, never a new key."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from gitops_gate.errors import GateError
from gitops_gate.promote.flow import WriteOptions, promote, set_image
from tests.helpers.tree import commit, make_repo
from tests.promote.conftest import FILES, IMAGE, overlay, root_of


def test_a_source_tag_that_would_add_a_key_is_refused(seeds: git.Repo) -> None:
    # dev's tag, once quoted into staging's line, would close the quote and add newName.
    evil = '"x\\"\\n    newName: \\"evil.example/web"'
    commit(seeds, {"clusters/dev/kustomization.yaml": overlay(evil)}, "dev runs a strange tag")

    with pytest.raises(GateError, match="did not read back as asked") as caught:
        promote(root_of(seeds), "dev", "staging", options=WriteOptions(), sink=lambda e: None)

    assert caught.value.exit_code == 2
    assert [h.name for h in seeds.heads] == ["main"]


def test_an_overlay_linked_out_of_the_repository_is_never_written(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kustomization.yaml").write_text(overlay("v1.1.0"))
    files = {k: v for k, v in FILES.items() if not k.startswith("clusters/production/")}
    repo = make_repo(tmp_path / "repo", files)
    (root_of(repo) / "clusters/production").mkdir()
    (root_of(repo) / "clusters/production/kustomization.yaml").symlink_to(
        outside / "kustomization.yaml"
    )
    repo.git.add("--all")
    repo.index.commit("production links out")
    before = (outside / "kustomization.yaml").read_text()

    with pytest.raises(GateError) as caught:
        set_image(root_of(repo), "production", [f"{IMAGE}=v9.9.9"], options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip

    assert (outside / "kustomization.yaml").read_text() == before
    assert caught.value.exit_code == 2
    assert "is not used by environment" in str(caught.value)
