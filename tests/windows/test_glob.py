"""Selector globs match what gobwas/glob (Argo CD's glob library) matches, and nothing crashes."""

from __future__ import annotations

import pytest

from gitops_gate.windows.glob import glob_match

CASES = [
    # (pattern, value, matches)
    ("*", "anything/at-all", True),
    ("*-prod", "shop-prod", True),
    ("*-prod", "shop-prod-eu", False),
    ("shop-?", "shop-1", True),
    ("shop-?", "shop-12", False),
    ("**", "a/b", True),
    ("[a-c]pp", "bpp", True),
    ("[a-c]pp", "dpp", False),
    ("[!a]pp", "bpp", True),
    ("[!a]pp", "app", False),
    ("[!a-c]pp", "bpp", False),
    ("[abc]pp", "cpp", True),
    ("[ab-]x", "-x", True),  # `-` after a list's first character is a character
    ("[^p]*", "^rod", True),  # `^` is a character: "^ or p", then anything
    ("[^p]*", "prod", True),
    ("[^p]*", "qrod", False),
    ("[\\]]x", "]x", True),
    ("{a,b}-app", "b-app", True),
    ("{a,b}-app", "c-app", False),
    ("{a,{b,c}d}", "cd", True),
    ("{a,b", "b", True),  # an unclosed brace ends with the pattern
    ("a}b", "a}b", True),
    ("a,b", "a,b", True),
    ("!prod", "!prod", True),  # no negation outside a list in windows
    ("!prod", "dev", False),
    ("a\\*", "a*", True),
    ("a\\*", "ab", False),
    ("app\\", "app", True),  # a trailing backslash is dropped
    ("", "", True),
    # Patterns gobwas/glob cannot compile match nothing, as in Argo CD.
    ("[z-a]*", "z", False),
    ("[9-0]", "5", False),
    ("[!]", "!", False),
    ("[]", "", False),
    ("[a-z0-9]", "a", False),  # one range, nothing beside it
    ("[a-cx]", "x", False),
    ("[abc", "a", False),
    ("[a-", "a", False),
]


@pytest.mark.parametrize(
    ("pattern", "value", "matches"), CASES, ids=[f"{c[0]!r}~{c[1]!r}" for c in CASES]
)
def test_glob_follows_gobwas(pattern: str, value: str, matches: bool) -> None:
    assert glob_match(pattern, value) is matches


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("*a" * 30 + "b", "a" * 60, False),  # hours for a backtracking regex
        ("*a" * 30, "a" * 60, True),
        ("{" * 500 + "a", "a", False),  # nested past any real selector: matches nothing
        ("{a," * 30 + "c" + "}" * 30, "c", True),
        ("*" * 5000, "x", False),  # longer than any real selector: matches nothing
    ],
    ids=["stars", "stars match", "deep braces", "nested braces", "huge"],
)
def test_hostile_patterns_answer_at_once(pattern: str, value: str, matches: bool) -> None:
    assert glob_match(pattern, value) is matches
