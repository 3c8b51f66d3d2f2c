"""kustomize-controller's post-build step: variables from `substitute` and `substituteFrom`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any

import yaml

from gitops_gate.errors import ManifestError
from gitops_gate.findings import Finding, Severity
from gitops_gate.graph.gitops import FluxKustomization
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.yamlsafe import parse
from gitops_gate.render.substitute import VAR_NAME, substitute

DISABLED = "kustomize.toolkit.fluxcd.io/substitute"


def variables(
    fk: FluxKustomization, known: dict[ResourceKey, dict[str, Any]], where: tuple[str, int]
) -> tuple[dict[str, str] | None, list[Finding]]:
    """The variables fk substitutes (None: substitution does not run), and what is missing."""
    post = fk.spec.get("postBuild")
    if not isinstance(post, dict):
        return None, []
    found: dict[str, str] = {}
    findings = _shape_problems(fk, post, where)
    if findings:
        return None, findings
    for ref in post.get("substituteFrom") or []:
        if not isinstance(ref, dict):
            continue
        kind, name = str(ref.get("kind")), str(ref.get("name"))
        body = known.get(ResourceKey("", kind, fk.namespace, name))
        if body is None:
            if not ref.get("optional"):
                findings.append(
                    _finding(
                        fk,
                        where,
                        f"substituteFrom {kind}/{name} is not rendered"
                        " from this repository; its variables stay unresolved",
                    )
                )
            continue
        found.update(_data(body))
    for k, v in (post.get("substitute") or {}).items():
        found[str(k)] = str(v)
    found = {k: v.replace("\n", "") for k, v in found.items() if VAR_NAME.fullmatch(k)}
    if not found and post.get("substituteStrategy") != "Always":
        return None, findings
    return found, findings


def _shape_problems(
    fk: FluxKustomization, post: dict[str, Any], where: tuple[str, int]
) -> list[Finding]:
    """kustomize-controller refuses a postBuild whose substitute is not a mapping of strings or
    whose substituteFrom is not a list: so do we, before reading either."""
    wrong = []
    substitute = post.get("substitute")
    if substitute is not None and not isinstance(substitute, dict):
        wrong.append("postBuild.substitute is not a mapping of variable names to strings")
    elif isinstance(substitute, dict) and not all(
        isinstance(v, str | int | float | bool) for v in substitute.values()
    ):
        wrong.append("postBuild.substitute has a value that is not a string")
    if post.get("substituteFrom") is not None and not isinstance(post["substituteFrom"], list):
        wrong.append("postBuild.substituteFrom is not a list")
    return [
        Finding(
            "invalid-postbuild", Severity.ERROR, f"Kustomization {fk.id}: {w}", "render", *where
        )
        for w in wrong
    ]


def _data(body: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    for k, v in (data or {}).items():
        if body.get("kind") == "Secret":
            try:
                v = base64.b64decode(str(v), validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                continue  # SOPS-encrypted or not base64: no usable value here
        if isinstance(v, str) and not v.startswith("ENC["):
            out[str(k)] = v
    string_data = body.get("stringData") if body.get("kind") == "Secret" else None
    for k, v in (string_data or {}).items() if isinstance(string_data, dict) else ():
        if isinstance(v, str) and not v.startswith("ENC["):
            out[str(k)] = v
    return out


def apply(
    fk: FluxKustomization,
    objects: Iterable[dict[str, Any]],
    found: dict[str, str],
    where: tuple[str, int],
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """objects with variables substituted, and a finding per object with unresolved ones."""
    out, findings = [], []
    for body in objects:
        if _disabled(body):
            out.append(body)
            continue
        text = yaml.safe_dump(body, sort_keys=False)
        done = substitute(text, found)
        try:
            docs = [d.value for d in parse(done.text, where[0]) if isinstance(d.value, dict)]
        except ManifestError as e:
            msg = f"substitution broke {ResourceKey.of(body)}: {e.message}"
            findings.append(_finding(fk, where, msg))
            docs = [body]
        if done.missing:
            names = ", ".join(f"${{{n}}}" for n in sorted(set(done.missing)))
            shown = ResourceKey.of(docs[0]) if docs else ResourceKey.of(body)
            msg = f"{shown}: unresolved {names} (kustomize-controller's strict mode fails on it)"
            findings.append(_finding(fk, where, msg))
        out += docs
    return out, findings


def _disabled(body: dict[str, Any]) -> bool:
    meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    for field in ("labels", "annotations"):
        values = (meta or {}).get(field)
        if isinstance(values, dict) and values.get(DISABLED) == "disabled":
            return True
    return False


def _finding(fk: FluxKustomization, where: tuple[str, int], message: str) -> Finding:
    return Finding(
        "unresolved-variable",
        Severity.WARNING,
        f"Kustomization {fk.id}: {message}",
        "render",
        where[0],
        where[1],
    )
