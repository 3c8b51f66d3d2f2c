"""Where tests find their data: tests/data in the repo, plus the corpora `--corpus` names."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
CORPORA = DATA / "corpora"
CRDS = DATA / "crds"
FIXTURES = DATA / "peers" / "kubeconform" / "fixtures"
SYNCWINDOWS = DATA / "syncwindows"
FLUX_EXAMPLE = CORPORA / "fluxcd__flux2-kustomize-helm-example"

F = TypeVar("F", bound=Callable[..., object])


def corpus_folders(config: pytest.Config) -> list[Path]:
    """tests/data/corpora, then each `--corpus DIR`: folders holding one corpus per subfolder."""
    extra = [Path(d).resolve() for d in config.getoption("corpus")]
    for folder in extra:
        if not folder.is_dir():
            raise pytest.UsageError(f"--corpus {folder}: not a folder of corpora")
    return [CORPORA, *extra]


def corpora(config: pytest.Config) -> list[str]:
    """Every corpus: tests/data's by name, those under a `--corpus` folder by absolute path."""
    folders = corpus_folders(config)
    names = [p.name for p in sorted(CORPORA.iterdir()) if p.is_dir()]
    return names + [str(p) for f in folders[1:] for p in sorted(f.iterdir()) if p.is_dir()]


def corpus_root(corpus: str) -> Path:
    """The folder of a corpus `corpora` named (an absolute path replaces CORPORA)."""
    return CORPORA / corpus


def standalone(folder: Path, tmp_path: Path) -> Path:
    """A copy of folder outside this repository, for what finds the repo root by itself: the
    nearest folder holding .git, which for tests/data would be this project."""
    return Path(shutil.copytree(folder, tmp_path / "standalone" / folder.name))


def also_over(*names: str) -> Callable[[F], F]:
    """Run a corpus test over these names too; the test itself says what each one is."""

    def mark(test: F) -> F:
        test.also_over = names  # type: ignore[attr-defined]
        return test

    return mark


def parametrize_corpora(metafunc: pytest.Metafunc) -> None:
    """For a `pytest_generate_tests` hook: a test taking `corpus` runs once per corpus (a
    name for corpus_root), one taking `corpora` once per folder of corpora (a Path)."""
    if "corpus" in metafunc.fixturenames:
        extra = getattr(metafunc.function, "also_over", ())
        metafunc.parametrize("corpus", [*corpora(metafunc.config), *extra])
    if "corpora" in metafunc.fixturenames:
        folders = corpus_folders(metafunc.config)
        ids = ["tests-data", *(str(f) for f in folders[1:])]
        metafunc.parametrize("corpora", folders, ids=ids)
