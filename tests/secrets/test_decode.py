"""Secret.data in base64 is decoded and scanned, and reported at the key's line."""

from __future__ import annotations

import base64
from pathlib import Path

from gitops_gate.secrets import secret_findings
from gitops_gate.secrets.decode import kinds_by_line, secret_data
from tests.helpers.tree import write_tree

# Built from parts so this file does not itself look like it holds a key.
KEY = (
    "-----BEGIN RSA " + "PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA" * 5 + "\n"
    "-----END RSA " + "PRIVATE KEY-----\n"
)
PASSWORD = "Qe3rT8yU1iO6pA9sDf"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SECRET = f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: c}}
data:
  password: {b64(PASSWORD)}
---
apiVersion: v1
kind: Secret
metadata: {{name: s}}
data:
  username: {b64("api")}
  password: {b64(PASSWORD)}
  tls.key: {b64(KEY)}
  binary: {base64.b64encode(bytes(range(256))).decode()}
  broken: not-base64!
"""


def test_only_a_secrets_data_is_decoded_as_key_and_text() -> None:
    found = [(d.line, d.text.split("\n", 1)[0]) for d in secret_data(SECRET)]
    assert found == [
        (11, "username: api"),
        (12, f"password: {PASSWORD}"),
        (13, "tls.key:"),
    ]


def test_secrets_in_data_are_found_at_their_keys(tmp_path: Path) -> None:
    write_tree(tmp_path, {"secret.yaml": SECRET})
    found = secret_findings([tmp_path], tmp_path)
    # Line 5: a ConfigMap's password that looks generated, base64 or not.
    assert [(f.path, f.line, f.extra["kind"]) for f in found] == [
        ("secret.yaml", 5, "Secret Keyword"),
        ("secret.yaml", 12, "Secret Keyword"),
        ("secret.yaml", 13, "Private Key"),
    ]
    assert all(PASSWORD not in f.message for f in found)


def test_yaml_that_does_not_parse_decodes_nothing() -> None:
    assert list(secret_data("kind: Secret\ndata: [\n")) == []


def test_each_line_knows_its_documents_kind() -> None:
    text = "kind: ConfigMap\ndata: {}\n---\napiVersion: v1\nkind: Secret\n---\nno: kind\n"
    assert kinds_by_line(text.split("\n")) == [
        "ConfigMap",
        "ConfigMap",
        "Secret",
        "Secret",
        "Secret",
        "",
        "",
        "",
    ]


def test_many_secrets_in_one_file_are_each_found_at_their_key(tmp_path: Path) -> None:
    pem = b64(KEY.replace("\n", "\r\n"))  # a Windows line break counts once
    docs = "".join(
        f"---\nkind: Secret\ndata:\n  tls.key: {pem}\n  password: {b64(PASSWORD + str(n))}\n"
        for n in range(3)
    )
    write_tree(tmp_path, {"secrets.yaml": docs})
    found = secret_findings([tmp_path], tmp_path)
    assert [(f.line, f.extra["kind"]) for f in found] == [
        (line, kind)
        for n in range(3)
        for line, kind in [(4 + 5 * n, "Private Key"), (5 + 5 * n, "Secret Keyword")]
    ]


def test_nesting_deeper_than_the_loader_allows_decodes_nothing_and_does_not_crash() -> None:
    # libyaml's composer would overflow the C stack on this.
    deep = "kind: Secret\ndata: " + "[" * 100_000 + "]" * 100_000 + "\n"
    assert list(secret_data(deep)) == []
