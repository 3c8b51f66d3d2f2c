"""What a promotion did: the images moved, the patch, and where the commit went."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Move:
    """One image moved at one place (root-relative path and line)."""

    image: str
    old: str
    new: str
    path: str
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"image": self.image, "from": self.old, "to": self.new, "path": self.path,
                "line": self.line}  # fmt: skip


@dataclass(slots=True)
class Outcome:
    """The result of set-image, promote or revert, as the CLI prints it and the audit keeps it."""

    verb: str
    env: str
    base: str
    moves: list[Move] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    patch: str = ""
    branch: str | None = None
    commit: str | None = None
    pushed: bool = False
    pull_request: str | None = None
    source_env: str | None = None
    reverted: str | None = None

    def summary(self) -> str:
        if self.reverted:
            return f"revert {self.reverted[:12]} for {self.env}"
        moved = ", ".join(f"{m.image} {m.old} -> {m.new}" for m in self.moves)
        origin = f" from {self.source_env}" if self.source_env else ""
        return f"{self.verb} {self.env}{origin}: {moved}"

    def to_json(self) -> dict[str, Any]:
        return {
            "verb": self.verb,
            "environment": self.env,
            "from": self.source_env,
            "base": self.base,
            "moves": [m.to_json() for m in self.moves],
            "files": self.files,
            "reverted": self.reverted,
            "branch": self.branch,
            "commit": self.commit,
            "pushed": self.pushed,
            "pullRequest": self.pull_request,
            "patch": self.patch,
        }
