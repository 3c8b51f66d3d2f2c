"""`gitops-gate diff` as a user meets it: real git repos, real kustomize, what is printed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.diff.fixtures import deployment, three_envs
from tests.helpers.data import FLUX_EXAMPLE
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    r = make_repo(root, three_envs())
    commit(r, {"web/overlays/staging/replicas.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n"
    ), "web/base/web.yaml": deployment("web", "nginx:1.28"),
       "web/base/secret.yaml": (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
        "stringData:\n  password: correct-horse\n  user: app\n"
    )}, "change")  # fmt: skip
    monkeypatch.chdir(root)
    return root


def as_json(run: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run.out)
    return data


def test_base_vs_head_json(repo: Path, cli: Callable[..., Any]) -> None:
    run = cli("diff", "--base", "main~1", "--format", "json")

    assert run.code == 0, run.err
    data = as_json(run)
    summary = {
        e["environment"]: (e["counts"], e["impact"], e["images"]) for e in data["environments"]
    }
    images = [{"old": "nginx:1.27", "new": "nginx:1.28"}]
    changed = {"added": 0, "removed": 0, "changed": 2}
    assert summary == {
        "dev": (changed, "medium", images),
        "production": (changed, "high", images),
        "staging": (changed, "medium", images),
    }


def test_secret_values_are_masked(repo: Path, cli: Callable[..., Any]) -> None:
    run = cli("diff", "--base", "main~1", "--env", "dev")

    assert "correct-horse" not in run.out and "hunter2" not in run.out
    assert "-  password: <masked>" in run.out
    assert "+  password: <masked, changed>" in run.out
    assert "user: <masked>" in run.out


@pytest.mark.parametrize(
    ("args", "code", "err"),
    [
        (
            ["--base", "nope"],
            2,
            "gitops-gate: ref 'nope' does not exist (fetch it or check the name)",
        ),
        (["--base", "main", "--env", "qa"], 2, "gitops-gate: unknown environment 'qa'"),
        (["--from-env", "dev"], 2, "gitops-gate: --from-env and --to-env go together"),
        ([], 2, "gitops-gate: diff needs --base REF"),
    ],
    ids=["missing-ref", "unknown-env", "half-promotion", "no-base"],
)
def test_usage_errors(
    repo: Path, cli: Callable[..., Any], args: list[str], code: int, err: str
) -> None:
    run = cli("diff", *args)

    assert run.code == code
    assert err in run.err


def test_exit_code_and_untouched_work_tree(repo: Path, cli: Callable[..., Any]) -> None:
    (repo / "scratch.txt").write_text("mine")
    before = sorted(p.name for p in repo.iterdir())

    assert cli("diff", "--base", "main~1", "--exit-code", "-q").code == 1
    assert cli("diff", "--base", "main", "--exit-code").code == 0
    assert sorted(p.name for p in repo.iterdir()) == before


def test_broken_overlay_is_a_finding_and_others_still_render(
    repo: Path, cli: Callable[..., Any]
) -> None:
    import git

    commit(git.Repo(repo), {"web/overlays/dev/kustomization.yaml": "resources:\n  - gone/\n"}, "x")

    data = as_json(cli("diff", "--base", "main~2", "--format", "json"))

    envs = {e["environment"]: e for e in data["environments"]}
    (finding,) = envs["dev"]["findings"]
    assert finding["path"] == "web/overlays/dev/kustomization.yaml"
    assert finding["rule"] == "render-failed"
    assert envs["staging"]["counts"]["changed"] == 2


def test_corpus_staging_vs_production(tmp_path: Path, cli: Callable[..., Any]) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(FLUX_EXAMPLE, root)

    data = as_json(
        cli(
            "diff", str(root), "--from-env", "staging", "--to-env", "production", "--format", "json"
        )
    )

    (env,) = data["environments"]
    assert env["impact"] == "high"
    assert [
        (c["change"], c["resource"]["kind"], c["resource"]["name"]) for c in env["changes"]
    ] == [
        ("changed", "ClusterIssuer", "letsencrypt"),
        ("changed", "ArtifactGenerator", "flux-system"),
        ("changed", "Kustomization", "apps"),
        ("changed", "Kustomization", "infra-configs"),
        ("changed", "HelmRelease", "podinfo"),
    ]
    diffs = "".join(c["diff"] for c in env["changes"])
    assert "-  path: ./staging\n+  path: ./production\n" in diffs
    assert "-      - podinfo.staging\n+      - podinfo.production\n" in diffs
    assert "+    server: https://acme-v02.api.letsencrypt.org/directory\n" in diffs


def test_markdown_snapshot(repo: Path, cli: Callable[..., Any], snapshot: Any) -> None:
    run = cli("diff", "--base", "main~1", "--format", "markdown")

    assert run.code == 0
    snapshot.snapshot_dir = Path(__file__).parent / "snapshots"
    snapshot.assert_match(run.out, "three_envs.md")


def test_markdown_stays_within_github_limit() -> None:
    from gitops_gate.diff.api import DiffResult
    from gitops_gate.diff.compare import EnvDiff, ObjectChange
    from gitops_gate.diff.impact import Impact
    from gitops_gate.diff.markdown import render
    from gitops_gate.keys import ResourceKey

    big = "".join(f"+  line{i}: {'x' * 80}\n" for i in range(400))
    cm = ResourceKey("", "ConfigMap", "ns", "cm")
    change = ObjectChange(cm, "changed", Impact.MEDIUM, "r", big)
    envs = [EnvDiff(f"env{i}", "a", "b", changes=[change]) for i in range(5)]

    text = render(DiffResult("a", "b", envs), rerun="gitops-gate diff --base a")

    assert len(text) <= 65_536
    assert text.startswith("### gitops-gate diff: `a` → `b`")
    assert "| env4 | 0 | 0 | 1 |" in text
    assert "Run `gitops-gate diff --base a` to see it all." in text


def test_all_cached_refs_show_the_same_changes(repo: Path, cli: Callable[..., Any]) -> None:
    first = cli("diff", "--base", "main~1", "--format", "json")
    again = cli("diff", "--base", "main~1", "--format", "json")

    assert first.code == again.code == 0
    assert as_json(again) == as_json(first)
    assert [e["counts"]["changed"] for e in as_json(again)["environments"]] == [2, 2, 2]


def test_one_environment_changed_after_caching(repo: Path, cli: Callable[..., Any]) -> None:
    import git

    cli("diff", "--base", "main~1", "--all", "--format", "json")
    replicas = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 9\n"
    )
    commit(git.Repo(repo), {"web/overlays/dev/replicas.yaml": replicas}, "dev only")

    data = as_json(cli("diff", "--base", "main~1", "--all", "--format", "json"))

    counts = {e["environment"]: e["counts"]["changed"] for e in data["environments"]}
    assert counts == {"dev": 1, "production": 0, "staging": 0}
    (change,) = data["environments"][0]["changes"]
    assert "-  replicas: 1\n+  replicas: 9\n" in change["diff"]


def test_ref_deleted_after_caching_is_a_usage_error(repo: Path, cli: Callable[..., Any]) -> None:
    import git

    r = git.Repo(repo)
    r.create_head("feature", "main")
    assert cli("diff", "--base", "main~1", "--head", "feature", "-q").code == 0
    r.delete_head("feature", force=True)

    run = cli("diff", "--base", "main~1", "--head", "feature")

    assert run.code == 2
    assert "gitops-gate: ref 'feature' does not exist" in run.err


def test_no_temp_folders_are_left(
    repo: Path, cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    assert cli("diff", "--base", "main~1", "-q").code == 0
    assert cli("diff", "--base", "nope").code == 2
    assert cli("diff", "--from-env", "dev", "--to-env", "staging", "--head", "main~1").code == 0

    assert list(temp.iterdir()) == []


def flux(path: str) -> str:
    return (
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
        "metadata: {name: apps, namespace: flux-system}\n"
        f"spec:\n  path: {path}\n  sourceRef: {{kind: GitRepository, name: flux-system}}\n"
    )


def test_folder_only_the_rendered_objects_name_is_read(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    """A patch moves a Flux Kustomization to a folder the graph cannot see: it still renders."""
    patch = '[{"op": "replace", "path": "/spec/path", "value": "./apps/real"}]'
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {}, namespace: default}}\n"
    files = {
        "clusters/dev/kustomization.yaml": (
            "resources: [flux.yaml]\npatches:\n  - target: {kind: Kustomization}\n"
            f"    patch: '{patch}'\n"
        ),
        "clusters/dev/flux.yaml": flux("./apps/decoy"),
        "clusters/prod/kustomization.yaml": "resources: [flux.yaml]\n",
        "clusters/prod/flux.yaml": flux("./apps/decoy"),
        "apps/decoy/cm.yaml": cm.format("decoy"),
        "apps/real/cm.yaml": cm.format("real"),
    }
    make_repo(tmp_path / "repo", files)

    run = cli(
        "diff", str(tmp_path / "repo"), "--from-env", "prod", "--to-env", "dev", "--head", "main",
        "--format", "json",
    )  # fmt: skip

    assert run.code == 0, run.err
    (env,) = as_json(run)["environments"]
    assert env["findings"] == []
    changes = {(c["change"], c["resource"]["name"]) for c in env["changes"]}
    assert changes == {("changed", "apps"), ("removed", "decoy"), ("added", "real")}
