"""The pins: versions read from real `--version` output, and the kube-apiserver scratch module."""

from __future__ import annotations

import pytest

from gitops_gate.tools import PINS
from gitops_gate.tools.gobuild import scratch_go_mod


@pytest.mark.parametrize(
    ("name", "output", "expected", "usable"),
    [
        ("conftest", "Conftest: 0.71.1\nOPA: 1.21.1\n", "0.71.1", True),
        ("conftest", "Conftest: dev\nOPA: 1.21.1\n", "dev", False),
        ("kubeconform", "v0.8.0\n", "v0.8.0", True),
        ("kubeconform", "development\n", None, False),
        ("kustomize", "v5.8.2\n", "v5.8.2", True),
        ("kustomize", "(devel)\n", None, False),
        (
            "etcd",
            "etcd Version: 3.5.24\nGit SHA: Not provided (use ./build instead of go build)\n"
            "Go Version: go1.26.8\nGo OS/Arch: linux/amd64\n",
            "3.5.24",
            True,
        ),
        ("kube-apiserver", "Kubernetes v1.33.13\n", "v1.33.13", True),
        (
            "kube-apiserver",
            "Kubernetes v0.0.0-master+$Format:%H$\n",
            "v0.0.0-master+$Format:%H$",
            False,
        ),
        ("gitleaks", "v8.30.1\n", "v8.30.1", True),
        ("gitleaks", "version is set by build process\n", None, False),
    ],
    ids=[
        "conftest",
        "conftest-without-ldflags",
        "kubeconform",
        "kubeconform-without-ldflags",
        "kustomize",
        "kustomize-without-build-info",
        "etcd",
        "kube-apiserver",
        "kube-apiserver-without-ldflags",
        "gitleaks",
        "gitleaks-without-ldflags",
    ],
)
def test_parse_version(name: str, output: str, expected: str | None, usable: bool) -> None:
    pin = PINS[name]

    found = pin.parse_version(output)

    assert found == expected
    assert (found is not None and pin.matches(found)) is usable


def test_kube_apiserver_scratch_module_points_staging_modules_at_published_versions() -> None:
    text = scratch_go_mod(PINS["kube-apiserver"], ["k8s.io/api", "k8s.io/component-base"])

    assert text.splitlines() == [
        "module gitops-gate.invalid/build/kube-apiserver",
        "",
        "go 1.22",
        "",
        "replace (",
        "\tk8s.io/api => k8s.io/api v0.33.13",
        "\tk8s.io/component-base => k8s.io/component-base v0.33.13",
        ")",
    ]


def test_kube_apiserver_ldflags_set_the_version_it_prints() -> None:
    flags = PINS["kube-apiserver"].rendered_ldflags()

    assert "-X k8s.io/component-base/version.gitVersion=v1.33.13" in flags
    assert "-X k8s.io/component-base/version.gitMinor=33" in flags
