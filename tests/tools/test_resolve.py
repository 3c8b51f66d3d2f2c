"""The resolver: configured path, then the tool cache, then PATH; the version decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.errors import ToolNotFoundError, UsageError
from gitops_gate.tools import PINS, cache_dir, find, resolve
from tests.tools.conftest import FakeTool


@pytest.fixture
def places(tmp_path: Path, private_cache: Path, bare_path: Path) -> dict[str, Path]:
    return {
        "configured": tmp_path / "configured",
        "cache": private_cache / PINS["conftest"].dir_name,
        "path": bare_path,
    }


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (["configured", "cache", "path"], "configured"),
        (["cache", "path"], "cache"),
        (["path"], "path"),
    ],
    ids=["configured-beats-cache", "cache-beats-path", "path-last"],
)
def test_search_order(
    places: dict[str, Path], fake_tool: FakeTool, present: list[str], expected: str
) -> None:
    paths = {where: fake_tool(places[where], "conftest") for where in present}
    configured = paths.get("configured")

    tool = resolve("conftest", configured=configured)

    assert (tool.path, tool.source, tool.version) == (paths[expected], expected, "0.71.1")


def test_a_wrong_version_in_the_cache_falls_through_to_a_right_one_on_path(
    places: dict[str, Path], fake_tool: FakeTool
) -> None:
    fake_tool(places["cache"], "kubeconform", "v0.6.7")
    on_path = fake_tool(places["path"], "kubeconform")

    assert resolve("kubeconform").path == on_path


def test_a_wrong_version_is_reported_with_found_and_wanted(
    places: dict[str, Path], fake_tool: FakeTool
) -> None:
    stale = fake_tool(places["path"], "kustomize", "v5.4.3")

    with pytest.raises(ToolNotFoundError) as raised:
        resolve("kustomize")

    assert raised.value.one_line() == (
        f"kustomize at {stale} is v5.4.3, wanted v5.8.2 (run `gitops-gate tools install`)"
    )
    assert find("kustomize") is None


def test_a_configured_binary_of_the_wrong_version_is_not_silently_replaced(
    places: dict[str, Path], fake_tool: FakeTool
) -> None:
    configured = fake_tool(places["configured"], "conftest", "v0.59.0")
    fake_tool(places["cache"], "conftest")

    with pytest.raises(ToolNotFoundError) as raised:
        resolve("conftest", configured=configured)

    assert raised.value.one_line() == (
        f"conftest at {configured} is 0.59.0, wanted v0.71.1 (fix the configured path)"
    )


def test_a_configured_path_that_does_not_exist(places: dict[str, Path]) -> None:
    with pytest.raises(ToolNotFoundError, match=r"configured as .* not an executable file"):
        resolve("etcd", configured=places["configured"] / "etcd")


def test_nothing_found_says_how_to_install(places: dict[str, Path]) -> None:
    with pytest.raises(ToolNotFoundError) as raised:
        resolve("kube-apiserver")

    assert raised.value.one_line() == (
        "kube-apiserver v1.33.13 was not found (run `gitops-gate tools install`)"
    )
    assert raised.value.exit_code == 3


def test_a_binary_that_prints_no_version_is_unknown(
    places: dict[str, Path], fake_tool: FakeTool
) -> None:
    broken = places["path"] / "etcd"
    broken.write_text("#!/bin/sh\necho 'Not provided'\n")
    broken.chmod(0o755)

    with pytest.raises(ToolNotFoundError, match=r"is of unknown version, wanted v3\.5\.24"):
        resolve("etcd")


def test_an_unknown_tool_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as raised:
        resolve("helm")

    assert raised.value.one_line() == (
        "unknown tool 'helm' (use one of: conftest, kubeconform, kustomize, etcd, "
        "kube-apiserver, gitleaks)"
    )


@pytest.mark.parametrize(
    ("xdg", "expected"),
    [("/srv/cache", Path("/srv/cache/gitops-gate/tools")), ("relative", None), ("", None)],
    ids=["absolute", "relative-ignored", "empty-ignored"],
)
def test_cache_dir_follows_xdg(
    monkeypatch: pytest.MonkeyPatch, xdg: str, expected: Path | None
) -> None:
    monkeypatch.delenv("GITOPS_GATE_TOOLS_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)

    assert cache_dir() == (expected or Path.home() / ".cache/gitops-gate/tools")


def _resolve_in_a_new_process(name: str, **env: str) -> str:
    import os
    import subprocess
    import sys

    code = (
        "from gitops_gate.tools import find\n"
        f"found = find({name!r})\n"
        "print(found.version if found else 'not found')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    )
    return done.stdout.strip()


def _counting_tool(path: Path, asked: Path, version: str) -> None:
    """A kubeconform that notes each time it is asked its version."""
    from tests.tools.conftest import VERSION_OUTPUT

    text = VERSION_OUTPUT["kubeconform"].format(version=version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho >> {asked}\ncat <<EOF\n{text}EOF\n")
    path.chmod(0o755)


def test_an_installed_binary_is_asked_its_version_once_until_it_changes(
    places: dict[str, Path], tmp_path: Path
) -> None:
    asked, tool = (
        tmp_path / "asked",
        places["cache"].parent / PINS["kubeconform"].dir_name / "kubeconform",
    )
    _counting_tool(tool, asked, PINS["kubeconform"].version)
    first, second = (
        _resolve_in_a_new_process("kubeconform"),
        _resolve_in_a_new_process("kubeconform"),
    )
    assert first == second == PINS["kubeconform"].version
    assert asked.read_text().count("\n") == 1  # the second run took it from the record

    _counting_tool(tool, asked, "v0.6.7")  # rebuilt in place: the record must not vouch for it
    assert _resolve_in_a_new_process("kubeconform") == "not found"
    assert asked.read_text().count("\n") == 2


def test_a_binary_outside_the_tool_cache_is_asked_in_every_process(
    places: dict[str, Path], tmp_path: Path
) -> None:
    # A shim (asdf, mise) or wrapper script reports what it runs today, unchanged itself.
    asked, tool = tmp_path / "asked", places["path"] / "kubeconform"
    _counting_tool(tool, asked, "${SHIM_VERSION}")
    assert _resolve_in_a_new_process("kubeconform", SHIM_VERSION="v0.8.0") == "v0.8.0"
    assert _resolve_in_a_new_process("kubeconform", SHIM_VERSION="v0.6.7") == "not found"
    assert asked.read_text().count("\n") == 2
