"""Typed config sections: the defaults, a full example, and a bad value as one line at file:line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.config import (
    DiffSection,
    EnginesSection,
    LimitsSection,
    PolicySection,
    SecretAllow,
    SecretsSection,
    ValidateSection,
    WindowsSection,
    load_config,
)
from gitops_gate.errors import ConfigError
from gitops_gate.findings import Severity
from tests.helpers.tree import write_tree

DEFAULTS = [
    ("engines", EnginesSection(schema="auto", policy="auto", render="auto")),
    ("limits", LimitsSection(max_file_bytes=5_242_880, max_alias_expansion=100_000, max_depth=256)),
    (
        "policy",
        PolicySection(paths=None, builtin=True, disable=frozenset(), severity={}, rules={}),
    ),
    ("secrets", SecretsSection(baseline=".secrets.baseline", allow=())),
    ("windows", WindowsSection(fail_on="production", override_label="gitops-gate/override-window")),
    (
        "validate",
        ValidateSection(
            strict=False,
            kubernetes_version=None,
            skip_kinds=frozenset(),
            reject_kinds=frozenset(),
            crd_dirs=(),
            ignore_missing_schemas=False,
            schema_locations=(),
        ),
    ),
    ("diff", DiffSection(ignore_paths=(), helm=False, timeout=120.0)),
]


@pytest.mark.parametrize(("attribute", "expected"), DEFAULTS, ids=[d[0] for d in DEFAULTS])
@pytest.mark.parametrize("source", ["no-file", "empty-file", "empty-section"])
def test_a_section_left_out_has_its_defaults(
    tmp_path: Path, source: str, attribute: str, expected: object
) -> None:
    text = {"empty-file": "version: 1\n", "empty-section": f"{attribute}: {{}}\n"}.get(source)
    if text is not None:
        write_tree(tmp_path, {".gitops-gate.yaml": text})

    assert getattr(load_config(tmp_path), attribute) == expected


FULL = [
    (
        "engines:\n  schema: builtin\n  policy: subprocess\n  render: builtin\n",
        "engines",
        EnginesSection(schema="builtin", policy="subprocess", render="builtin"),
    ),
    (
        "limits:\n  maxFileBytes: 1024\n  maxAliasExpansion: 0\n  maxDepth: 8\n",
        "limits",
        LimitsSection(max_file_bytes=1024, max_alias_expansion=0, max_depth=8),
    ),
    (
        "policy:\n  paths: [rego, more/rego]\n  builtin: false\n  disable: [no-latest-tag]\n"
        "  severity: {require-limits: info, no-privileged: warning}\n"
        "  rules:\n    no-latest-tag: {productionRequires: digest}\n    mine: {x: 1}\n"
        "  timeout: 30\n  maxMemoryMB: 512\n",
        "policy",
        PolicySection(
            paths=("rego", "more/rego"),
            builtin=False,
            disable=frozenset({"no-latest-tag"}),
            severity={"require-limits": Severity.INFO, "no-privileged": Severity.WARNING},
            rules={"no-latest-tag": {"productionRequires": "digest"}, "mine": {"x": 1}},
            timeout=30.0,
            max_memory_mb=512,
        ),
    ),
    (
        "secrets:\n  baseline: ci/baseline.json\n  allow:\n    - {path: 'docs/*'}\n"
        "    - {path: a.yaml, kind: Secret Keyword, line: 3}\n",
        "secrets",
        SecretsSection(
            baseline="ci/baseline.json",
            allow=(SecretAllow("docs/*"), SecretAllow("a.yaml", "Secret Keyword", 3)),
        ),
    ),
    (
        "windows:\n  failOn: [staging, production]\n  overrideLabel: deploy-anyway\n",
        "windows",
        WindowsSection(fail_on=("staging", "production"), override_label="deploy-anyway"),
    ),
    ("windows:\n  failOn: all\n", "windows", WindowsSection(fail_on="all")),
    (
        "validate:\n  strict: true\n  kubernetesVersion: '1.30'\n  skipKinds: [Foo]\n"
        "  rejectKinds: [v1/Secret]\n  crdDirs: [crds]\n  ignoreMissingSchemas: true\n"
        "  schemaLocations: ['schemas/{{ .ResourceKind }}.json']\n",
        "validate",
        ValidateSection(
            strict=True,
            kubernetes_version="1.30",
            skip_kinds=frozenset({"Foo"}),
            reject_kinds=frozenset({"v1/Secret"}),
            crd_dirs=("crds",),
            ignore_missing_schemas=True,
            schema_locations=("schemas/{{ .ResourceKind }}.json",),
        ),
    ),
    (
        "diff:\n  ignorePaths: [/metadata/annotations]\n  helm: true\n  timeout: 30\n"
        "  allowUnsandboxedRender: true\n",
        "diff",
        DiffSection(
            ignore_paths=("/metadata/annotations",),
            helm=True,
            timeout=30.0,
            allow_unsandboxed_render=True,
        ),
    ),
]


@pytest.mark.parametrize(
    ("text", "attribute", "expected"),
    FULL,
    ids=[
        "engines",
        "limits",
        "policy",
        "secrets",
        "windows-list",
        "windows-all",
        "validate",
        "diff",
    ],
)
def test_a_full_section_is_read_into_its_dataclass(
    tmp_path: Path, text: str, attribute: str, expected: object
) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\n" + text})

    assert getattr(load_config(tmp_path), attribute) == expected


def test_the_loader_limits_keep_their_shorthands(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": "limits: {maxFileBytes: 10, maxDepth: 9}\n"})

    config = load_config(tmp_path)

    assert (config.max_file_bytes, config.max_alias_expansion, config.max_depth) == (10, 100_000, 9)
    assert config.to_json()["limits"] == {
        "maxFileBytes": 10,
        "maxAliasExpansion": 100_000,
        "maxDepth": 9,
    }


BAD = [
    ("engines:\n  render: docker\n", "3: engines.render: 'docker' is not one of"),
    ("limits:\n  maxDepth: 2000\n", "3: limits.maxDepth: 2000 is greater than the maximum of 900"),
    ("policy:\n  builtin: 'no'\n", "3: policy.builtin: 'no' is not of type 'boolean'"),
    ("policy:\n  severity:\n    x: fatal\n", "4: policy.severity.x: 'fatal' is not one of"),
    ("policy:\n  timeout: 0\n", "3: policy.timeout: 0 is less than or equal to the minimum of 0"),
    ("policy:\n  maxMemoryMB: 64\n", "3: policy.maxMemoryMB: 64 is less than the minimum of 128"),
    ("secrets:\n  allow:\n    - {kind: AWS}\n", "4: secrets.allow.0: 'path' is a required"),
    ("secrets:\n  allow:\n    - path: a\n      line: three\n", "5: secrets.allow.0.line: 'three'"),
    ("windows:\n  failOn: sometimes\n", "3: windows.failOn: 'sometimes' is not valid under any"),
    ("windows:\n  overrideLabel: ''\n", "3: windows.overrideLabel: '' should be non-empty"),
    ("validate:\n  skipKinds: Foo\n", "3: validate.skipKinds: 'Foo' is not of type 'array'"),
    ("validate:\n  kubernetesVersion: 1.30\n", "3: validate.kubernetesVersion: 1.3 is not of type"),
    ("diff:\n  timeout: 0\n", "3: diff.timeout: 0 is less than or equal to the minimum of 0"),
    ("diff:\n  ignorePaths: [metadata]\n", "3: diff.ignorePaths.0: 'metadata' does not match"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[b[1].split(":")[1].strip() for b in BAD])
def test_a_bad_value_is_one_line_naming_file_and_line(
    tmp_path: Path, cli: Callable[..., Any], text: str, expected: str
) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\n" + text})

    run = cli("config", "validate", str(tmp_path))

    assert run.code == 2
    assert len(run.err.strip().splitlines()) == 1
    assert run.err.startswith("gitops-gate: .gitops-gate.yaml:" + expected), run.err


# What each section's parser says on its own, should the schema ever let a wrong type through.
UNCHECKED = [
    ("engines: {policy: docker}\n", "2: engines.policy: 'docker' is not one of"),
    ("limits: {maxDepth: true}\n", "2: limits.maxDepth: True is not of type 'integer'"),
    ("policy:\n  paths: [1]\n", "3: policy.paths.0: 1 is not of type 'string'"),
    ("policy:\n  severity: {x: fatal}\n", "3: policy.severity.x: 'fatal' is not one of"),
    ("secrets:\n  allow: [a.yaml]\n", "3: secrets.allow.0: 'a.yaml' is not of type 'object'"),
    ("windows:\n  failOn: 3\n", "3: windows.failOn: 3 is not of type 'string'"),
    ("validate: [strict]\n", "2: validate: ['strict'] is not of type 'object'"),
    ("diff:\n  timeout: '30'\n", "3: diff.timeout: '30' is not of type 'number'"),
]


@pytest.mark.parametrize(
    ("text", "expected"), UNCHECKED, ids=[u[1].split(":")[1].strip() for u in UNCHECKED]
)
def test_a_section_parser_refuses_a_wrong_type_at_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    from gitops_gate.config import load

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(load, "_schema", lambda: {})  # a schema that lets everything through
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\n" + text})

    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)

    assert caught.value.one_line().startswith(".gitops-gate.yaml:" + expected)
