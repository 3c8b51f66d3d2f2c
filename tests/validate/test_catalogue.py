"""The CRD schemas shipped with the package: common kinds validate without their CRD in the repo."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

from gitops_gate.config import load_config
from gitops_gate.findings import Finding
from gitops_gate.validate import catalogue
from gitops_gate.validate.options import from_config
from tests.helpers import manifests
from tests.validate.conftest import Validate

HOME_OPS = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  interval: 30m
  chart:
    spec:
      chart: podinfo
      version: 6.x
      sourceRef: {kind: HelmRepository, name: podinfo}
  values: {replicaCount: 2}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./kubernetes/apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: wildcard, namespace: network}
spec:
  secretName: wildcard-tls
  dnsNames: ["*.example.com"]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: app, namespace: apps}
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: onepassword}
  target: {name: app-secret}
  dataFrom:
    - extract: {key: app}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: app, namespace: apps}
spec:
  selector: {matchLabels: {app: podinfo}}
  endpoints:
    - port: http
      interval: 1m
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: apps}
spec:
  parentRefs: [{name: internal, namespace: network}]
  hostnames: [app.example.com]
  rules:
    - backendRefs: [{name: podinfo, port: 9898}]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def test_home_ops_kinds_validate_without_their_crds(validate: Validate, tmp_path: Path) -> None:
    path = _write(tmp_path, "apps.yaml", HOME_OPS)
    findings, summary = validate([path], tmp_path)
    assert findings == []
    assert (summary.valid, summary.no_schema) == (6, 0)


def test_versions_the_release_stopped_serving_still_validate(
    validate: Validate, tmp_path: Path
) -> None:
    # home-ops repos pin older operators: 54 ExternalSecrets of one repo are v1beta1.
    old = HOME_OPS.replace("external-secrets.io/v1", "external-secrets.io/v1beta1")
    findings, summary = validate([_write(tmp_path, "apps.yaml", old)], tmp_path)
    assert (findings, summary.valid) == ([], 6)
    assert "v1beta1" in next(e for e in catalogue.index() if e["kind"] == "SecretStore")["unserved"]


def test_turned_off_the_same_kinds_have_no_schema(validate: Validate, tmp_path: Path) -> None:
    path = _write(tmp_path, "apps.yaml", HOME_OPS)
    findings, summary = validate([path], tmp_path, bundled_crds=False)
    assert _rules(findings) == ["no-schema"] * 6
    assert summary.no_schema == 6


def test_a_wrong_field_in_a_bundled_kind_is_invalid(validate: Validate, tmp_path: Path) -> None:
    wrong = HOME_OPS.replace("secretName: wildcard-tls", "secretName: 42")
    findings, _ = validate([_write(tmp_path, "apps.yaml", wrong)], tmp_path)
    assert _rules(findings) == ["schema-invalid"]
    assert "secretName" in findings[0].message


def test_strict_reports_a_field_the_bundled_crd_does_not_know(
    validate: Validate, tmp_path: Path
) -> None:
    typo = HOME_OPS.replace("dnsNames:", "dnsNmaes:")
    findings, _ = validate([_write(tmp_path, "apps.yaml", typo)], tmp_path, strict=True)
    assert _rules(findings) == ["schema-invalid"]
    assert "dnsNmaes" in findings[0].message


def test_a_repo_crd_of_the_same_kind_wins(validate: Validate, tmp_path: Path) -> None:
    # The repo's own Certificate CRD allows anything in spec: the bundled one would reject 42.
    open_spec = {"spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}
    crd = manifests.crd(
        "cert-manager.io", "Certificate", {"type": "object", "properties": open_spec}
    )
    _write(tmp_path, "crd.yaml", yaml.safe_dump(crd))
    _write(tmp_path, "apps.yaml", HOME_OPS.replace("secretName: wildcard-tls", "secretName: 42"))
    findings, summary = validate([tmp_path], tmp_path)
    assert findings == []
    assert summary.invalid == 0


def test_index_names_every_shipped_schema_and_its_licence() -> None:
    entries = catalogue.index()
    kinds = {(e["group"], e["kind"]) for e in entries}
    assert ("helm.toolkit.fluxcd.io", "HelmRelease") in kinds
    assert ("monitoring.coreos.com", "PrometheusRule") in kinds
    for e in entries:
        assert e["upstreamVersion"], e
        assert (catalogue.DATA / e["project"] / "LICENSE").is_file()
        for v in e["versions"]:
            for mode in ("loose", "strict"):
                name = catalogue.schema_name(e["group"], e["kind"], v)
                packed = catalogue.DATA / e["project"] / mode / f"{name}.gz"
                schema = json.loads(gzip.decompress(packed.read_bytes()))
                assert schema["properties"]["kind"]["enum"] == [e["kind"]]


def test_build_converts_each_version_and_keeps_the_licence(tmp_path: Path) -> None:
    src = tmp_path / "src" / "sealed-secrets"
    _write(src, "LICENSE", "Apache-2.0\n")
    _write(
        src, "crd.yaml", yaml.safe_dump(manifests.crd("example.com", "Widget", {"type": "object"}))
    )
    made = catalogue.build(tmp_path / "src", tmp_path / "out", {"sealed-secrets": "v0"})
    assert [(e["kind"], e["versions"], e["upstreamVersion"]) for e in made] == [
        ("Widget", ["v1"], "v0")
    ]
    assert (tmp_path / "out" / "sealed-secrets" / "LICENSE").read_text() == "Apache-2.0\n"
    out = tmp_path / "out" / "sealed-secrets"
    assert (out / "strict" / "example.com" / "widget_v1.json.gz").is_file()


def test_config_switch_turns_the_catalogue_off(tmp_path: Path) -> None:
    _write(tmp_path, ".gitops-gate.yaml", "validate:\n  bundledCrds: false\n")
    assert from_config(load_config(tmp_path)).bundled_crds is False
    assert from_config(None).bundled_crds is True


def test_a_vendored_catalogue_at_a_schema_location_comes_before_ours(
    validate: Validate, tmp_path: Path
) -> None:
    # A team's own catalogue, laid out as kubeconform's CRD template: its looser Certificate wins.
    loose = {"type": "object", "properties": {"spec": {"type": "object"}}}
    _write(tmp_path, "vendor/cert-manager.io/certificate_v1.json", json.dumps(loose))
    wrong = HOME_OPS.replace("secretName: wildcard-tls", "secretName: 42")
    template = str(
        tmp_path / "vendor/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
    )
    path = _write(tmp_path / "repo", "apps.yaml", wrong)
    findings, summary = validate([path], tmp_path / "repo", schema_locations=(template,))
    assert (findings, summary.valid) == ([], 6)
