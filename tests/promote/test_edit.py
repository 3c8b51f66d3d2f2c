"""Line edits: quotes, comments and line ends stay; what cannot be edited safely is refused."""

from __future__ import annotations

import pytest

from gitops_gate.errors import LocatedError
from gitops_gate.promote.edit import drop_line, insert_after, rename_key, set_value


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        ("    newTag: v1 # c\n", "v1", "v2", "    newTag: v2 # c\n"),
        ("    newTag: 'v1'\r\n", "v1", "v2", "    newTag: 'v2'\r\n"),
        ('    newTag: "1.10"\n', "1.10", "1.11", '    newTag: "1.11"\n'),
        ("    newTag: v1\n", "v1", "1.10", '    newTag: "1.10"\n'),  # else read back as 1.1
        ("  - {name: web, newTag: v1}\n", "v1", "v2", "  - {name: web, newTag: v2}\n"),
    ],
)
def test_set_value_changes_only_the_value(line: str, old: str, new: str, expected: str) -> None:
    assert set_value(f"a: 1\n{line}", "k.yaml", 2, "newTag", old, new) == f"a: 1\n{expected}"


def test_a_value_that_is_not_there_is_refused_with_its_place() -> None:
    with pytest.raises(LocatedError) as caught:
        set_value("newTag: v3\n", "k.yaml", 1, "newTag", "v1", "v2")
    assert caught.value.one_line().startswith("k.yaml:1: cannot find `newTag: v1`")


def test_insert_after_indents_like_the_sibling_key() -> None:
    text = "images:\n  - name: web\n"
    assert insert_after(text, "k.yaml", 2, "name", "newTag", "v2") == (
        "images:\n  - name: web\n    newTag: v2\n"
    )


def test_flow_style_entries_are_not_extended() -> None:
    with pytest.raises(LocatedError, match="cannot add `newTag`"):
        insert_after("images: [{name: web}]\n", "k.yaml", 1, "name", "newTag", "v2")


def test_rename_and_drop_keep_the_rest_of_the_line() -> None:
    assert rename_key("    newTag: x  # c\n", "k", 1, "newTag", "digest") == "    digest: x  # c\n"
    assert drop_line("a\n    digest: x\nb\n", "k", 2, "digest") == "a\nb\n"
    with pytest.raises(LocatedError, match="opens a list item"):
        drop_line("  - digest: x\n", "k", 1, "digest")
