"""A key that names where a secret is kept (existingSecret, secretName, passwordFile) holds none."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.secrets.scan import CAMEL_REFERENCE_PATTERN, REFERENCE_PATTERN
from tests.conftest import Run
from tests.helpers.tree import write_tree

# Helm values as home-ops writes them: the Secret's name behind an anchor, used through aliases.
VALUES = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: kyoo, namespace: media}
spec:
  values:
    infra:
      existingSecret: &secret kyoo-chart-secret
    back:
      existingSecret: *secret
      tlsSecretName: "kyoo-tls-secret-name"
      passwordFile: "/run/secrets/db-password-file"
"""


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("      existingSecret: *secret", False),
        ("      password: 'Wh4t-a-Pa55word'", True),
        ("      db_password: 'Wh4t-a-Pa55word'", True),
    ],
    ids=["reference-through-an-alias", "a-password", "a-snake-password"],
)
def test_references_are_not_secrets_but_values_are(
    tmp_path: Path, cli: Callable[..., Run], line: str, reported: bool
) -> None:
    root = write_tree(tmp_path / "repo", {"values.yaml": VALUES + f"    more:\n{line}\n"})

    run = cli("secrets", str(root), "--format", "json")

    lines = [f'"line": {n}' for n in range(7, 12)]
    assert not any(where in run.out for where in lines), run.out  # no reference is reported
    assert ('"line": 13' in run.out) is reported
    assert run.code == (1 if reported else 0)


def test_the_reference_words_are_the_policy_librarys() -> None:
    rego = (Path(__file__).parents[2] / "policies/lib/gitops_gate.rego").read_text()

    assert re.search(rf"^reference_pattern := `{re.escape(REFERENCE_PATTERN)}`$", rego, re.M)
    camel = re.escape(CAMEL_REFERENCE_PATTERN)
    assert re.search(rf"^camel_reference_pattern := `{camel}`$", rego, re.M)
