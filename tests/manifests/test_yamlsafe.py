"""Safe YAML: values typed as PyYAML's safe loader types them (timestamps stay strings)."""

from __future__ import annotations

import pytest
import yaml

from gitops_gate.manifests.yamlsafe import parse

SCALARS = [
    "1",
    "'1'",
    '"1"',
    "yes",
    "'yes'",
    "null",
    "~",
    "",
    "1.5",
    "017",
    "0o17",
    "0x1F",
    ".inf",
    "-.inf",
    "true",
    "True",
    "off",
    "1_000",
    "'null'",
    "!!str 5",
    "app:1.0",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_are_typed_as_pyyaml_types_them(scalar: str) -> None:
    # Twice in one file and in both orders across the table: a plain scalar's type is
    # remembered by its text, and a quoted one must never borrow it.
    text = f"a: {scalar}\nb:\n  - {scalar}\n  - '{scalar.strip(chr(39))}'\n"
    (doc,) = parse(text, "x.yaml")
    assert doc.value == yaml.safe_load(text)


def test_timestamps_stay_strings() -> None:
    (doc,) = parse("at: 2001-12-14\n", "x.yaml")
    assert doc.value == {"at": "2001-12-14"}
