"""Removes noise from rendered objects and masks secret values before they are compared."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from gitops_gate.redact import Redactor, credential_field, from_bodies

NOISE = (
    "/status",
    "/metadata/managedFields",
    "/metadata/creationTimestamp",
    "/metadata/resourceVersion",
    "/metadata/uid",
    "/metadata/generation",
)
MASK = "<masked>"
MASK_CHANGED = "<masked, changed>"
# kubectl apply's copy of the whole object: for a Secret, its data again.
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def without_noise(body: dict[str, Any], ignore: Sequence[str] = ()) -> dict[str, Any]:
    """body without the JSON pointers in NOISE and ignore; body itself is never changed.

    Only the containers on a dropped path are copied: rendered objects are shared between
    environments with the same inputs, and a deep copy of each would dominate a warm diff.
    """
    out: Any = body
    for pointer in (*NOISE, *ignore):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/")]
        out = _drop(out, parts)
    return dict(out)


def _drop(node: Any, parts: list[str]) -> Any:
    """node without parts (a copy along the path), or node itself when the path is absent."""
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        if head not in node:
            return node
        if not rest:
            return {k: v for k, v in node.items() if k != head}
        child = _drop(node[head], rest)
        return node if child is node[head] else {**node, head: child}
    if isinstance(node, list) and head.isdigit() and int(head) < len(node):
        i = int(head)
        if not rest:
            return node[:i] + node[i + 1 :]
        child = _drop(node[i], rest)
        return node if child is node[i] else [*node[:i], child, *node[i + 1 :]]
    return node


def secret_redactor(*sides: Iterable[dict[str, Any]]) -> Redactor:
    """What hides the values of every Secret rendered on any side, wherever else they appear
    (a postBuild.substituteFrom variable substituted into a ConfigMap, say)."""
    return from_bodies(body for side in sides for body in side)


def mask_pair(
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    redact: Redactor | None = None,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Both sides with Secret data, its last-applied copy and SOPS values masked (a changed
    value says so, never what), and every other string passed through redact."""
    b = copy.deepcopy(before) if before is not None else None
    a = copy.deepcopy(after) if after is not None else None
    if _is_secret(before) or _is_secret(after):
        for field in ("data", "stringData"):
            _mask_map(b, a, field)
        _mask_last_applied(b, a)
    _mask_sops(b, a)
    _mask_both(b, a, credential_field)
    redact = redact or Redactor()
    return _redacted(b, redact), _redacted(a, redact)


def _mask_last_applied(b: dict[str, Any] | None, a: dict[str, Any] | None) -> None:
    old, new = _annotations(b).get(LAST_APPLIED), _annotations(a).get(LAST_APPLIED)
    if old is not None:
        _annotations(b)[LAST_APPLIED] = MASK
    if new is not None:
        _annotations(a)[LAST_APPLIED] = MASK if old == new else MASK_CHANGED


def _annotations(body: dict[str, Any] | None) -> dict[str, Any]:
    meta = body.get("metadata") if body is not None else None
    notes = meta.get("annotations") if isinstance(meta, dict) else None
    return notes if isinstance(notes, dict) else {}


def _redacted(node: Any, redact: Redactor) -> Any:
    """node with redact applied to every string in it, keys included."""
    if isinstance(node, str):
        return redact(node)
    if isinstance(node, dict):
        return {_redacted(k, redact): _redacted(v, redact) for k, v in node.items()}
    if isinstance(node, list):
        return [_redacted(v, redact) for v in node]
    return node


def _is_secret(body: dict[str, Any] | None) -> bool:
    return (
        body is not None
        and body.get("kind") == "Secret"
        and "/" not in str(body.get("apiVersion", "v1"))
    )


def _mask_map(b: dict[str, Any] | None, a: dict[str, Any] | None, field: str) -> None:
    old = b.get(field) if b is not None and isinstance(b.get(field), dict) else None
    new = a.get(field) if a is not None and isinstance(a.get(field), dict) else None
    if old is not None and b is not None:
        b[field] = {k: MASK for k in old}
    if new is not None and a is not None:
        a[field] = {
            k: MASK if old is not None and k in old and old[k] == v else MASK_CHANGED
            for k, v in new.items()
        }
        if old is None:
            a[field] = {k: MASK for k in new}


def _mask_sops(b: dict[str, Any] | None, a: dict[str, Any] | None) -> None:
    sops = any(x is not None and isinstance(x.get("sops"), dict) for x in (b, a))
    if not sops:
        return
    for x in (b, a):
        if x is not None and "sops" in x:
            x["sops"] = MASK  # its MAC and timestamps change on every edit
    _mask_both(b, a, lambda _, v: _encrypted(v))


def _mask_both(b: Any, a: Any, hidden: Callable[[Any, Any], bool]) -> None:
    """Each side's values that hidden(key, value) picks masked: the new side's says whether
    it changed. Each side is walked against the other, so a value only one side has is too."""
    if b is not None and a is not None:
        _mask_where(b, a, hidden)
    if b is not None:
        _mask_where(b, b, hidden)  # what the new side no longer has at that place
    if a is not None:
        _mask_where(a, a, hidden)


def _mask_where(b: Any, a: Any, hidden: Callable[[Any, Any], bool]) -> None:
    """Replace every value hidden picks in a (compared with b at the same place) by a mask."""
    if isinstance(a, dict):
        for k, v in a.items():
            old = b.get(k) if isinstance(b, dict) else None
            if hidden(k, v):
                a[k] = MASK if old == v else MASK_CHANGED
                if isinstance(b, dict) and hidden(k, old) and b is not a:
                    b[k] = MASK
            else:
                _mask_where(old, v, hidden)
    elif isinstance(a, list):
        for i, v in enumerate(a):
            old = b[i] if isinstance(b, list) and i < len(b) else None
            if hidden(i, v):
                a[i] = MASK if old == v else MASK_CHANGED
                if isinstance(b, list) and hidden(i, old) and b is not a:
                    b[i] = MASK
            else:
                _mask_where(old, v, hidden)


def _encrypted(v: Any) -> bool:
    return isinstance(v, str) and v.startswith("ENC[")
