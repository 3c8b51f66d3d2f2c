"""Hides secrets in whatever is shown: the run's known Secret values and credential-shaped text."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from gitops_gate.findings import Finding

REDACTED = "<redacted>"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Shorter known values ("true", "5432", "admin") are everywhere in messages that hold no
# secret; hiding each would garble them. A credential that short is guessed, not leaked.
MIN_LENGTH = 6
# The shapes of detect-secrets' keyword-free plugins, so a credential no Secret declares (a
# literal in kustomize's error, a CR field quoted by a schema error) is hidden too.
CREDENTIAL = re.compile(
    "|".join(
        (
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----(?:.|\n)*?(?:-----END[A-Z ]*PRIVATE KEY-----|\Z)",
            r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{30,}",
            r"\bgithub_pat_[A-Za-z0-9_]{22,}",
            r"\bglpat-[A-Za-z0-9_-]{20,}",
            r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b",
            r"\bxox[abposr]-[A-Za-z0-9-]{10,}",
            r"\b(?:sk|rk)_live_[A-Za-z0-9]{20,}",
            r"\bSK[0-9a-fA-F]{32}\b",
            r"\bAIza[0-9A-Za-z_-]{35}",
            r"\bnpm_[A-Za-z0-9]{36}",
            r"\bSG\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}",
            r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
            r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)",  # user:password@ in a URL
        )
    )
)


# A key whose value is a credential wherever it is written (a ConfigMap's DB_PASSWORD, a
# HelmRelease's auth.rootPassword): `check` reports it as a secret, so no diff may show it.
# A key naming where a secret is kept (secretName, existingSecret, passwordFile) is not one.
_CREDENTIAL_KEY = re.compile(
    r"(?i)(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|credentials?|private[_-]?key"
    r"|access[_-]?key)$"
)
_NAMES_PLACE = re.compile(r"(?i)existing[_-]?secrets?$")
# Values that say where a credential is, or are none: `${VAR}`, `{{ .x }}`, `op://...`, a flag.
_NOT_A_CREDENTIAL = re.compile(r"(?i)^(?:\$|\{\{|[a-z]+://|vault:|ENC\[|<|true$|false$)")


def credential_field(key: object, value: object) -> bool:
    """Whether value, under key in any object, is a credential no output may show."""
    if not isinstance(key, str) or not isinstance(value, str) or len(value) < MIN_LENGTH:
        return False
    if _NAMES_PLACE.search(key) or not _CREDENTIAL_KEY.search(key):
        return False
    return not _NOT_A_CREDENTIAL.match(value.strip())


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces every known value and every credential-shaped string with REDACTED."""

    values: frozenset[str] = frozenset()
    _known: re.Pattern[str] | None = field(default=None, init=False, compare=False)

    def __post_init__(self) -> None:
        longest_first = sorted(self.values, key=lambda v: (-len(v), v))
        pattern = "|".join(re.escape(v) for v in longest_first)
        object.__setattr__(self, "_known", re.compile(pattern) if pattern else None)

    def __call__(self, text: str) -> str:
        if self._known is not None:
            text = self._known.sub(REDACTED, text)
        return CREDENTIAL.sub(REDACTED, text)

    def with_values(self, values: Iterable[str]) -> Redactor:
        """This redactor hiding values too (each in every form it may be shown in)."""
        return Redactor(self.values | _forms(values))

    def findings(self, found: Iterable[Finding]) -> list[Finding]:
        """Each finding with its message redacted."""
        out = []
        for f in found:
            shown = self(f.message)
            out.append(f if shown == f.message else replace(f, message=shown))
        return out


def from_bodies(bodies: Iterable[Any]) -> Redactor:
    """A redactor for the values of every Secret among bodies (Kubernetes objects as dicts)
    and every literal of a kustomization's secretGenerator."""
    return Redactor().with_values(v for body in bodies for v in secret_values(body))


def secret_values(body: Any) -> list[str]:
    """The values body holds that must never be shown."""
    if not isinstance(body, Mapping):
        return []
    if body.get("kind") == "Secret" and "/" not in str(body.get("apiVersion", "v1")):
        return [*_data_values(body), *_data_values(_last_applied(body))]
    if body.get("kind") == "Kustomization" and "kustomize.config" in str(body.get("apiVersion")):
        return _generator_literals(body)
    if "kustomize.config" not in str(body.get("apiVersion")) and "secretGenerator" in body:
        return _generator_literals(body)  # a kustomization.yaml without apiVersion or kind
    return []


def _last_applied(body: Mapping[str, Any]) -> Any:
    """kubectl's copy of the Secret as last applied: earlier values, maybe no longer in data."""
    meta = body.get("metadata")
    notes = meta.get("annotations") if isinstance(meta, Mapping) else None
    text = notes.get(LAST_APPLIED) if isinstance(notes, Mapping) else None
    try:
        return json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _data_values(body: Any) -> list[str]:
    if not isinstance(body, Mapping):
        return []
    return [*_strings(body.get("stringData")), *_encoded(body.get("data"))]


def _strings(data: Any) -> list[str]:
    return [str(v) for v in data.values()] if isinstance(data, Mapping) else []


def _encoded(data: Any) -> list[str]:
    """base64 values as written and as decoded."""
    out = []
    for value in _strings(data):
        out.append(value)
        try:
            out.append(base64.b64decode(value, validate=True).decode())
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
    return out


def _generator_literals(body: Mapping[str, Any]) -> list[str]:
    out = []
    for gen in body.get("secretGenerator") or []:
        literals = gen.get("literals") if isinstance(gen, Mapping) else None
        for literal in literals if isinstance(literals, list) else []:
            text = str(literal)
            out.append(text.split("=", 1)[1] if "=" in text else text)
    return out


def _forms(values: Iterable[str]) -> frozenset[str]:
    """Each value, its lines, and its base64 form: a message may quote any of them."""
    out: set[str] = set()
    for value in values:
        for part in (value, *value.splitlines(), *_quoted(value)):
            part = part.strip()
            if len(part) >= MIN_LENGTH:
                out.add(part)
        if len(value) >= MIN_LENGTH:
            out.add(base64.b64encode(value.encode()).decode())
    return frozenset(out)


def _quoted(value: str) -> list[str]:
    """How JSON and Python would escape value inside a quoted string."""
    return [json.dumps(value)[1:-1], repr(value)[1:-1]]
