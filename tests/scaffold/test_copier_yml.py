"""The template is usable three ways: from this repository, from its folder, and by init."""

from __future__ import annotations

import warnings
from pathlib import Path

from tests.scaffold.generate import generate, tree_text

PROJECT = Path(__file__).resolve().parents[2]


def _copy(src: Path, dest: Path, **kwargs: str) -> Path:
    import copier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(str(src), dest, defaults=True, quiet=True, **kwargs)
    return dest


def _without_commit(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("_commit:"))


def test_copy_from_the_repository_root(tmp_path: Path) -> None:
    # The root copier.yml points at templates/gitops-repo; versions come from this repo's tags.
    dest = _copy(PROJECT, tmp_path / "from-root", vcs_ref="HEAD")
    answers = (dest / ".copier-answers.yml").read_text()
    assert "_commit:" in answers
    assert not (dest / "copier.yml").exists()
    expected = tree_text(generate(tmp_path / "by-init", gitops_gate_version="0.1.0"))
    assert _without_commit(tree_text(dest)) == _without_commit(expected)


def test_copy_from_the_template_folder(tmp_path: Path) -> None:
    dest = _copy(PROJECT / "templates" / "gitops-repo", tmp_path / "from-folder")
    expected = tree_text(generate(tmp_path / "by-init", gitops_gate_version="0.1.0"))
    assert tree_text(dest) == expected
    assert not (dest / "copier.yml").exists()
