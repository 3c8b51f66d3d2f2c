"""Input that used to stop a run with "internal error" (exit 3): now one line and exit 1 or 2."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import make_repo, write_tree

LATEST = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: other}\n"
    "spec: {containers: [{name: a, image: 'nginx:latest'}]}\n"
)
OTHER_FINDING = 'other.yaml:4: error: Pod other container "a" image "nginx:latest"'


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("validate:\n  crdDirs: [/]\n", ".gitops-gate.yaml:2: path '/' leaves the repository"),
        ("policy:\n  paths: [../..]\n", ".gitops-gate.yaml:2: path '../..' leaves the repository"),
        ("validate:\n  crdDirs: [up]\n", ".gitops-gate.yaml:2: path 'up' leaves the repository"),
        ("version: 1\nx: 'a\x1bb'\n", ".gitops-gate.yaml:2: character U+001B is not allowed"),
        ("a: " + "[" * 40_000 + "]" * 40_000 + "\n", ".gitops-gate.yaml:1: nesting is deeper"),
    ],
    ids=["crd-dirs-root", "policy-paths-above", "crd-dirs-link-out", "escape-char", "deep"],
)
def test_config_that_leaves_the_repo_or_is_hostile_is_a_config_error(
    tmp_path: Path, cli: Callable[..., object], config: str, says: str
) -> None:
    repo = write_tree(tmp_path / "repo", {".gitops-gate.yaml": config, "other.yaml": LATEST})
    (repo / "up").symlink_to(tmp_path)

    run = cli("check", str(repo))

    assert run.code == 2, run.err
    assert run.err.startswith(f"gitops-gate: {says}"), run.err
    assert len(run.err.splitlines()) == 1


def test_symlink_loops_are_findings_and_the_rest_is_checked(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    repo = write_tree(tmp_path, {"other.yaml": LATEST})
    (repo / "self.yaml").symlink_to("self.yaml")
    (repo / "a.yaml").symlink_to("b.yaml")
    (repo / "b.yaml").symlink_to("a.yaml")
    (repo / "here").symlink_to(".")

    run = cli("check", str(repo))

    assert run.code == 1, run.err
    for name in ("a.yaml", "b.yaml", "self.yaml"):
        assert f"{name}: error: {name} is a symlink loop" in run.out
    assert OTHER_FINDING in run.out


@pytest.mark.parametrize(
    "at", ["9999-12-31T23:00:00Z", "0001-01-01T00:00+14:00", "9999-12-31T23:00 Pacific/Kiritimati"]
)
@pytest.mark.parametrize("command", ["check", "windows"])
def test_a_moment_out_of_range_is_a_usage_error(
    tmp_path: Path, cli: Callable[..., object], command: str, at: str
) -> None:
    write_tree(tmp_path, {"other.yaml": LATEST})

    run = (
        cli(command, "--at", at, str(tmp_path)) if command == "check" else cli(command, "--at", at)
    )

    assert run.code == 2
    assert (
        run.err == f"gitops-gate: time {at!r} is out of range (give a time between 1970 and"
        " 9000: windows look years ahead from it)\n"
    )


def test_hooks_path_naming_a_file_is_a_usage_error(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    repo = make_repo(tmp_path, {"other.yaml": LATEST})
    repo.git.config("core.hooksPath", "/dev/null")

    run = cli("hooks", "install", str(tmp_path))

    assert run.code == 2
    assert run.err.startswith(
        "gitops-gate: git's hooks folder /dev/null is not a folder (core.hooksPath?)"
    )


def test_a_closed_output_pipe_ends_quietly_as_sigpipe_does(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"f{i}.yaml": LATEST.replace("other", f"p{i}") for i in range(300)})
    gate = subprocess.Popen(
        [sys.executable, "-m", "gitops_gate", "check", "--no-color", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert gate.stdout is not None and gate.stderr is not None
    first = gate.stdout.readline()
    gate.stdout.close()  # as `| head -1` does
    err = gate.stderr.read()
    code = gate.wait(timeout=120)

    assert first.startswith(b"f0.yaml:4:")
    assert (code, err) == (141, b"")


def test_a_waivers_file_nested_too_deep_is_a_finding(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    deep = "waivers: " + "[" * 40_000 + "]" * 40_000 + "\n"
    write_tree(tmp_path, {".gitops-gate-waivers.yaml": deep, "other.yaml": LATEST})

    run = cli("check", str(tmp_path))

    assert run.code == 1, run.err
    assert ".gitops-gate-waivers.yaml:1: error: nesting is deeper than 256 levels" in run.out
    assert OTHER_FINDING in run.out


def test_a_deeply_nested_file_under_a_raised_depth_limit_keeps_its_lines(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(400)) + " " * 400 + "v: 1\n"
    write_tree(tmp_path, {
        ".gitops-gate.yaml": "limits:\n  maxDepth: 900\n",
        "other.yaml": LATEST.replace("spec:", f"x:\n{nested}spec:"),
    })  # fmt: skip

    run = cli("check", str(tmp_path))

    assert "nesting is deeper" not in run.out
    assert 'other.yaml:406: error: Pod other container "a" image "nginx:latest"' in run.out


ENVIRONMENTS = "environments:\n  prod: {paths: [clusters/prod]}\n  dev: {paths: [apps]}\n"
FLUX_KS = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
ARGO_APP = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n"


@pytest.mark.parametrize(
    "body",
    [
        FLUX_KS + "metadata: {name: a}\nspec: [1]\n",
        FLUX_KS + "metadata: {name: a}\nspec: {path: 5, sourceRef: [1], postBuild: [1]}\n",
        FLUX_KS + "metadata: {name: a}\nspec: {path: ./apps, dependsOn: 5}\n",
        FLUX_KS + "metadata: {name: a}\nspec: {postBuild: {substitute: [1, 2]}}\n",
        FLUX_KS + "metadata: {name: [a], namespace: {x: 1}}\nspec: {path: ./apps}\n",
        "apiVersion: 5\nkind: [x]\nmetadata: {name: a}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: 5}\n",
        ARGO_APP + "spec: [1]\n",
        ARGO_APP + "spec: {source: [1], destination: 5}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: [1]}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {template: {spec:"
        " {containers: [{name: a, image: 5, env: 3, securityContext: [1], resources: [1]}]}}}\n",
    ],
    ids=["flux-spec-list", "flux-fields-wrong", "flux-depends-on-number", "flux-substitute-list",
         "flux-name-list", "kind-a-list", "containers-a-number", "argo-spec-list",
         "argo-fields-wrong", "template-a-list", "container-fields-wrong"],
)  # fmt: skip
@pytest.mark.parametrize(
    "command",
    [["check"], ["graph"], pytest.param(["diff", "--from-env", "prod", "--to-env", "dev"],
                                        id="diff", marks=pytest.mark.slow)],
    ids=["check", "graph", "diff"],
)  # fmt: skip
def test_objects_of_the_wrong_shape_never_crash_a_command(
    tmp_path: Path, cli: Callable[..., object], body: str, command: list[str]
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": ENVIRONMENTS,
        "clusters/prod/bad.yaml": body,
        "apps/kustomization.yaml": "resources: [other.yaml]\n",
        "apps/other.yaml": LATEST,
    })  # fmt: skip

    run = cli(*command, str(tmp_path))

    assert run.code in (0, 1), run.err
    if command == ["check"]:
        assert OTHER_FINDING.replace("other.yaml", "apps/other.yaml") in run.out
