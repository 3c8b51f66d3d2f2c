"""`promotion:` what an environment requires of the images promoted into it, and PR labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gitops_gate.config.reader import Reader


@dataclass(frozen=True, slots=True)
class Requirement:
    """`promotion.requires.<env>`: release tags only, and only what other environments ran."""

    release_tags: bool = False  # a semver tag without pre-release (-rc, -dev) or a digest
    ran_in: tuple[str, ...] = ()  # environments that must run the same version at the base ref

    @classmethod
    def parse(cls, read: Reader) -> Requirement:
        return cls(read.flag("releaseTags", False), read.strings("ranIn") or ())


@dataclass(frozen=True, slots=True)
class PromotionSection:
    """`promotion:` per-environment requirements, checked before anything is written, and the
    labels a pull request opened with `--open-pr` gets (so the PR check and approvals follow)."""

    requires: MappingProxyType[str, Requirement] = field(
        default_factory=lambda: MappingProxyType({})
    )
    labels: tuple[str, ...] = ()

    @classmethod
    def parse(cls, read: Reader) -> PromotionSection:
        envs: dict[str, Any] = read.mapping("requires")
        rules = read.section("requires")
        requires = MappingProxyType({env: Requirement.parse(rules.section(env)) for env in envs})
        return cls(requires, read.strings("labels") or ())

    def requirement(self, env: str) -> Requirement:
        return self.requires.get(env, Requirement())
