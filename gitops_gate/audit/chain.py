"""The hash chain: an event's canonical JSON, redacted, sealed with its predecessor's hash."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from gitops_gate.audit.event import AuditEvent
from gitops_gate.redact import Redactor

# The `prev` of the first event: no event has this hash.
GENESIS = "0" * 64


class Anchor(NamedTuple):
    """Where the stored chain starts: after the last event retention pruned, or at genesis."""

    seq: int = 0
    hash: str = GENESIS


class Row(NamedTuple):
    """One stored event: its position, its predecessor's hash, its own, and its canonical body."""

    seq: int
    prev: str
    hash: str
    body: str  # canonical JSON, exactly as hashed

    def event(self) -> dict[str, Any]:
        return dict(json.loads(self.body))

    def to_json_line(self) -> str:
        """The row as one JSON object, built without parsing the body again (export's hot path)."""
        return f'{{"seq":{self.seq},"prev":"{self.prev}","hash":"{self.hash}","event":{self.body}}}'


def canonical(body: Mapping[str, Any]) -> str:
    """The one spelling of body that is hashed: sorted keys, no spaces, UTF-8 as is."""
    spelling = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}
    return json.dumps(body, allow_nan=False, default=str, **spelling)  # type: ignore[arg-type]


def digest(prev: str, body: str) -> str:
    """The hash of an event: SHA-256 over its predecessor's hash and its canonical body."""
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


def scrub(value: Any, redactor: Redactor) -> Any:
    """value with every string (keys too) passed through redactor: nothing secret is stored."""
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, Mapping):
        return {redactor(str(k)): scrub(v, redactor) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, redactor) for v in value]
    return value


class Prepared(NamedTuple):
    """An event as stored: its redacted body, and the columns queries filter on, from it."""

    time: str
    action: str
    environment: str | None
    key: str | None
    body: str  # canonical JSON, redacted


def prepare(event: AuditEvent, redactor: Redactor) -> Prepared:
    """event redacted and spelled canonically, ready to be chained."""
    body = event.to_json()
    text = canonical(body)
    if might_hold_secret(text, redactor):  # the slow path: every string through redactor
        body = scrub(body, redactor)
        text = canonical(body)
    key = event.key
    if key is not None and might_hold_secret(key, redactor):
        key = redactor(key)
    return Prepared(body["time"], body["action"], body["environment"], key, text)


# A literal every credential shape of redact.CREDENTIAL starts with (or, for user:password@
# in a URL, both "://" and "@"): text with none of them has nothing the regex would hide,
# and checking takes a microsecond where the regex takes hundreds on a whole event.
# tests/audit/test_redaction.py pins CREDENTIAL, so a new shape there fails until added here.
_PREFIXES = (
    "-----BEGIN", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "A3T",
    "AKIA", "ASIA", "ABIA", "ACCA", "xox", "_live_", "SK", "AIza", "npm_", "SG.", "eyJ",
)  # fmt: skip


_ANY_PREFIX = re.compile("|".join(re.escape(p) for p in _PREFIXES))  # one pass, not twenty
_URL_WITH_USER = re.compile(r"://[^/\s@]*@")  # wider than CREDENTIAL's user:password@


def might_hold_secret(text: str, redactor: Redactor) -> bool:
    """False only when redactor would leave text as it is (a fast, conservative test)."""
    if _ANY_PREFIX.search(text):
        return True
    if "://" in text and _URL_WITH_USER.search(text):
        return True
    return any(value in text for value in redactor.values)


def seal(head: str, bodies: list[str]) -> list[tuple[str, str, str]]:
    """(prev, hash, body) for each body appended after the event whose hash is head."""
    out = []
    for body in bodies:
        sealed = digest(head, body)
        out.append((head, sealed, body))
        head = sealed
    return out


def fresh_events(prepared: list[Prepared], known: set[str]) -> list[Prepared]:
    """Each event whose key is neither stored (known) nor earlier in the batch."""
    seen = set(known)
    out = []
    for event in prepared:
        if event.key is not None:
            if event.key in seen:
                continue
            seen.add(event.key)
        out.append(event)
    return out
