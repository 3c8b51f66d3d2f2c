"""JSON written by json.dumps (emoji as surrogate-pair escapes) loads as the API server reads it."""

from __future__ import annotations

import json

import pytest

from gitops_gate.errors import ManifestError
from gitops_gate.manifests.loader import load_text
from gitops_gate.manifests.yamlsafe import parse

WIDE = "🚀 𠀋 \U0001f600 🇯🇵"


def _config_map(data: dict[str, str]) -> str:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": data}
    return json.dumps(body, indent=2)  # ensure_ascii: every emoji as two \u escapes


def test_a_json_file_with_escaped_emoji_loads_with_the_characters_themselves() -> None:
    result = load_text(_config_map({"a": WIDE}), "cm.json")
    assert not result.findings
    assert result.resources[0].body["data"]["a"] == WIDE


def test_a_lone_escaped_surrogate_becomes_the_replacement_character() -> None:
    [doc] = parse('{"a": "x\\ud83d y", "b": "\\udc00"}', "x.json")
    assert doc.value == {"a": "x\ufffd y", "b": "\ufffd"}


def test_an_escaped_backslash_before_u_is_left_as_text() -> None:
    [doc] = parse('{"a": "\\\\ud83d\\\\ude80", "b": "\\ud83d\\ude80"}', "x.json")
    assert doc.value == {"a": "\\ud83d\\ude80", "b": "🚀"}


def test_lines_stay_where_they_were_after_the_rewrite() -> None:
    text = _config_map({"a": WIDE, "b": "plain"})
    resource = load_text(text, "cm.json").resources[0]
    assert resource.line_of("/data/b") == text.splitlines().index('    "b": "plain"') + 1


def test_another_bad_escape_is_still_an_error_with_its_line() -> None:
    with pytest.raises(ManifestError) as caught:
        list(parse('{"a": "ok",\n "b": "\\uZZZZ"}', "x.json"))
    assert caught.value.line == 2
