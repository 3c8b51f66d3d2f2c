"""`gitops-gate tools install` as a user runs it: idempotent, atomic, and honest without Go."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.tools import PINS, cache_dir, resolve
from tests.conftest import Run
from tests.helpers.toolchain import ensure_tool
from tests.tools.conftest import FakeTool

Cli = Callable[..., Run]


def _cache_all(private_cache: Path, fake_tool: FakeTool) -> None:
    for pin in PINS.values():
        fake_tool(private_cache / pin.dir_name, pin.name)


def test_without_go_install_exits_3_saying_how_to_get_each_tool(
    cli: Cli, private_cache: Path, bare_path: Path
) -> None:
    result = cli("tools", "install")

    assert result.code == 3
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith("gitops-gate: `go` is not on PATH, so the pinned tools cannot be built")
    for pin in PINS.values():
        assert f"{pin.name} {pin.version} from {pin.release_url}" in line
    assert line.endswith("until then the built-in engines are used)")
    assert not private_cache.exists() or not any(private_cache.glob("*/*"))


def test_without_go_install_of_present_tools_succeeds(
    cli: Cli, private_cache: Path, bare_path: Path, fake_tool: FakeTool
) -> None:
    _cache_all(private_cache, fake_tool)

    result = cli("tools", "install", "--format", "json")

    assert result.code == 0, result.err
    tools = json.loads(result.out)["tools"]
    assert [(t["name"], t["status"]) for t in tools] == [(n, "present") for n in PINS]


def test_install_names_only_the_tools_asked_for(
    cli: Cli, private_cache: Path, bare_path: Path, fake_tool: FakeTool
) -> None:
    fake_tool(private_cache / PINS["kustomize"].dir_name, "kustomize")

    result = cli("tools", "install", "kustomize")

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"kustomize  v5.8.2     present  {private_cache}/kustomize-v5.8.2/kustomize",
        "1 tools ready (0 built, 1 present)",
    ]


def test_an_unknown_tool_name_is_a_usage_error(cli: Cli, private_cache: Path) -> None:
    result = cli("tools", "install", "helm")

    assert result.code == 2
    assert result.err.startswith("gitops-gate: unknown tool 'helm' (use one of: conftest,")


def test_tools_without_a_subcommand_shows_its_help(cli: Cli) -> None:
    result = cli("tools")

    assert result.code == 2
    assert result.out.startswith("usage: gitops-gate tools [-h] SUBCOMMAND ...")
    listed = [line.split()[0] for line in result.out.splitlines() if line.startswith("    ")]
    assert listed == ["install", "doctor"]


@pytest.mark.slow
def test_install_builds_all_then_a_second_run_finds_every_tool_present(cli: Cli) -> None:
    # The real cache (~/.cache/gitops-gate/tools): this is what warms CI on a fresh machine.
    first = cli("tools", "install")
    assert first.code == 0, first.err

    started = time.monotonic()
    second = cli("tools", "install")
    seconds = time.monotonic() - started

    assert second.code == 0, second.err
    lines = second.out.splitlines()
    for pin in PINS.values():
        path = cache_dir() / pin.dir_name / pin.name
        assert any(
            line.split() == [pin.name, pin.version, "present", str(path)] for line in lines
        ), second.out
    assert lines[-1] == f"{len(PINS)} tools ready (0 built, {len(PINS)} present)"
    assert seconds < 10
    for name in PINS:
        assert resolve(name).source in ("cache", "configured", "path")


@pytest.mark.slow
def test_a_build_into_a_fresh_cache_then_force_rebuilds(cli: Cli, private_cache: Path) -> None:
    built = cli("tools", "install", "kubeconform", "--format", "json")
    again = cli("tools", "install", "kubeconform", "--format", "json")
    forced = cli("tools", "install", "kubeconform", "--force", "--format", "json")

    statuses = [json.loads(r.out)["tools"][0]["status"] for r in (built, again, forced)]
    assert statuses == ["installed", "present", "installed"]
    tool = resolve("kubeconform")
    assert (tool.path, tool.version, tool.source) == (
        private_cache / "kubeconform-v0.8.0" / "kubeconform",
        "v0.8.0",
        "cache",
    )
    # Nothing half-built or left over next to the tool.
    assert sorted(p.name for p in private_cache.iterdir() if not p.name.endswith(".lock")) == [
        "kubeconform-v0.8.0"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(PINS))
def test_ensure_tool_returns_the_pinned_binary(name: str) -> None:
    path = ensure_tool(name)

    assert resolve(name, configured=path).path == path


def _fake_go(bin_dir: Path, install_body: str) -> None:
    # Stands in for Go only to drive our handling of its failures; real builds are the slow tests.
    go = bin_dir / "go"
    go.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = env ]; then echo go1.26.8; exit 0; fi\n'
        'if [ "$1" = install ]; then\n' + install_body + "\nfi\nexit 2\n"
    )
    go.chmod(0o755)


def test_a_failed_build_is_one_line_with_the_log_and_leaves_no_partial_tool(
    cli: Cli, private_cache: Path, bare_path: Path
) -> None:
    _fake_go(bare_path, "echo 'go: github.com/x@v1: reading proxy: 403 Forbidden' >&2; exit 1")

    result = cli("tools", "install", "conftest")

    assert result.code == 3
    log = private_cache / "logs" / "conftest-v0.71.1.log"
    assert result.err.splitlines() == [
        "building conftest v0.71.1 (go install; this can take minutes)",
        f"gitops-gate: building conftest v0.71.1 failed: `{bare_path}/go` exited 1: "
        "go: github.com/x@v1: reading proxy: 403 Forbidden "
        f"(full output in {log}; check the Go version and access to GOPROXY)",
    ]
    assert "403 Forbidden" in log.read_text()
    assert sorted(p.name for p in private_cache.iterdir()) == [".conftest.lock", "logs"]


def test_a_build_that_reports_the_wrong_version_is_not_installed(
    cli: Cli, private_cache: Path, bare_path: Path
) -> None:
    _fake_go(
        bare_path,
        "printf '#!/bin/sh\\necho development\\n' > \"$GOBIN/kubeconform\"; "
        'chmod +x "$GOBIN/kubeconform"; exit 0',
    )

    result = cli("tools", "install", "kubeconform")

    assert result.code == 3
    assert result.err.splitlines()[-1] == (
        "gitops-gate: the kubeconform just built reports version none, wanted v0.8.0 "
        "(this is a bug in gitops-gate's pins; please report it)"
    )
    assert not (private_cache / "kubeconform-v0.8.0").exists()


def test_progress_goes_to_stderr_and_results_to_stdout(
    cli: Cli, private_cache: Path, bare_path: Path
) -> None:
    _fake_go(
        bare_path,
        "printf '#!/bin/sh\\necho v0.8.0\\n' > \"$GOBIN/kubeconform\"; "
        'chmod +x "$GOBIN/kubeconform"; exit 0',
    )

    result = cli("tools", "install", "kubeconform")
    quiet = cli("tools", "install", "kubeconform", "--force", "--quiet")

    assert result.code == quiet.code == 0
    assert result.err.splitlines()[0] == (
        "building kubeconform v0.8.0 (go install; this can take minutes)"
    )
    assert result.err.splitlines()[1].startswith("built kubeconform v0.8.0 in ")
    assert result.out.splitlines()[0].split()[:3] == ["kubeconform", "v0.8.0", "installed"]
    assert (quiet.out, quiet.err) == ("", "")


def test_the_command_module_imports_nothing_heavy() -> None:
    # Registering `tools` (every `gitops-gate --help` does) loads none of the heavy modules.
    code = (
        "import sys, gitops_gate.commands.tools;"
        "from gitops_gate.lazy_imports import HEAVY_MODULES as H;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in H))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "[]"
