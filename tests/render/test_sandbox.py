"""kustomize runs with no network: even a build nothing screened cannot reach a local server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_gate.errors import EnvironmentProblem, ToolError
from gitops_gate.render import sandbox
from gitops_gate.render.backend import RenderSettings
from gitops_gate.render.kustomize import KustomizeBinary
from tests.helpers.loopback import Server, serving
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as s:
        yield s


WAYS = [pytest.param(w, id=w[-2]) for w in sandbox.candidates()]


def test_the_probe_sees_an_open_network() -> None:
    # What makes a way count as working is a real connection attempt that failed.
    assert sandbox.works(()) is False


@pytest.mark.slow
@pytest.mark.parametrize("way", [*WAYS, pytest.param((), id="none")])
def test_kustomize_cannot_fetch_under_the_sandbox(
    tmp_path: Path, server: Server, way: tuple[str, ...]
) -> None:
    if way and not sandbox.works(way):
        pytest.skip(f"{' '.join(way)} is not available on this machine")
    write_tree(tmp_path, {"kustomization.yaml": f"resources:\n  - {server.url}\n"})
    binary = KustomizeBinary(ensure_tool("kustomize"), "pinned", jail=way)

    try:
        out = binary.build(tmp_path, settings=RenderSettings(timeout=60))
    except ToolError:
        out = ""

    if way:
        assert (server.seen, out) == ([], "")
    else:
        # The control: unconfined, the dead proxy does not stop a loopback fetch.
        assert server.seen == ["/x.yaml"]
        assert "fetched-from-the-network" in out


def test_no_way_refuses_to_render_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "candidates", list)
    monkeypatch.setattr(sandbox, "_found", [])

    with pytest.raises(EnvironmentProblem) as refused:
        sandbox.jail(allow_unsandboxed=False)
    assert "set diff.allowUnsandboxedRender: true" in refused.value.one_line()
    assert sandbox.jail(allow_unsandboxed=True) == ()


@pytest.mark.slow
@pytest.mark.parametrize("way", WAYS)
def test_kustomize_still_builds_local_files_under_the_sandbox(
    tmp_path: Path, way: tuple[str, ...]
) -> None:
    if not sandbox.works(way):
        pytest.skip(f"{' '.join(way)} is not available on this machine")
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: local}\n"
    write_tree(tmp_path, {"kustomization.yaml": "resources: [cm.yaml]\n", "cm.yaml": cm})
    binary = KustomizeBinary(ensure_tool("kustomize"), "pinned", jail=way)

    assert binary.build(tmp_path, settings=RenderSettings(timeout=60)) == (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n"
    )
