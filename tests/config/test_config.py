"""Config: a bad .gitops-gate.yaml is one line with file:line; layouts are discovered."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from tests.helpers.tree import write_tree


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            "version: 1\nfailLevel: fatal\n",
            ".gitops-gate.yaml:2: failLevel: 'fatal' is not one of ['error', 'warning', 'info']",
        ),
        (
            "version: 1\nenvironments:\n  prod:\n    paths: [clusters/prod]\n    prodution: true\n",
            ".gitops-gate.yaml:5: unknown key 'prodution' in environments.prod (allowed: autoSync, "
            "cluster, healthTimeout, kubernetesVersion, kustomization, paths, production, prune, "
            "rollbackOnFailure, selfHeal, syncWindows)",
        ),
        (
            "version: 1\nengines:\n  schema: docker\n",
            ".gitops-gate.yaml:3: engines.schema: 'docker' is not one of ['auto', 'subprocess', "
            "'builtin']",
        ),
        (
            "version: 1\nenvironments:\n  Prod_EU:\n    paths: [x]\n",
            ".gitops-gate.yaml:3: 'Prod_EU' in environments is not a valid name",
        ),
        (
            "version: 1\nenvironments:\n  prod:\n    paths: [../../etc]\n",
            ".gitops-gate.yaml:4: path '../../etc' leaves the repository",
        ),
        (
            "version: 1\nenvironments:\n  prod:\n    syncWindows:\n      - kind: allow\n"
            "        schedule: '* * * * *'\n",
            ".gitops-gate.yaml:5: environments.prod.syncWindows.0: "
            "'duration' is a required property",
        ),
        (
            "version: 1\nexclude: [a]\nexclude: [b]\n",
            ".gitops-gate.yaml:3: duplicate key 'exclude' (first at line 2)",
        ),
        ("version: 1\nexclude: [a\n", ".gitops-gate.yaml:3: invalid YAML"),
        ("- just a list\n", ".gitops-gate.yaml:1: the config must be one YAML mapping"),
    ],
    ids=[
        "enum",
        "typo",
        "engine",
        "env-name",
        "path-escape",
        "window-missing-duration",
        "duplicate-key",
        "bad-yaml",
        "not-a-mapping",
    ],
)
def test_invalid_config_is_exit_2_with_file_line(
    tmp_path: Path, cli: Callable[..., object], config: str, expected: str
) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": config, "a.yaml": "kind: X\napiVersion: v1\n"})

    for run in (cli("check", str(tmp_path)), cli("config", "validate", str(tmp_path))):
        assert run.code == 2
        assert run.out == ""
        assert len(run.err.strip().splitlines()) == 1
        assert run.err.startswith("gitops-gate: " + expected), run.err


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        (
            {"clusters/dev/k.yaml": "", "clusters/production/k.yaml": ""},
            {"dev": (["clusters/dev"], False), "production": (["clusters/production"], True)},
        ),
        (
            {"apps/base/a.yaml": "", "apps/staging/a.yaml": "", "clusters/staging/a.yaml": ""},
            {"staging": (["clusters/staging", "apps/staging"], False)},
        ),
        (
            {
                "shop/base/a.yaml": "",
                "shop/overlays/prod/a.yaml": "",
                "shop/overlays/qa/a.yaml": "",
            },
            {"prod": (["shop/overlays/prod"], True), "qa": (["shop/overlays/qa"], False)},
        ),
        (
            {
                "apps/base/a.yaml": "",
                "apps/overlays/dev/a.yaml": "",
                "apps/overlays/prod/a.yaml": "",
            },
            {"dev": (["apps/overlays/dev"], False), "prod": (["apps/overlays/prod"], True)},
        ),
        ({"manifests/a.yaml": ""}, {}),
    ],
    ids=["clusters", "apps-and-clusters", "overlays", "apps-overlays", "flat"],
)
def test_environments_are_discovered_from_usual_layouts(
    tmp_path: Path, layout: dict[str, str], expected: dict[str, tuple[list[str], bool]]
) -> None:
    write_tree(tmp_path, layout)

    config = load_config(tmp_path)

    assert {e.name: (list(e.paths), e.production) for e in config.environments} == expected


def test_config_show_says_where_environments_came_from(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {"clusters/staging/k.yaml": "", "apps/staging/a.yaml": ""})

    shown = json.loads(cli("config", "show", "--format", "json", str(tmp_path)).out)

    assert shown["schemaVersion"] == 1
    (env,) = shown["config"]["environments"]
    assert env["name"] == "staging"
    assert env["source"] == "discovered from clusters/staging/, apps/staging/"


def test_config_show_table_cannot_drive_the_terminal(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    # A folder name is the repo's to choose: ESC in it must not reach the terminal raw.
    write_tree(tmp_path, {"clusters/evil\x1b[2Jx/k.yaml": ""})

    out = cli("config", "show", str(tmp_path)).out

    assert "\x1b" not in out
    assert "evil\\x1b[2Jx" in out


def test_config_file_environments_name_their_line(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitops-gate.yaml": (
                "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev/]\n"
                "  prod:\n    paths: [clusters/prod]\n    autoSync: true\n"
            )
        },
    )

    config = load_config(tmp_path)

    dev, prod = config.environments
    assert (dev.paths, dev.source, dev.production, dev.auto_sync) == (
        ("clusters/dev",),
        ".gitops-gate.yaml:3",
        False,
        True,
    )
    assert (prod.source, prod.production, prod.auto_sync) == (".gitops-gate.yaml:5", True, True)
    # Flux reads only a written autoSync as a request: the default must stay distinguishable.
    assert (dev.auto_sync_explicit, prod.auto_sync_explicit) == (False, True)
    assert config.environments_of("clusters/prod/app/deploy.yaml") == [prod]


def test_a_config_that_passed_once_is_still_checked_after_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gitops_gate.errors import ConfigError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    write_tree(repo, {".gitops-gate.yaml": "version: 1\nfailLevel: warning\n"})
    assert load_config(repo).fail_level.label == "warning"
    assert load_config(repo).fail_level.label == "warning"  # the second time from the cache

    write_tree(repo, {".gitops-gate.yaml": "version: 1\nfailLevel: sometimes\n"})
    with pytest.raises(ConfigError, match="sometimes"):
        load_config(repo)
    assert len(list((tmp_path / "cache/gitops-gate/config-valid").iterdir())) == 1


@pytest.mark.parametrize(
    ("paths", "file", "inside"),
    [
        (("clusters/prod",), "clusters/prod/app/deploy.yaml", True),
        (("clusters/prod",), "clusters/prod", True),
        (("clusters/prod",), "clusters/production/deploy.yaml", False),
        (("clusters/prod",), "clusters/deploy.yaml", False),
        (("./clusters/prod/",), "clusters/prod/deploy.yaml", True),
        (("clusters//prod",), "clusters/prod/deploy.yaml", True),
        (("clusters/prod",), "./clusters/prod/deploy.yaml", True),
        ((".",), "anything/at/all.yaml", True),
        (("apps", "clusters/prod"), "clusters/prod/deploy.yaml", True),
    ],
    ids=[
        "under",
        "the-folder-itself",
        "a-sibling-sharing-its-prefix",
        "its-parent",
        "dot-slash-and-trailing-slash",
        "doubled-slash",
        "file-spelled-with-dot-slash",
        "the-whole-repo",
        "second-path",
    ],
)
def test_environment_paths_contain_files_below_them(
    paths: tuple[str, ...], file: str, inside: bool
) -> None:
    from gitops_gate.config.model import Environment

    assert Environment("prod", paths, ".gitops-gate.yaml:3").contains(file) is inside
