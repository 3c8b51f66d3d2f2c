"""Discovery: environments come from what Flux and Argo CD deploy, each named with its rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_gate.cli import main
from gitops_gate.config import load_config
from tests.helpers.data import CORPORA
from tests.helpers.tree import write_tree


def _found(root: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {e.name: (e.rule, e.paths) for e in load_config(root).environments}


@pytest.mark.parametrize(
    ("corpus", "expected"),
    [
        (
            "joryirving__home-ops",  # kubernetes/<cluster>/flux/config/cluster.yaml applies itself
            {
                "main": ("flux-root", ("kubernetes/main/flux",)),
                "utility": ("flux-root", ("kubernetes/utility/flux",)),
            },
        ),
        (
            "fluxcd__flux2-kustomize-helm-example",  # bootstrap; ExternalArtifact sources
            {
                "production": ("flux-root", ("clusters/production",)),
                "staging": ("flux-root", ("clusters/staging",)),
            },
        ),
        (
            "fluxcd__flux2-multi-tenancy",  # a tenant's GitRepository is another branch
            {
                "production": ("flux-root", ("clusters/production",)),
                "staging": ("flux-root", ("clusters/staging",)),
            },
        ),
        (
            "theepicsaxguy__homelab",  # two ApplicationSets' list elements over overlays/<env>
            {
                env: (
                    "applicationset-list",
                    (f"k8s/applications/overlays/{env}", f"k8s/infrastructure/overlays/{env}"),
                )
                for env in ("dev", "prod", "staging")
            },
        ),
        (
            "cloudnativedaysjp__dreamkast-infra",  # app-of-apps, three levels, from two roots
            {
                "development": ("argo-application", ("manifests/argocd-apps/development",)),
                "production": ("argo-application", ("manifests/argocd-apps/production",)),
            },
        ),
    ],
)
def test_corpora_discover_their_environments(
    corpus: str, expected: dict[str, tuple[str, tuple[str, ...]]]
) -> None:
    assert _found(CORPORA / corpus) == expected


def test_an_app_of_apps_environment_holds_what_its_children_deploy() -> None:
    config = load_config(CORPORA / "cloudnativedaysjp__dreamkast-infra")
    # Two levels below the root Application: the production app's own overlay.
    deployed = "manifests/app/dreamkast/overlays/production/main/kustomization.yaml"
    assert [e.name for e in config.environments_of(deployed)] == ["production"]
    # The review apps come from pull requests: known only to GitHub, so a notice.
    assert any("pullRequest generator" in n for n in config.notices)


_KS = """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {name}
  namespace: flux-system
spec:
  path: {path}
  sourceRef: {{kind: GitRepository, name: flux-system}}
"""


def test_flux_cluster_ks_layout(tmp_path: Path) -> None:
    """`kubernetes/flux/cluster/ks.yaml` -> `./kubernetes/apps` (the cluster-template layout):
    applied by a bootstrap script, reconciling every app's ks.yaml."""
    write_tree(
        tmp_path,
        {
            "kubernetes/flux/cluster/ks.yaml": _KS.format(
                name="cluster-meta", path="./kubernetes/flux/meta"
            )
            + "---\n"
            + _KS.format(name="cluster-apps", path="./kubernetes/apps"),
            "kubernetes/flux/meta/repos.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "kubernetes/apps/default/kustomization.yaml": "resources: [echo/ks.yaml]\n",
            "kubernetes/apps/default/echo/ks.yaml": _KS.format(
                name="echo", path="./kubernetes/apps/default/echo/app"
            ),
            "kubernetes/apps/default/echo/app/deploy.yaml": "apiVersion: v1\nkind: Service\n",
        },
    )
    config = load_config(tmp_path)
    assert _found(tmp_path) == {
        "cluster": ("flux-root", ("kubernetes/apps", "kubernetes/flux/meta"))
    }
    # What the tree's Kustomizations build belongs to the cluster too.
    [env] = config.environments
    assert env.contains("kubernetes/apps/default/echo/app/deploy.yaml")


def test_a_stray_kustomization_is_no_cluster(tmp_path: Path) -> None:
    """A Flux Kustomization nothing applies that reconciles no tree is not an environment:
    the folder conventions are used instead."""
    write_tree(
        tmp_path,
        {
            "deploy/ks.yaml": _KS.format(name="one", path="./deploy/app"),
            "deploy/app/svc.yaml": "apiVersion: v1\nkind: Service\n",
            "app/overlays/qa/kustomization.yaml": "resources: []\n",
        },
    )
    assert _found(tmp_path) == {"qa": ("folder-convention", ("app/overlays/qa",))}


_APPSET = """apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {{name: {name}, namespace: argocd}}
spec:
{generators}
  template:
    metadata: {{name: '{app}'}}
    spec:
      project: {project}
      source: {{repoURL: https://example.com/repo.git, path: '{path}'}}
      destination: {{server: https://kubernetes.default.svc, namespace: web}}
"""


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {
                "argocd/set.yaml": _APPSET.format(
                    name="web",
                    generators="  generators:\n    - git:\n        repoURL: x\n"
                    "        directories: [{path: 'clusters/*'},"
                    " {path: clusters/old, exclude: true}]",
                    app="web-{{path.basename}}",
                    project="web",
                    path="{{path}}",
                ),
                "clusters/eu-1/kustomization.yaml": "resources: []\n",
                "clusters/us-1/kustomization.yaml": "resources: []\n",
                "clusters/old/kustomization.yaml": "resources: []\n",
            },
            {
                "eu-1": ("applicationset-git-directory", ("clusters/eu-1",)),
                "us-1": ("applicationset-git-directory", ("clusters/us-1",)),
            },
        ),
        (
            {
                "argocd/set.yaml": _APPSET.format(
                    name="web",
                    generators="  goTemplate: true\n  generators:\n    - git:\n"
                    "        repoURL: x\n        files: [{path: 'envs/*/env.json'}]",
                    app="web-{{.environment}}",
                    project="web",
                    path="deploy/{{.environment}}",
                ),
                "envs/a/env.json": '{"environment": "qa"}',
                "envs/b/env.json": '{"environment": "production"}',
                "deploy/qa/kustomization.yaml": "resources: []\n",
                "deploy/production/kustomization.yaml": "resources: []\n",
            },
            {
                "production": ("applicationset-git-files", ("deploy/production",)),
                "qa": ("applicationset-git-files", ("deploy/qa",)),
            },
        ),
        (
            {
                "argocd/set.yaml": _APPSET.format(
                    name="web",
                    generators="  generators:\n    - clusters:\n"
                    "        selector: {matchLabels: {tier: edge}}",
                    app="web-{{name}}",
                    project="web",
                    path="deploy/{{name}}",
                ),
                "argocd/edge.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: edge\n"
                "  labels: {argocd.argoproj.io/secret-type: cluster, tier: edge}\n"
                "stringData: {name: edge-1, server: 'https://edge-1.example.com'}\n",
                "deploy/edge-1/kustomization.yaml": "resources: []\n",
            },
            {"edge-1": ("applicationset-clusters", ("deploy/edge-1",))},
        ),
        (
            {
                "argocd/set.yaml": _APPSET.format(
                    name="apps",
                    generators="  generators:\n    - matrix:\n        generators:\n"
                    "          - list: {elements: [{env: dev}, {env: prod}]}\n"
                    "          - git: {repoURL: x, directories: [{path: 'apps/*'}]}",
                    app="{{path.basename}}-{{env}}",
                    project="apps",
                    path="{{path}}/overlays/{{env}}",
                ),
                **{
                    f"apps/{a}/overlays/{e}/kustomization.yaml": "resources: []\n"
                    for a in ("api", "web")
                    for e in ("dev", "prod")
                },
            },
            {
                e: ("applicationset-matrix", (f"apps/api/overlays/{e}", f"apps/web/overlays/{e}"))
                for e in ("dev", "prod")
            },
        ),
    ],
    ids=["git-directory", "git-files", "clusters", "matrix"],
)
def test_applicationset_generators(
    tmp_path: Path, files: dict[str, str], expected: dict[str, tuple[str, tuple[str, ...]]]
) -> None:
    write_tree(tmp_path, files)
    assert _found(tmp_path) == expected


@pytest.mark.parametrize("generator", ["pullRequest", "scmProvider", "clusterDecisionResource"])
def test_a_generator_needing_a_live_service_is_a_notice(tmp_path: Path, generator: str) -> None:
    write_tree(
        tmp_path,
        {
            "set.yaml": _APPSET.format(
                name="previews",
                generators=f"  generators:\n    - {generator}: {{github: {{owner: o, repo: r}}}}",
                app="pr-{{number}}",
                project="previews",
                path="deploy",
            ),
            "deploy/kustomization.yaml": "resources: []\n",
        },
    )
    config = load_config(tmp_path)
    assert config.environments == ()
    assert config.notices == (
        f"set.yaml:6: ApplicationSet argocd/previews: the {generator} generator needs an SCM"
        " or a live cluster; its Applications are not known here",
    )


def test_explicit_environments_win(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitops-gate.yaml": "version: 1\nenvironments:\n  live:\n    paths: [deploy]\n",
            "clusters/prod/flux-system/gotk-sync.yaml": _KS.format(
                name="flux-system", path="./clusters/prod"
            ),
        },
    )
    assert _found(tmp_path) == {"live": ("config", ("deploy",))}


def test_config_show_names_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # the table on one line per environment
    write_tree(
        tmp_path,
        {
            "clusters/prod/flux-system/gotk-sync.yaml": _KS.format(
                name="flux-system", path="./clusters/prod"
            ),
            "clusters/prod/flux-system/kustomization.yaml": "resources: [gotk-sync.yaml]\n",
        },
    )
    assert main(["config", "show", str(tmp_path), "--format", "json"]) == 0
    [env] = json.loads(capsys.readouterr().out)["config"]["environments"]
    assert (env["name"], env["rule"], env["production"]) == ("prod", "flux-root", True)
    assert env["source"] == (
        "clusters/prod/flux-system/gotk-sync.yaml:7 (Kustomization flux-system/flux-system)"
    )
    assert main(["config", "show", str(tmp_path), "--no-color"]) == 0
    assert "flux-root: clusters/prod/flux-system/gotk-sync.yaml:7" in capsys.readouterr().out


def test_discovery_sees_every_change_between_loads(tmp_path: Path) -> None:
    """Discovery's read is reused only while nothing changed: an edit, a new cluster, and a
    removed one each show at the next load."""
    sync = "clusters/{}/flux-system/gotk-sync.yaml"
    write_tree(tmp_path, {sync.format("qa"): _KS.format(name="flux-system", path="./clusters/qa")})
    assert list(_found(tmp_path)) == ["qa"]
    write_tree(tmp_path, {sync.format("eu"): _KS.format(name="flux-system", path="./clusters/eu")})
    assert list(_found(tmp_path)) == ["eu", "qa"]
    # An edit of the same size: qa's root is renamed.
    write_tree(tmp_path, {sync.format("qa"): _KS.format(name="flux-systen", path="./clusters/qa")})
    [qa] = [e for e in load_config(tmp_path).environments if e.name == "qa"]
    assert qa.source.endswith("(Kustomization flux-system/flux-systen)")
    (tmp_path / sync.format("eu")).unlink()
    assert list(_found(tmp_path)) == ["qa"]


def test_a_hostile_generator_pattern_stays_cheap(tmp_path: Path) -> None:
    """Thirty `**` over a deep tree would try every split of the path without memoising."""
    deep = "/".join(f"d{i}" for i in range(25))
    pattern = "/".join(["**"] * 15 + ["*", "**"] * 8) + "/nope"
    write_tree(
        tmp_path,
        {
            "set.yaml": _APPSET.format(
                name="deep",
                generators="  generators:\n    - git:\n        repoURL: x\n"
                f"        directories: [{{path: '{pattern}'}}]",
                app="x",
                project="p",
                path="{{path}}",
            ),
            f"{deep}/cm.yaml": "apiVersion: v1\nkind: ConfigMap\n",
        },
    )
    config = load_config(tmp_path)
    assert config.notices == (
        "set.yaml:6: ApplicationSet argocd/deep: the git generator matches nothing in this"
        " repository",
    )


def test_a_lone_app_of_apps_root_on_a_generic_path_is_named_after_itself(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "root.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
            "metadata: {name: Shop_Root, namespace: argocd}\n"
            "spec:\n  source: {repoURL: x, path: apps}\n",
            "apps/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n",
        },
    )
    assert _found(tmp_path) == {"shop-root": ("argo-application", ("apps",))}


_AUTOMATED_APP = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: production, namespace: argocd}
spec:
  project: default
  source: {repoURL: https://example.com/r.git, path: apps/production}
  destination: {server: https://kubernetes.default.svc, namespace: web}
  syncPolicy:
    automated: {prune: true}
"""
_CHILD = _AUTOMATED_APP.replace("name: production,", "name: web,").replace(
    "path: apps/production", "path: apps/web"
)


@pytest.mark.parametrize(
    ("config", "errors"),
    [
        ("", []),  # discovered: the repo's own Applications say they sync automatically
        ("environments:\n  production: {paths: [argocd, apps]}\n", ["production-manual-sync"]),
    ],
    ids=["discovered", "declared"],
)
def test_only_a_declared_production_asks_for_manual_syncs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, errors: list[str]
) -> None:
    root = write_tree(
        tmp_path / "repo",
        {
            ".gitops-gate.yaml": "version: 1\n" + config,
            "argocd/production.yaml": _AUTOMATED_APP,
            "apps/production/web.yaml": _CHILD,
        },
    )
    [env] = load_config(root).environments
    assert (env.name, env.production) == ("production", True)
    main(["check", str(root), "--format", "json", "--engine", "builtin"])
    found = json.loads(capsys.readouterr().out)["findings"]
    assert sorted({f["rule"] for f in found if f["severity"] == "error"}) == errors
