"""What a scan cannot see as written: base64 in Secret.data, and which object holds a line.

A Secret's `data` values are base64: `password: WG...` shows no credential to any rule, and
`tls.key` hides a whole private key. Each value that decodes to text is handed to the engine
as `key: text`, and what it finds there is reported at the key's line.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from gitops_gate.errors import ManifestError
from gitops_gate.manifests.depth import DEFAULT_MAX_DEPTH, check_depth

_SECRET = re.compile(r"^kind:\s*[\"']?Secret[\"']?\s*(?:#.*)?$", re.MULTILINE)
_KIND = re.compile(r"^kind:\s*[\"']?([\w.-]+)")
_DOCUMENT = re.compile(r"^---(?:\s|$)")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
_MAX_DECODED = 256 * 1024  # a data value past this is no credential: a bundle, a binary


@dataclass(frozen=True, slots=True)
class Decoded:
    """One Secret.data value as text: the key's line, and `key: text` to scan."""

    line: int
    text: str


def kinds_by_line(lines: list[str]) -> list[str]:
    """The top-level `kind:` of the YAML document each line is in ("" where none)."""
    kinds: list[str] = []
    start, kind = 0, ""
    for index, line in enumerate([*lines, "---"]):
        if _DOCUMENT.match(line):
            kinds.extend([kind] * (index - start))
            start, kind = index, ""
        elif not kind and (found := _KIND.match(line)):
            kind = found.group(1)
    return kinds[: len(lines)]


def secret_data(text: str) -> Iterator[Decoded]:
    """Each base64 value under a Secret's `data` in text that decodes to UTF-8 text."""
    if _SECRET.search(text) is None:
        return
    try:
        # libyaml's composer recurses in C once a level: deep nesting would kill the process.
        check_depth(text, "", DEFAULT_MAX_DEPTH)
        documents = list(yaml.compose_all(text, Loader=_LOADER))
    except (ManifestError, yaml.YAMLError, RecursionError):
        return  # the loader reports a file it cannot read; nothing to decode here
    for document in documents:
        yield from _decoded(_data_of_secret(document))


def _data_of_secret(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    fields = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    kind, data = fields.get("kind"), fields.get("data")
    if not (isinstance(kind, yaml.ScalarNode) and kind.value == "Secret"):
        return []
    return list(data.value) if isinstance(data, yaml.MappingNode) else []


def _decoded(pairs: list[tuple[yaml.Node, yaml.Node]]) -> Iterator[Decoded]:
    for key, value in pairs:
        if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)):
            continue
        text = _text(value.value)
        if text is not None:
            yield Decoded(key.start_mark.line + 1, _as_line(str(key.value), text))


def _text(value: str) -> str | None:
    compact = "".join(value.split())
    if not compact or len(compact) > _MAX_DECODED * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(compact, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _as_line(key: str, text: str) -> str:
    """key: text as a scanner reads it: one line, or the key's line and the text under it,
    its line breaks \n alone (a scanner reading text may take \r for one, and count more)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text.strip():
        return f"{key}: {text.strip()}\n"
    return f"{key}:\n{text}" if text.endswith("\n") else f"{key}:\n{text}\n"
