"""What discovery found: one environment candidate, the rule that found it, and where."""

from __future__ import annotations

from dataclasses import dataclass, field

# How each environment was found, as `config show` names the rule.
CONFIG = "config"
FLUX_ROOT = "flux-root"
ARGO_ROOT = "argo-application"
CONVENTION = "folder-convention"


def appset_rule(generator: str) -> str:
    return f"applicationset-{generator}"


@dataclass(slots=True)
class Found:
    """An environment as one rule sees it; candidates of the same name are merged."""

    name: str
    rule: str
    where: str  # file:line and the object, for people
    paths: list[str] = field(default_factory=list)
    includes: set[str] = field(default_factory=set)
