"""The credential rules both engines add to their own, and how strong a value looks.

detect-secrets and gitleaks miss credentials GitOps repositories hold in ways their rules do
not expect: `POSTGRES_PASSWORD: watchSomething4me` (no quotes, no known prefix),
`AWS_SECRET_ACCESS_KEY=...` in a .env file, `literals: [api_token=...]`, a password in a URL.
Each rule is written once here and given to each engine its own way: a detect-secrets plugin
(dsplugin.py) and gitleaks rules (gitleaks.py). The patterns keep to what Go's RE2 and Python's
re both read alike (no lookarounds, no backreferences).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_WORDS = (
    r"passw(?:or)?d|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|credentials?|auth[_-]?key"
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its gitleaks id, a pattern whose first group is the credential, and the
    least Shannon entropy (bits a character) the credential must have."""

    id: str
    description: str
    pattern: str
    entropy: float
    keywords: tuple[str, ...]


# A key naming a credential, then = or :, then a value of 8 or more characters with no
# space, quote, colon or YAML/JSON punctuation: .env lines, YAML values, generator literals,
# command-line flags.
# Not a YAML anchor or alias (`&admin-password "{{ .x }}"`, `*admin-password`). Classes of
# what may be, not of what may not: the screen then searches lower-cased text case-sensitively
# (regexform.py's lowerable), 5x faster than a case-blind search.
ASSIGNMENT = Rule(
    "gitops-credential",
    "A credential assigned to a key that names one",
    r"(?i)(?:"
    + _WORDS
    + r")[\w.-]*[\"']?[ \t]*[:=][ \t]*[\"']?([\w.~+/=!@$%^-][\w.~+/=!@$%^&*-]{7,})",
    3.0,
    ("pass", "secret", "token", "key", "credential"),
)
# ://user:password@host, the password not a $VAR or {{ template }}. Both patterns start at a
# literal, not at a run of characters before one: searched over a whole file (screen.py),
# `[\w.-]*password` would be tried again from every character of every word.
URL_PASSWORD = Rule(
    "gitops-url-password",
    "A password in a URL",
    r"://[^\s:/@\"'$]{1,64}:([^\s:/@\"'${}]{6,})@[\w.-]+",
    2.5,
    ("://",),
)
RULES = (ASSIGNMENT, URL_PASSWORD)
COMPILED = tuple(re.compile(rule.pattern) for rule in RULES)
KIND = "GitOps Credential"  # the secret type the detect-secrets plugin reports


def entropy(value: str) -> float:
    """Shannon entropy of value, in bits a character."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


# Names of things, not credentials: words joined by - _ . / : (each lower, UPPER or
# Capitalised, or a number: grafana-secret, argocd/git-creds, POSTGRES_PASSWORD,
# Your-Token-Here), camelCase and PascalCase words (adminPass, Authorization).
_WORD = r"(?:[A-Z]?[a-z]+|[A-Z]+|[0-9]+)"
_NAME_LIKE = re.compile(rf"{_WORD}(?:[-_./:]{_WORD})+|[A-Z]?[a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]+")


def name_like(value: str) -> bool:
    """Whether value reads as the name of something (a Secret, a key, a variable)."""
    return _NAME_LIKE.fullmatch(value) is not None


def strong(value: str) -> bool:
    """Whether value looks generated: 8+ characters, mixing at least two of lower case,
    upper case and digits, with 3+ bits of entropy a character, and not a name."""
    if len(value) < 8 or name_like(value) or any(c.isspace() for c in value):
        return False
    classes = sum(any(test(c) for c in value) for test in (str.islower, str.isupper, str.isdigit))
    return classes >= 2 and entropy(value) >= 3.0


def rule_values(line: str) -> list[str]:
    """The credentials the rules find in line whose entropy passes (the plugin's answer)."""
    return [
        match.group(1)
        for rule, regex in zip(RULES, COMPILED, strict=True)
        for match in regex.finditer(line)
        if entropy(match.group(1)) >= rule.entropy
    ]
