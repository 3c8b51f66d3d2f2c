"""GitOps context: what a keyword hit on a line is (no secret, a warning, an error)."""

from __future__ import annotations

import pytest

from gitops_gate.findings import Severity
from gitops_gate.secrets.context import judge, reference_value
from gitops_gate.secrets.rules import name_like, rule_values, strong

STRONG = "Xk9mP2vL7qR4nWz8Tb"
KEYWORD = "Secret Keyword"


@pytest.mark.parametrize(
    ("line", "value", "object_kind"),
    [
        ("  secretName: api-tls", "api-tls", ""),
        ("  existingSecret: api-credentials", "api-credentials", ""),
        ("FLUX_SOPS_PRIVATE_KEY=op://$VAULT/sops/SOPS_PRIVATE_KEY", None, ""),
        ("  VAULT_PASSWORD: vault:secret/data/api#password", None, ""),
        ("  HELM_SECRET: ref+vault://secret/api#/password", None, ""),
        ("  AWS_SECRET: arn:aws:secretsmanager:eu-west-1:1234:secret:api-AbCdEf", None, ""),
        ("  AZURE_SECRET: akv://platform-kv/api-secret", None, ""),
        ("  API_KEY: ${API_KEY}", None, ""),
        ("  CLIENT_SECRET: '{{ .client_secret }}'", None, ""),
        ("  COMPROMISED_PASSWORD_CHECK: true", None, ""),
        ("  SECRET_DOMAIN_URL: https://auth.example.com/callback", None, ""),
        ('if [ "$SKIP_AWS_SECRET" ]; then', "$SKIP_AWS_SECRET", ""),
        ("    - patch: |-", "|-", ""),
        ("  passwordKey: POSTGRES_PASSWORD", None, ""),
        ("  envFromSecret: grafana-secret", None, ""),
        ("  bwSecretId: '16c48e0d-f1d6-4df8-98a7-b293014c95f6'", None, ""),
        ("    - secretKey: SONARR_API_KEY", None, "ExternalSecret"),
        ("        key: MyRDSSecret-kEkmCRc4oDcs", None, "ExternalSecret"),
        ("# password: ask the team", "ask", ""),
        ("kubectl create secret generic t --from-literal=token=Your-Token-Here", None, ""),
    ],
)
def test_references_and_non_values_are_no_secret(
    line: str, value: str | None, object_kind: str
) -> None:
    assert judge(KEYWORD, line, value, object_kind=object_kind) is None


def test_a_block_of_lines_as_one_value_is_judged_line_by_line_instead() -> None:
    # detect-secrets' YAML reader makes `patch: |-` and its lines one value.
    assert judge(KEYWORD, "  - patch: |-", "apiVersion: v1\nkind: Secret\n") is None


@pytest.mark.parametrize(
    ("line", "object_kind", "prose", "expected"),
    [
        (f"  POSTGRES_PASSWORD: {STRONG} #temp", "ExternalSecret", False, Severity.ERROR),
        ("  password: changeme", "ConfigMap", False, Severity.WARNING),
        ("  password: changeme", "Secret", False, Severity.ERROR),
        ("  ADMIN_PIN: 73920184", "ConfigMap", False, Severity.WARNING),
        ("  tokenTTL: 24h", "ConfigMap", False, None),
        ("  API_TOKEN_PORT: 8443", "ConfigMap", False, None),
        ("The password: is rotated monthly", "", True, None),
        (f"# old password: {STRONG}", "", False, Severity.ERROR),
        (f"`password: {STRONG}`", "", True, Severity.ERROR),
    ],
    ids=[
        "generated",
        "weak-in-configmap",
        "weak-in-secret",
        "pin",
        "duration",
        "port",
        "prose",
        "comment",
        "markdown",
    ],
)
def test_what_is_left_is_an_error_when_generated_or_in_a_secret(
    line: str, object_kind: str, prose: bool, expected: Severity | None
) -> None:
    assert judge(KEYWORD, line, None, object_kind=object_kind, prose=prose) is expected


def test_a_token_in_its_own_format_is_an_error_wherever_it_is() -> None:
    assert judge("GitHub Token", "  # secretName: ghp_x", "ghp_x") is Severity.ERROR


def test_sops_ciphertext_is_no_secret() -> None:
    assert judge("GitHub Token", "token: ENC[AES256_GCM,data:abc,type:str]", None) is None


@pytest.mark.parametrize(
    ("value", "looks"),
    [
        (STRONG, "strong"),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEY0q3Zx", "strong"),
        ("watchSomething4me", "strong"),
        ("changeme", "weak"),
        ("Authorization", "name"),
        ("POSTGRES_PASSWORD", "name"),
        ("argocd/git-creds", "name"),
        ("adminPass", "name"),
    ],
)
def test_generated_values_and_names(value: str, looks: str) -> None:
    assert (strong(value), name_like(value)) == {
        "strong": (True, False),
        "weak": (False, False),
        "name": (False, True),
    }[looks]


@pytest.mark.parametrize(
    ("line", "found"),
    [
        (f"AWS_SECRET_ACCESS_KEY={STRONG}", [STRONG]),
        (f"    literals: [api_token={STRONG}]", [STRONG]),
        (f'curl "https://deploy:{STRONG}@registry.example.com/v2/"', [STRONG]),
        ('  ADMIN_PASSWORD: &admin-password "{{ .ADMIN_PASSWORD }}"', []),
        ("  RCON_PASSWORD: *admin-password", []),
        ("  password: aaaaaaaaaaaa", []),  # no entropy
    ],
)
def test_the_gitops_rules(line: str, found: list[str]) -> None:
    assert rule_values(line) == found


def test_reference_values() -> None:
    assert reference_value("op://vault/item/field")
    assert reference_value("https://example.com/path")
    assert not reference_value("https://user:pw@example.com/path")
    assert not reference_value(STRONG)
