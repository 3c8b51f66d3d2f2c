"""The redactor hides known Secret values in every form and credential-shaped text, nothing else."""

from __future__ import annotations

import base64
import json

import pytest

from gitops_gate.findings import Finding, Severity
from gitops_gate.redact import REDACTED, Redactor, from_bodies

# Built from parts so this file does not itself look like it holds secrets.
PASSWORD = "Vb7" + "xQ2mLk9PzR4tWn8s"
ENCODED = base64.b64encode(PASSWORD.encode()).decode()
KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIabc\n-----END RSA " + "PRIVATE KEY-----"


@pytest.mark.parametrize(
    "text",
    [
        "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789",
        "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnop",
        "AKIA" + "IOSFODNN7EXAMPLE",
        "xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx",
        "glpat-" + "abcdefghij0123456789",
        "sk_live_" + "abcdefghijklmnopqrstuvwx",
        "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123",
        KEY,
    ],
    ids=["github", "github-pat", "aws", "slack", "gitlab", "stripe", "jwt", "private-key"],
)
def test_credential_shapes_are_hidden_without_being_known(text: str) -> None:
    assert Redactor()(f"quoted {text!r} here") == f"quoted '{REDACTED}' here"


def test_a_url_password_is_hidden_and_the_host_kept() -> None:
    assert Redactor()("https://admin:s3cr3t@db.example.com/x") == (
        f"https://{REDACTED}@db.example.com/x"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"apiVersion": "v1", "kind": "Secret", "stringData": {"p": PASSWORD}},
        {"apiVersion": "v1", "kind": "Secret", "data": {"p": ENCODED}},
        {"secretGenerator": [{"name": "s", "literals": [f"p={PASSWORD}"]}]},
        {"secretGenerator": [{"name": "s", "literals": [PASSWORD]}]},
    ],
    ids=["stringData", "data", "generator-literal", "literal-without-key"],
)
def test_known_values_are_hidden_as_written_decoded_and_encoded(body: dict[str, object]) -> None:
    redact = from_bodies([body])

    assert redact(f"a {PASSWORD} b {ENCODED} c") == f"a {REDACTED} b {REDACTED} c"


def test_short_values_and_other_kinds_are_left_alone() -> None:
    redact = from_bodies([
        {"apiVersion": "v1", "kind": "Secret", "stringData": {"port": "5432", "on": "true"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"p": PASSWORD}},
    ])  # fmt: skip

    assert redact(f"port 5432 is true, {PASSWORD}") == f"port 5432 is true, {PASSWORD}"


def test_findings_keep_everything_but_the_value() -> None:
    found = Finding("x", Severity.ERROR, f"bad {PASSWORD}", "schema", "a.yaml", 3)
    redact = Redactor().with_values([PASSWORD])

    (shown,) = redact.findings([found])

    assert (shown.message, shown.path, shown.line) == (f"bad {REDACTED}", "a.yaml", 3)


def test_values_only_in_a_secrets_last_applied_copy_are_known() -> None:
    applied = json.dumps({"kind": "Secret", "stringData": {"old": PASSWORD}})
    note = {"kubectl.kubernetes.io/last-applied-configuration": applied}
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"annotations": note}}

    assert from_bodies([body])(f"was {PASSWORD}") == f"was {REDACTED}"
