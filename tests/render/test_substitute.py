"""Flux post-build substitution, case by case as kustomize-controller's envsubst behaves."""

from __future__ import annotations

import pytest

from gitops_gate.render.substitute import substitute

V = {"app": "podinfo", "path": "/home/bozo/ideas.txt", "empty": "", "Up": "ABC"}


@pytest.mark.parametrize(
    ("text", "expected", "missing"),
    [
        ("name: ${app}", "name: podinfo", []),
        ("name: $app", "name: $app", []),
        ("${missing}", "${missing}", ["missing"]),
        ("${missing:=dflt}", "dflt", []),
        ("${missing:-dflt}", "dflt", []),
        ("${empty:-dflt}", "dflt", []),
        ("${empty-dflt}", "", []),
        ("${missing=${app}-x}", "podinfo-x", []),
        ("$${app}", "${app}", []),
        ("${#app}", "7", []),
        ("${app^^}", "PODINFO", []),
        ("${Up,,}", "abc", []),
        ("${app:3}", "info", []),
        ("${app:0:3}", "pod", []),
        ("${path##*/}", "ideas.txt", []),
        ("${path%.*}", "/home/bozo/ideas", []),
        ("${app/o/0}", "p0dinfo", []),
        ("${app//o/0}", "p0dinf0", []),
        ("${missing^^}", "${missing^^}", ["missing"]),
    ],
)
def test_substitute(text: str, expected: str, missing: list[str]) -> None:
    done = substitute(text, V)

    assert (done.text, done.missing) == (expected, missing)
