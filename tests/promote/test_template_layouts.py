"""On a repository fresh from the template, each engine: set-image then promote, one line each."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from gitops_gate.promote.flow import WriteOptions, promote, set_image
from tests.helpers.tree import TESTER
from tests.scaffold.generate import ENGINES, generate

OVERLAY = "clusters/{env}/apps/kustomization.yaml"


def _scaffolded(tmp_path: Path, engine: str) -> tuple[git.Repo, str]:
    root = generate(tmp_path / "repo", engine=engine)
    repo = git.Repo.init(root, initial_branch="main")
    repo.git.add(A=True)
    repo.index.commit("from the template", author=TESTER, committer=TESTER)
    lines = (root / OVERLAY.format(env="dev")).read_text().splitlines()
    image = next(line.split("name: ", 1)[1] for line in lines if "- name:" in line)
    return repo, image


@pytest.mark.parametrize("engine", ENGINES)
def test_set_image_then_promote_move_one_tag_line_each(tmp_path: Path, engine: str) -> None:
    repo, image = _scaffolded(tmp_path, engine)
    root = Path(str(repo.working_tree_dir))
    dev = set_image(root, "dev", [f"{image}=1.1.0"], options=WriteOptions(), sink=lambda e: None)
    moved = [(m.path, m.old, m.new) for m in dev.moves]
    assert moved == [(OVERLAY.format(env="dev"), "1.0.0", "1.1.0")]
    staged = promote(root, "dev", "staging", options=WriteOptions(base=dev.commit),
                     sink=lambda e: None)  # fmt: skip
    changed = repo.git.diff(dev.commit, staged.commit, "--unified=0").splitlines()
    assert [c for c in changed if c[:1] in "+-" and c[:3] not in ("+++", "---")] == [
        "-    newTag: 1.0.0",
        "+    newTag: 1.1.0",
    ]
