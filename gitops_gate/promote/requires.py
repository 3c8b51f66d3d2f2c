"""`promotion.requires`: a move an environment does not accept is refused before any write."""

from __future__ import annotations

import re

from gitops_gate.config.promotion import Requirement
from gitops_gate.errors import UsageError
from gitops_gate.promote.images import ImageRef, Wanted
from gitops_gate.promote.locate import Workspace, deployed

# semver 2.0 without a pre-release part (build metadata allowed), with an optional `v`.
_RELEASE = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(\+[0-9A-Za-z.-]+)?$")


class PromotionRefused(UsageError):
    """The target environment's `promotion.requires` rules out this move (exit 2)."""


def enforce(ws: Workspace, env: str, wanted: Wanted) -> None:
    """PromotionRefused naming the rule when env does not take wanted."""
    rule = ws.config.promotion.requirement(env)
    if rule.release_tags and wanted.digest is None and not _RELEASE.match(wanted.tag or ""):
        raise PromotionRefused(
            f"{env} takes only release tags or digests: {wanted.name}:{wanted.tag} is not one",
            hint="promote a semver release tag such as v1.2.0, or a digest (promotion.requires)",
        )
    for other in _missing_from(ws, rule, wanted):
        raise PromotionRefused(
            f"{env} takes only what {other} has run: {other} runs"
            f" {_shown(deployed(ws, other, wanted.name))}, not {wanted.version}",
            hint=f"promote it to {other} first (promotion.requires.{env}.ranIn)",
        )


def _missing_from(ws: Workspace, rule: Requirement, wanted: Wanted) -> list[str]:
    out = []
    for other in rule.ran_in:
        ref = deployed(ws, other, wanted.name)
        if ref is None or ref.version != wanted.version:
            out.append(other)
    return out


def _shown(ref: ImageRef | None) -> str:
    return "no such image" if ref is None else ref.version
