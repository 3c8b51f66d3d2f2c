"""Precision and recall of each engine over the labelled set (tests/data/secrets/labels.yaml).

The set: the six public GitOps repositories of tests/data/corpora, the kyoo app of home-ops (its
one real credential), and fake credentials planted in every kind of file a GitOps repository
holds. A finding is a place (path:line) of severity warning or more; the labels list every
real one. Without a baseline, at least 90% of findings must be real, and every real one found.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from gitops_gate.findings import Severity
from gitops_gate.secrets.builtin import BuiltinEngine
from gitops_gate.secrets.engine import Engine
from gitops_gate.secrets.files import files_to_scan
from gitops_gate.secrets.gitleaks import GitleaksEngine
from gitops_gate.secrets.judged import judged_hits
from tests.helpers.data import DATA
from tests.helpers.toolchain import ensure_tool

LABELS = DATA / "secrets" / "labels.yaml"
MIN_PRECISION = 0.90


@dataclass(frozen=True)
class Measured:
    found: dict[str, Severity]  # place -> severity
    real: frozenset[str]

    @property
    def precision(self) -> float:
        return len(self.real & self.found.keys()) / len(self.found) if self.found else 1.0

    @property
    def recall(self) -> float:
        return len(self.real & self.found.keys()) / len(self.real)

    def line(self, name: str) -> str:
        errors = {p for p, s in self.found.items() if s >= Severity.ERROR}
        return (
            f"{name}: {len(self.found)} places found, {len(self.real & self.found.keys())} of "
            f"{len(self.real)} real (precision {self.precision:.1%}, recall {self.recall:.1%}); "
            f"errors {len(errors)}, real {len(errors & self.real)}"
        )


def _trees(labels: dict[str, list[str]]) -> list[Path]:
    """Each tree scanned as its own repository (a corpus is one)."""
    out: list[Path] = []
    for tree in labels["trees"]:
        folder = DATA / tree
        out += sorted(p for p in folder.iterdir() if p.is_dir()) if tree == "corpora" else [folder]
    return out


def measure(engine: Engine) -> Measured:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    found: dict[str, Severity] = {}
    for tree in _trees(labels):
        files = list(files_to_scan([tree], tree).files.items())
        for hit in judged_hits(engine, files):
            place = f"{tree.relative_to(DATA).as_posix()}/{hit.path}:{hit.line}"
            found[place] = max(hit.severity, found.get(place, Severity.INFO))
    return Measured(found, frozenset(labels["real"]))


def _check(measured: Measured, name: str) -> None:
    print(measured.line(name))  # the numbers README states; shown with -s
    missed = sorted(measured.real - measured.found.keys())
    false = sorted(measured.found.keys() - measured.real)
    assert missed == [], f"{name} missed real credentials"
    assert measured.precision >= MIN_PRECISION, f"{name} false alarms: {false}"


@functools.cache
def _builtin() -> Measured:
    return measure(BuiltinEngine())


@functools.cache
def _gitleaks(binary: Path) -> Measured:
    return measure(GitleaksEngine(binary))


def test_the_builtin_engine_finds_every_real_credential_and_few_others() -> None:
    _check(_builtin(), "builtin")


@pytest.mark.slow
def test_gitleaks_finds_every_real_credential_and_few_others() -> None:
    _check(_gitleaks(ensure_tool("gitleaks")), "gitleaks")


@pytest.mark.slow
def test_both_engines_find_the_same_places() -> None:
    builtin, gitleaks = _builtin(), _gitleaks(ensure_tool("gitleaks"))
    assert builtin.found.keys() & builtin.real == gitleaks.found.keys() & gitleaks.real
    assert sorted(builtin.found.keys() - builtin.real) == sorted(
        gitleaks.found.keys() - gitleaks.real
    )


def test_every_label_names_a_line_of_a_file_in_the_set() -> None:
    # A label that drifted off its line would be counted missed by both engines alike.
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    for place in labels["real"]:
        path, line = place.rsplit(":", 1)
        lines = (DATA / path).read_text(encoding="utf-8").split("\n")
        assert any(path.startswith(f"{tree}/") for tree in labels["trees"]), place
        assert lines[int(line) - 1].strip(), place
