"""RE2 patterns from CRDs are respelled so Python's re and jsonschema-rs read them as Go does."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest

from gitops_gate.validate.re2 import UnsupportedPattern, translate

SPELLINGS = [
    (r"^(?i)(abort|warn)?$", r"^(?i:(abort|warn)?$)"),
    (r"(?i)x", r"(?i)x"),
    (r"a(?i)b", r"a(?i:b)"),
    (r"(a(?i)b)c", r"(a(?i:b))c"),
    (r"((?i)a)b", r"((?i:a))b"),
    (r"a(?i)b|c", r"a(?i:b)|(?i:c)"),
    (r"a(?i)b(?s)c", r"a(?i:b(?s:c))"),
    (r"[(?i)]", r"[(?i)]"),
    (r"a\((?i)b\)", r"a\((?i:b\))"),
    (r"\\(?i)b", r"\\(?i:b)"),
    (r"a(?s).b", r"a(?s:.b)"),
    (r"x(?m)^y$", r"x(?m:^y$)"),
    (r"x(?-i)y", r"x(?-i:y)"),
    (r"(?-i)y", r"(?-i:y)"),
    (r"(?U)a+b", r"a+b"),
    (r"(?iU)a", r"(?i)a"),
    (r"x(?U)a+?", r"xa+?"),
    (r"(?U:a+)", r"(?:a+)"),
    (r"(?i-U:a)", r"(?i:a)"),
    (r"(?P<n>a)(?:b)", r"(?P<n>a)(?:b)"),
    (r"[[:alpha:]_][[:digit:]]*", r"[A-Za-z_][0-9]*"),
    (r"[]a][^]b]", r"[]a][^]b]"),
    (r"[a&&b~~c[]", r"[a\&\&b\~\~c\[]"),
    (r"[\&&~a-]", r"[\&\&~a-]"),
    (r"^[a-z._~%!$&'()*+,;=:]+$", r"^[a-z._~%!$&'()*+,;=:]+$"),
    (r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
]


@pytest.mark.parametrize(("re2", "common"), SPELLINGS, ids=[s for s, _ in SPELLINGS])
def test_spelling(re2: str, common: str) -> None:
    assert translate(re2) == common
    re.compile(common)
    # Converted CRDs name draft 2020-12, whose validator compiles patterns with Rust's regex
    # (draft 7's meta-schema check would read them as ECMA 262, which has no `(?i)` at all).
    jsonschema_rs.Draft202012Validator({"pattern": common})


MEANINGS = [  # RE2 pattern, strings Go matches, strings it does not
    (r"^(?i)(abort|warn)?$", ["WARN", "warn", "Abort", ""], ["bogus", "warning", "WARN "]),
    (r"^a(?i)b|c$", ["aB", "xC"], ["AB", "d"]),
    (r"^(a(?i)b)c$", ["aBc"], ["aBC", "ABc"]),
    (r"^a(?s).b$", ["a\nb", "axb"], ["ab"]),
    (r"^[[:upper:]][[:xdigit:]]+$", ["Xf0"], ["xf0", "Xg"]),
]


@pytest.mark.parametrize(("re2", "yes", "no"), MEANINGS, ids=[m[0] for m in MEANINGS])
def test_meaning_on_python_and_jsonschema_rs(re2: str, yes: list[str], no: list[str]) -> None:
    common = translate(re2)
    rust = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": common})
    assert [bool(re.search(common, s)) for s in yes + no] == [True] * len(yes) + [False] * len(no)
    assert [rust.is_valid(s) for s in yes + no] == [True] * len(yes) + [False] * len(no)


@pytest.mark.parametrize(
    ("re2", "reason"),
    [
        (r"[[:^alpha:]]", "negated class [:^alpha:] has no common spelling"),
        (r"[[:letter:]]", "unknown class [:letter:]"),
        (r"a)", "unmatched ')' at position 1"),
        (r"(a", "missing ')'"),
        (r"[a", "missing ']'"),
    ],
)
def test_refused(re2: str, reason: str) -> None:
    with pytest.raises(UnsupportedPattern) as caught:
        translate(re2)
    assert caught.value.reason == reason
