"""Secret scanning: kinds and places, never values; baseline and allow-list silence known ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.secrets import secret_findings
from tests.helpers.tree import write_tree

# Built from parts so this file does not itself look like it holds secrets.
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
GITHUB = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789"
SLACK = "xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx"
GITLAB = "glpat-" + "abcdefghij0123456789"
KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIabc\n-----END RSA " + "PRIVATE KEY-----\n"
STRIPE = "sk_live_" + "abcdefghijklmnopqrstuvwx"
BASIC_AUTH = "https://admin:" + "hunter2hunter2@db.example.com/app"
TWILIO = "SK" + "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"aws_access_key_id = {AWS}\n", "AWS Access Key"),
        (f"token: {GITHUB}\n", "GitHub Token"),
        (f"webhook: {SLACK}\n", "Slack Token"),
        (f"ci: {GITLAB}\n", "GitLab Token"),
        (KEY, "Private Key"),
        (f"stripe: {STRIPE}\n", "Stripe Access Key"),
        (f"url: {BASIC_AUTH}\n", "Basic Auth Credentials"),
        (f"twilio: {TWILIO}\n", "Twilio API Key"),
    ],
    ids=["aws", "github", "slack", "gitlab", "private-key", "stripe", "basic-auth", "twilio"],
)
def test_finds_kind_and_place_never_value(tmp_path: Path, text: str, kind: str) -> None:
    write_tree(tmp_path, {"notes/README.md": "hello\n" + text})
    (found,) = secret_findings([tmp_path], tmp_path)
    assert (found.path, found.line, found.extra["kind"]) == ("notes/README.md", 2, kind)
    assert text.split()[-1] not in found.message


def test_a_secret_in_a_manifest_is_found_at_its_line(tmp_path: Path) -> None:
    # YAML goes through detect-secrets' transformers, unlike the README above.
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        f"data:\n  color: blue\n  DATABASE_URL: {BASIC_AUTH}\n  ci: {GITHUB}\n"
    )
    write_tree(tmp_path, {"cm.yaml": manifest})
    found = secret_findings([tmp_path], tmp_path)
    assert [(f.path, f.line, f.extra["kind"]) for f in found] == [
        ("cm.yaml", 6, "Basic Auth Credentials"),
        ("cm.yaml", 7, "GitHub Token"),
    ]


def test_an_entropy_secret_after_a_form_feed_keeps_its_key(tmp_path: Path) -> None:
    # detect-secrets numbers lines by newlines alone: a form feed on line 1 must not move the
    # credential-key test to another line.
    entropy = "3vQ8kZ1xN5rT7bW2" + "yF9mL4pH6sD0gJ8c"
    write_tree(tmp_path, {"notes.txt": f"x\x0c= 1\npassword = '{entropy}'\n"})
    found = secret_findings([tmp_path], tmp_path)
    assert ("notes.txt", 2, "Base64 High Entropy String") in [
        (f.path, f.line, f.extra["kind"]) for f in found
    ]


def test_digests_and_sops_ciphertext_are_not_secrets(tmp_path: Path) -> None:
    digest = "sha256:" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    sops = "password: ENC[AES256_GCM,data:Tr7o1F0Vdcc6YXRD,iv:1fL6F9N0xlz8ea6Q4mxq,type:str]\n"
    write_tree(tmp_path, {"deploy.yaml": f"image: nginx@{digest}\n", "secret.yaml": sops})
    assert secret_findings([tmp_path], tmp_path) == []


def test_baseline_and_allow_list(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.txt": f"token: {GITHUB}\n", "docs/b.txt": f"ci: {GITLAB}\n"})
    (first, _) = secret_findings([tmp_path], tmp_path)
    from gitops_gate.secrets import scan_files

    hashed = scan_files([tmp_path / "a.txt"], tmp_path)[0].hashed
    baseline = {"results": {"a.txt": [{"hashed_secret": hashed, "type": "GitHub Token"}]}}
    config = "version: 1\nsecrets:\n  allow:\n    - {path: 'docs/*', kind: GitLab Token}\n"
    write_tree(tmp_path, {".secrets.baseline": json.dumps(baseline), ".gitops-gate.yaml": config})
    assert first.path == "a.txt"
    assert secret_findings([tmp_path], tmp_path, load_config(tmp_path)) == []


def test_yaml_with_an_alias_bomb_is_still_scanned_line_by_line(tmp_path: Path) -> None:
    # detect-secrets' YAML reader expands every alias (9**9 nodes here: minutes); ours reads lines.
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    write_tree(tmp_path, {"bomb.yaml": bomb + f"token: {GITHUB}\n"})

    (found,) = secret_findings([tmp_path], tmp_path)

    assert (found.path, found.line, found.extra["kind"]) == ("bomb.yaml", 10, "GitHub Token")
