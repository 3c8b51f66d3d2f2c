"""User policies, bad Rego, failing policies and refs, the same for both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.errors import ConfigError
from gitops_gate.manifests.loader import load
from gitops_gate.policy import conftest_engine
from gitops_gate.policy.run import policy_findings
from gitops_gate.policy.source import load_policies
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo, write_tree

ENGINES = [
    pytest.param("builtin", id="builtin"),
    pytest.param("subprocess", marks=pytest.mark.slow),
]

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: shop
spec:
  containers:
    - name: app
      image: app:1.0.0
      resources: {{requests: {{cpu: 10m}}, limits: {{memory: 64Mi}}}}
"""

NO_PODS = """\
package team.no_pods

import rego.v1

deny contains msg if {
	input.kind == "Pod"
	msg := concat("", ["pods are not allowed: ", input.metadata.name])
}
"""

CONFLICT = """\
package team.broken

import rego.v1

owner := "a" if input.metadata.name == "bad"

owner := "b" if input.metadata.name == "bad"

deny contains "unreachable" if owner == "c"
"""


def _run(root: Path, engine: str, **kw: str) -> list[tuple[str, str | None, int | None]]:
    if engine == "subprocess":
        ensure_tool("conftest")
    config = load_config(root)
    loaded = load([root], root=root)
    found = policy_findings(loaded, config, engine=engine, **kw)  # type: ignore[arg-type]
    return [(f.rule, f.path, f.line) for f in found]


@pytest.mark.parametrize("engine", ENGINES)
def test_repo_policies_are_loaded(tmp_path: Path, engine: str) -> None:
    write_tree(tmp_path, {"pod.yaml": POD.format(name="web"), "policies/no_pods.rego": NO_PODS})
    assert _run(tmp_path, engine) == [("team.no_pods", "pod.yaml", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_rego_that_does_not_compile_names_file_and_line(tmp_path: Path, engine: str) -> None:
    bad = "package team.bad\n\nimport rego.v1\n\ndeny contains x if {\n\tx := \n}\n"
    write_tree(tmp_path, {"pod.yaml": POD.format(name="web"), "policies/bad.rego": bad})
    with pytest.raises(ConfigError) as e:
        _run(tmp_path, engine)
    assert e.value.path == "policies/bad.rego"
    assert e.value.line in (5, 6, 7)
    assert e.value.exit_code == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_policy_failing_on_one_resource_spares_the_others(tmp_path: Path, engine: str) -> None:
    write_tree(
        tmp_path,
        {
            "bad.yaml": POD.format(name="bad"),
            "good.yaml": POD.format(name="good"),
            "policies/broken.rego": CONFLICT,
            "policies/no_pods.rego": NO_PODS,
        },
    )
    found = _run(tmp_path, engine)
    assert ("policy-error", "bad.yaml", 1) in found
    assert ("team.no_pods", "good.yaml", 1) in found
    assert ("policy-error", "good.yaml", 1) not in found


APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
  namespace: argocd
spec:
  project: default
  source: {{repoURL: "https://example.com/repo.git", path: {path}}}
  destination: {{server: "https://kubernetes.default.svc", namespace: shop}}
  syncPolicy:
    automated: {{prune: true}}
"""

ENVIRONMENTS = """\
environments:
  production: {paths: [clusters/production], production: true}
  staging: {paths: [clusters/staging]}
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_each_resource_is_judged_in_its_own_environment(tmp_path: Path, engine: str) -> None:
    write_tree(
        tmp_path,
        {
            ".gitops-gate.yaml": ENVIRONMENTS,
            "clusters/production/app.yaml": APP.format(path="clusters/production"),
            "clusters/staging/app.yaml": APP.format(path="clusters/staging"),
        },
    )
    found = [f for f in _run(tmp_path, engine) if f[0] == "production-manual-sync"]
    assert [path for _, path, _ in found] == ["clusters/production/app.yaml"]


ODD = """\
package team.odd

import rego.v1

deny_flag := true if input.kind == "Pod"

deny_object[k] := "object" if {
	input.kind == "Pod"
	k := "a"
}

deny_empty contains "" if input.kind == "Pod"

deny_empty_msg contains {"msg": ""} if input.kind == "Pod"

deny_number contains 5 if input.kind == "Pod"

deny_twice := ["twice", "twice"] if input.kind == "Pod"

deny__helper contains "not a rule conftest queries" if input.kind == "Pod"

deny_real contains "real" if input.kind == "Pod"

  deny_indented contains "indented" if input.kind == "Pod"
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_only_what_conftest_reports_is_a_finding(tmp_path: Path, engine: str) -> None:
    # conftest passes a rule whose value is not a set or array, an empty message and a number,
    # reports an array's equal elements each, and queries only deny|warn|violation(_name)*.
    write_tree(tmp_path, {"pod.yaml": POD.format(name="web"), "policies/odd.rego": ODD})
    found = [f for f in _run(tmp_path, engine) if f[0].startswith("team.")]
    assert sorted(found) == [
        ("team.odd.deny_indented", "pod.yaml", 1),
        ("team.odd.deny_real", "pod.yaml", 1),
        ("team.odd.deny_twice", "pod.yaml", 1),
        ("team.odd.deny_twice", "pod.yaml", 1),
    ]


NO_MSG = """\
package team.no_msg

import rego.v1

deny contains {"reason": "no msg"} if input.metadata.name == "bad"

deny contains "pods are checked" if input.kind == "Pod"
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_an_object_without_msg_fails_that_resource_only(tmp_path: Path, engine: str) -> None:
    # conftest stops the whole run on it ("msg" field must be present and a string).
    files = {f"{n}.yaml": POD.format(name=n) for n in ("bad", "good")}
    write_tree(tmp_path, {**files, "policies/no_msg.rego": NO_MSG})
    found = [f for f in _run(tmp_path, engine) if f[0] in ("policy-error", "team.no_msg")]
    assert sorted(found) == [
        ("policy-error", "bad.yaml", 1),
        ("team.no_msg", "bad.yaml", 1),
        ("team.no_msg", "good.yaml", 1),
    ]


EXCEPTED = """\
package team.no_pods

import rego.v1

deny_pods contains msg if {
	input.kind == "Pod"
	msg := "pods are not allowed"
}

exception contains rules if {
	input.metadata.name == "allowed"
	rules := ["pods"]
}
"""


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("indent", ["", "  "], ids=["column-0", "indented"])
def test_conftest_exceptions_are_honoured(tmp_path: Path, indent: str, engine: str) -> None:
    # The excepted resource's rule is set aside and reported as waived (conftest's EXCP).
    files = {f"{name}.yaml": POD.format(name=name) for name in ("allowed", "other")}
    policy = EXCEPTED.replace("exception contains", f"{indent}exception contains")
    write_tree(tmp_path, {**files, "policies/no_pods.rego": policy})
    if engine == "subprocess":
        ensure_tool("conftest")
    loaded = load([tmp_path], root=tmp_path)
    found = policy_findings(loaded, load_config(tmp_path), engine=engine)
    seen = [(f.path, f.waiver is not None) for f in found if f.rule == "team.no_pods.deny_pods"]
    assert sorted(seen) == [("allowed.yaml", True), ("other.yaml", False)]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_resource_of_a_large_repo_is_evaluated_once(tmp_path: Path, engine: str) -> None:
    # Enough resources for conftest to split them over processes, one failing in the middle.
    names = [f"pod-{n:03d}" for n in range(240)]
    names[130] = "bad"
    files = {f"{name}.yaml": POD.format(name=name) for name in names}
    write_tree(
        tmp_path, {**files, "policies/broken.rego": CONFLICT, "policies/no_pods.rego": NO_PODS}
    )
    found = _run(tmp_path, engine)
    # conftest cannot tell which rule failed on bad.yaml, so it has no other finding there.
    others = [f for f in found if f[1] != "bad.yaml"]
    assert sorted(others) == [("team.no_pods", f"{n}.yaml", 1) for n in names if n != "bad"]
    assert ("policy-error", "bad.yaml", 1) in found


@pytest.mark.slow
def test_a_repo_over_the_inputs_one_conftest_takes_is_evaluated_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # conftest holds every input of a run at once: a big repo is more runs, each as bounded.
    monkeypatch.setattr(conftest_engine, "MAX_PER_PROCESS", 7)
    names = [f"pod-{n:02d}" for n in range(40)]
    write_tree(tmp_path, {f"{n}.yaml": POD.format(name=n) for n in names})
    write_tree(tmp_path, {"policies/no_pods.rego": NO_PODS})

    found = _run(tmp_path, "subprocess")

    assert sorted(found) == [("team.no_pods", f"{n}.yaml", 1) for n in names]


def test_policies_come_from_the_base_ref_and_a_change_is_a_finding(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path, {"pod.yaml": POD.format(name="web"), "policies/no_pods.rego": NO_PODS}
    )
    base = repo.head.commit.hexsha
    commit(repo, {"policies/no_pods.rego": NO_PODS.replace('"Pod"', '"Nothing"')}, "weaken")
    found = _run(tmp_path, "builtin", base_ref=base)
    assert ("team.no_pods", "pod.yaml", 1) in found
    assert ("policy-changed", "policies/no_pods.rego", None) in found
    assert _run(tmp_path, "builtin") == []


def test_loading_from_a_ref_leaves_the_work_tree_alone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"policies/no_pods.rego": NO_PODS})
    base = repo.head.commit.hexsha
    (tmp_path / "policies/no_pods.rego").write_text("package edited\n")
    policies = load_policies(tmp_path, ref=base)
    assert policies.repo_files() == {"policies/no_pods.rego": NO_PODS}
    assert (tmp_path / "policies/no_pods.rego").read_text() == "package edited\n"


def test_config_disables_and_reweights_rules(tmp_path: Path) -> None:
    config = (
        "version: 1\npolicy:\n  disable: [no-latest-tag]\n  severity: {default-namespace: error}\n"
    )
    pod = (
        POD.format(name="web")
        .replace("app:1.0.0", "app")
        .replace("namespace: shop", "namespace: default")
    )
    write_tree(tmp_path, {".gitops-gate.yaml": config, "pod.yaml": pod})
    loaded = load([tmp_path], root=tmp_path)
    found = policy_findings(loaded, load_config(tmp_path), engine="builtin")
    assert [(f.rule, f.severity.label) for f in found] == [("default-namespace", "error")]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_change_with_no_resources_passes(tmp_path: Path, engine: str) -> None:
    write_tree(
        tmp_path, {"k/kustomization.yaml": "resources: []\n", "policies/no_pods.rego": NO_PODS}
    )
    assert _run(tmp_path, engine) == []


FILE_NAME = """\
package team.files

import rego.v1

deny contains msg if {
	input.kind == "Pod"
	msg := concat(" ", ["checked as", data.conftest.file.name])
}
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_policy_reading_its_file_name_sees_the_input_file(tmp_path: Path, engine: str) -> None:
    # conftest gives the input's base name; the batch and the built-in engine give the same.
    files = {f"{n}.yaml": POD.format(name=n) for n in ("a", "b")}
    write_tree(tmp_path, {**files, "policies/files.rego": FILE_NAME})
    if engine == "subprocess":
        ensure_tool("conftest")
    loaded = load([tmp_path], root=tmp_path)
    found = policy_findings(loaded, load_config(tmp_path), engine=engine)
    messages = sorted(f.message for f in found if f.rule == "team.files")
    assert messages == ["checked as a.yaml", "checked as b.yaml"]


SOMETIMES = """\
package team.sometimes

import rego.v1

deny_never := ["never"] if input.kind == "Nope"

allow if {
	deny_local := 1
	deny_local == 1
}
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rule_without_a_value_hides_no_other_finding(tmp_path: Path, engine: str) -> None:
    # A complete rule whose body fails has no value (and a local variable named deny_* is no
    # rule at all): every other rule, the library's too, still reports.
    pod = POD.format(name="web").replace("app:1.0.0", "app:latest")
    write_tree(tmp_path, {"pod.yaml": pod, "policies/sometimes.rego": SOMETIMES})
    assert ("no-latest-tag", "pod.yaml", 9) in _run(tmp_path, engine)
