"""A field holding a Flux `${VAR}` is filled at deploy time: as written it is no schema error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate

SECRET = """\
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata: {{name: app, namespace: shop}}
spec:
  secretStoreRef: {{kind: ClusterSecretStore, name: onepassword}}
  target: {{name: "{name}"}}
  dataFrom: [{{extract: {{key: app}}}}]
"""
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: shop}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: app:1
          securityContext:
            runAsUser: {uid}
"""


@pytest.mark.parametrize(
    ("manifest", "invalid"),
    [
        (SECRET.format(name="${CLUSTER}-cluster-tls"), []),
        (SECRET.format(name="Not_A-DNS-name!"), ["/spec/target/name"]),
        (DEPLOY.format(replicas="${REPLICAS:=2}", uid="${APP_UID:-1000}"), []),
        (DEPLOY.format(replicas='"two"', uid="1000"), ["/spec/replicas"]),
        # A placeholder elsewhere in the object excuses no other field.
        (DEPLOY.format(replicas='"two"', uid="${APP_UID:-1000}"), ["/spec/replicas"]),
    ],
    ids=["name-pattern", "bad-name", "typed-fields", "bad-integer", "other-field-still-checked"],
)
def test_a_placeholder_is_judged_by_what_flux_puts_there(
    validate: Validate, tmp_path: Path, manifest: str, invalid: list[str]
) -> None:
    root = write_tree(tmp_path / "repo", {"app.yaml": manifest})

    findings, _ = validate([root], root)

    found = [f for f in findings if f.rule == "schema-invalid"]
    assert [f.message.split(":")[0] for f in found] == [
        p.strip("/").replace("/", ".") for p in invalid
    ]
