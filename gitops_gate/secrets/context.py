"""GitOps context for a raw hit: never a secret, at most a warning, or an error.

Both engines' keyword rules fire on any key that mentions a password or a token. In a GitOps
repository most such keys name where a secret is kept, not the secret: `secretName:`,
`existingSecret:`, ExternalSecret `secretKey:` and `remoteRef.key:`, `op://vault/item`,
`${VAR}`, `{{ .x }}`, booleans, URLs without a password, block-scalar openers. Those are
dropped; what is left and does not look generated is a warning, unless a Secret holds it.
"""

from __future__ import annotations

import re

from gitops_gate.findings import Severity
from gitops_gate.secrets.rules import name_like, rule_values, strong

# A key that names where a secret is, not the secret: `existingSecret: app-secret`,
# `secretName:`, `secretRef:`, `passwordFile:`. The policy library's lib.reference_pattern and
# camel_reference_pattern say the same (a test keeps them alike), and Helm charts call a
# Secret to use `existingSecret`.
REFERENCE_PATTERN = r"(^|[_.-])(names?|refs?|references?|files?|paths?)$"
CAMEL_REFERENCE_PATTERN = r"[a-z0-9](Names?|Refs?|References?|Files?|Paths?)$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
_CAMEL_REFERENCE = re.compile(CAMEL_REFERENCE_PATTERN)
_EXISTING_SECRET = re.compile(r"existing[_-]?secrets?$")
# `passwordKey: POSTGRES_PASSWORD`, `envFromSecret: grafana-secret`, `bwSecretId: <uuid>`:
# the key in a Secret, the Secret, the id in a secret manager; with a name as value.
_NAMES_ONE = re.compile(r"[a-z0-9](?:Keys?|Secrets?|Ids?|ID|Users?|Usernames?|Emails?)$")
_LINE_KEY = re.compile(r"""^\s*(?:-\s+)?["']?([\w./-]+)["']?\s*[:=]\s*(.*)$""")
# Values that say where a secret is: secret managers, variables, templates.
_REFERENCE_VALUE = re.compile(
    r"(?i)^(?:op://|vault:|ref\+|arn:aws:secretsmanager:|arn:aws:ssm:|akv://|azkv://|gcpsm://"
    r"|awssm://|sops://|bw://|<path:|\$\{|\$\(|\$[a-z_]|\{\{|%\{|\{%|secret://|k8s://)"
)
# Flags, block-scalar openers, and short numbers with a unit (a port, `tokenTTL: 24h`, 30s);
# a longer run of digits may be a PIN, and is judged as a value.
_BOOLEAN_OR_EMPTY = re.compile(
    r"(?i)^(?:true|false|yes|no|on|off|null|none|nil|~|''|\"\"|[|>][-+0-9]*"
    r"|\d{1,5}(?:\.\d+)?[a-z]{0,2})?$"
)
_URL = re.compile(r"(?i)^[a-z][a-z0-9+.-]*://([^/@\s]*@)?")
_ASSIGNED = re.compile(r"[:=]")
_UUID = re.compile(r"(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SOPS_VALUE = "ENC[AES256_GCM,"
# ExternalSecret and PushSecret fields that name a key in a store, never hold a value.
_EXTERNAL = frozenset({"ExternalSecret", "ClusterExternalSecret", "PushSecret"})
_EXTERNAL_KEYS = frozenset({"key", "secretKey", "remoteKey", "property", "name", "version"})
# The keyword-like kinds: a key's name and a value, judged by the value (detect-secrets'
# entropy strings count only under a credential-like key). Others (a token's own format, a
# private key, a URL with a password) stand on their own.
KEYWORD_KINDS = frozenset(
    {
        "Secret Keyword",
        "GitOps Credential",
        "Base64 High Entropy String",
        "Hex High Entropy String",
        "generic-api-key",
        "gitops-credential",
    }
)
_SECRET_BEARING = frozenset({"Secret"})


def names_a_reference(line: str) -> bool:
    """True when the line's key names where a secret is kept, not the secret itself."""
    found = _LINE_KEY.match(line)
    return found is not None and _reference_key(found.group(1))


def _reference_key(key: str) -> bool:
    lower = key.lower()
    return bool(
        _REFERENCE.search(lower) or _CAMEL_REFERENCE.search(key) or _EXISTING_SECRET.match(lower)
    )


def reference_value(value: str) -> bool:
    """Whether value says where a secret is, or is no secret at all (a flag, a number)."""
    value = value.strip().strip("\"'").strip()
    if _BOOLEAN_OR_EMPTY.match(value) or _REFERENCE_VALUE.match(value) or _UUID.match(value):
        return True
    url = _URL.match(value)
    return url is not None and not url.group(1)  # a URL without user:password@


def judge(
    kind: str, line: str, value: str | None, *, object_kind: str = "", prose: bool = False
) -> Severity | None:
    """What a hit of kind on line (its value when the engine gave it) is: None for no
    secret, else the severity of its finding. object_kind: the Kubernetes kind holding the
    line ("Secret" for decoded Secret data); prose: Markdown, or a comment."""
    if _SOPS_VALUE in line:
        return None
    prose = prose or line.lstrip().startswith(("#", "//"))
    found = _LINE_KEY.match(line)
    # Without a key of its own (prose, a command line), the value is what follows : or =.
    key, raw = (found.group(1), found.group(2)) if found else ("", _ASSIGNED.split(line, 1)[-1])
    if kind not in KEYWORD_KINDS:
        return Severity.ERROR
    credential = _value(value, line, raw)
    if credential is None or (found is not None and reference_value(_first_word(raw))):
        # A rule may take part of a reference for a value: `secret:api-x` in an ARN.
        return None
    return _keyword(key, credential, object_kind, prose)


def _keyword(key: str, value: str, object_kind: str, prose: bool) -> Severity | None:
    if _reference_key(key) or reference_value(value):
        return None
    if object_kind in _EXTERNAL and key in _EXTERNAL_KEYS:
        return None
    if strong(value):
        return Severity.ERROR
    if name_like(value) or _NAMES_ONE.search(key) or prose:
        return None
    return Severity.ERROR if object_kind in _SECRET_BEARING else Severity.WARNING


def _value(given: str | None, line: str, raw: str) -> str | None:
    """The credential: the engine's, else what rules.py finds on the line, else the first
    word of the line's value; None for a block of lines (detect-secrets' YAML reader makes
    `key: |` one value), whose lines are judged one by one where they are."""
    if given and "\n" in given.strip():
        return None
    if given:
        return given.strip().strip("\"'")
    found = rule_values(line)
    return found[0] if found else _first_word(raw)


def _first_word(raw: str) -> str:
    """The first word of a line's value, without quotes, trailing comma or comment."""
    words = raw.split(" #", 1)[0].strip().split()
    return words[0].rstrip(",;").strip("\"'") if words else ""
