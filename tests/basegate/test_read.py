"""What comes from the base ref, and what each edit of it is reported as, through `check`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_gate import check
from gitops_gate.errors import ConfigError
from tests.basegate.test_attacks import (
    APPLICATION,
    BASELINE,
    CONFIG,
    DEPLOY,
    LEAK,
    PROJECT,
    SATURDAY,
    WAIVERS,
)
from tests.helpers.tree import commit, make_repo, write_tree

LATEST = DEPLOY.replace("{image}", "app:latest")
NO_PODS = 'package team.no_pods\n\nimport rego.v1\n\ndeny contains "no" if input.kind == "Pod"\n'


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _found(root: Path, **options: Any) -> list[tuple[str, str | None, str]]:
    result = check([root], root=root, engines={"policy": "builtin"}, **options)
    return [(f.rule, f.path, f.severity.label) for f in result.findings if not f.waiver]


def _gate(root: Path, **options: Any) -> list[str]:
    result = check([root], root=root, engines={"policy": "builtin"}, **options)
    return [f.message.split(";")[0] for f in result.findings if f.rule == "gate-changed"]


def test_a_config_the_change_adds_or_removes_is_one_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"clusters/dev/deploy.yaml": LATEST})
    repo.git.checkout("-b", "add")
    commit(repo, {".gitops-gate.yaml": CONFIG + "policy: {disable: [no-latest-tag]}\n"}, "add")

    assert _gate(tmp_path, base_ref="main") == ["this change adds .gitops-gate.yaml"]
    assert ("no-latest-tag", "clusters/dev/deploy.yaml", "error") in _found(
        tmp_path, base_ref="main"
    )
    assert _gate(tmp_path, base_ref="HEAD") == []  # nothing changed since
    repo.git.rm(".gitops-gate.yaml")
    repo.index.commit("remove")
    assert _gate(tmp_path, base_ref="HEAD~1") == ["this change removes .gitops-gate.yaml"]


def test_uncommitted_edits_are_part_of_the_change(tmp_path: Path) -> None:
    make_repo(tmp_path, {".gitops-gate.yaml": CONFIG, "clusters/staging/deploy.yaml": LATEST})
    write_tree(tmp_path, {".gitops-gate.yaml": CONFIG + "failLevel: info\n"})

    assert _gate(tmp_path, base_ref="HEAD") == ["this change adds `failLevel` in .gitops-gate.yaml"]


def test_a_gate_below_the_repository_top_is_read_from_its_folder(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        "gitops/.gitops-gate.yaml": CONFIG,
        "gitops/clusters/production/deploy.yaml": LATEST,
        "gitops/.gitops-gate-waivers.yaml": WAIVERS,
    })  # fmt: skip
    commit(repo, {"gitops/.gitops-gate.yaml": CONFIG + "exclude: [clusters/]\n"}, "hide")
    root = tmp_path / "gitops"

    found = _found(root, base_ref="main~1")

    assert ("gate-changed", ".gitops-gate.yaml", "error") in found
    # The base's waiver still waives: it is the base's own.
    assert ("no-latest-tag", "clusters/production/deploy.yaml", "error") not in found
    assert _gate(root, base_ref="main~1") == ["this change adds `exclude` in .gitops-gate.yaml"]


def test_a_base_baseline_still_allows_its_secret(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        ".secrets.baseline": BASELINE,
        "clusters/staging/notes.txt": LEAK,
    })  # fmt: skip
    commit(repo, {"clusters/staging/notes.txt": LEAK + "# touched\n"}, "touch")

    assert _found(tmp_path, base_ref="main~1") == []


def test_deleting_a_production_app_project_leaves_its_windows_in_force(tmp_path: Path) -> None:
    from gitops_gate.windows.when import parse_moment

    repo = make_repo(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "argocd/projects/production.yaml": PROJECT,
        "argocd/applications/production.yaml": APPLICATION,
        "clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.0"),
    })  # fmt: skip
    repo.git.rm("argocd/projects/production.yaml")
    commit(repo, {"clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:2")}, "go")

    found = _found(tmp_path, base_ref="main~1", at=parse_moment(SATURDAY))

    assert ("window-blocked", "argocd/projects/production.yaml", "error") in found
    assert _gate(tmp_path, base_ref="main~1") == [
        "this change removes AppProject production and its syncWindows"
    ]


def test_policy_changed_is_an_error_unless_the_base_says_otherwise(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {".gitops-gate.yaml": CONFIG, "policies/no_pods.rego": NO_PODS})
    commit(repo, {"policies/no_pods.rego": NO_PODS.replace('"no"', '"none"')}, "edit")
    assert ("policy-changed", "policies/no_pods.rego", "error") in _found(
        tmp_path, base_ref="main~1"
    )

    lowered = CONFIG + "policy: {severity: {policy-changed: info}}\n"
    commit(repo, {".gitops-gate.yaml": lowered}, "lower")
    commit(repo, {"policies/no_pods.rego": NO_PODS}, "edit again")
    assert ("policy-changed", "policies/no_pods.rego", "info") in _found(
        tmp_path, base_ref="main~1"
    )


def test_a_broken_base_config_names_the_ref(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {".gitops-gate.yaml": "version: 1\nbogus: true\n"})
    commit(repo, {".gitops-gate.yaml": CONFIG}, "fix")

    with pytest.raises(ConfigError) as e:
        check([tmp_path], root=tmp_path, base_ref="main~1")

    assert e.value.one_line().startswith("main~1:.gitops-gate.yaml:2: unknown key 'bogus'")


def test_a_deny_window_the_change_adds_to_its_config_judges_it_already(tmp_path: Path) -> None:
    from gitops_gate.windows.when import parse_moment

    freeze = (
        '    syncWindows:\n      - {kind: deny, schedule: "0 18 * * Fri", duration: 60h, '
        "timeZone: Europe/Berlin}\n"
    )
    repo = make_repo(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.0"),
    })  # fmt: skip
    commit(repo, {
        ".gitops-gate.yaml": CONFIG + freeze,
        "clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.1"),
    }, "freeze and deploy")  # fmt: skip

    found = _found(tmp_path, base_ref="main~1", at=parse_moment(SATURDAY))

    assert ("window-blocked", ".gitops-gate.yaml", "error") in found
    assert ("gate-changed", ".gitops-gate.yaml", "error") in found


def test_a_config_from_outside_the_repository_is_used_as_given(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "ci", {"gate.yaml": CONFIG + "exclude: [clusters/]\n"})
    root = tmp_path / "repo"
    repo = make_repo(root, {"clusters/production/deploy.yaml": LATEST})
    commit(repo, {"clusters/production/other.yaml": LATEST}, "more")

    found = _found(root, base_ref="main~1", config_path=outside / "gate.yaml")

    assert found == []
