"""`audit import-git`: commits that reached an environment, read from git history as events.

Which environments a commit reached is asked of today's dependency graph (a file under
base/ reaches every environment that includes it): the history of the graph itself is not
replayed, so a file that has since moved is placed where its path now leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gitops_gate.audit.event import Actor, AuditEvent
from gitops_gate.config.model import Config
from gitops_gate.git import git, text
from gitops_gate.graph import build
from gitops_gate.graph.scan import scan

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = _RECORD + _FIELD.join(("%H", "%P", "%an <%ae>", "%cn <%ce>", "%aI", "%cI", "%G?", "%s"))
_PR = (
    re.compile(r"^Merge pull request #(\d+)\b"),  # a GitHub merge commit
    re.compile(r"\(#(\d+)\)\s*$"),  # a GitHub squash merge
    re.compile(r"^Merged in .*\(pull request #(\d+)\)"),  # Bitbucket
)
# What %G? says about a commit's signature.
SIGNATURE = {
    "G": "good",
    "B": "bad",
    "U": "good-unknown-validity",
    "X": "good-expired",
    "Y": "good-expired-key",
    "R": "good-revoked-key",
    "E": "unverifiable",
    "N": "none",
}


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    committer: str
    authored: str
    committed: str
    signature: str
    subject: str
    files: tuple[str, ...]

    @property
    def pr(self) -> int | None:
        """The pull request a merge or squash commit's subject names."""
        for pattern in _PR:
            found = pattern.search(self.subject)
            if found:
                return int(found.group(1))
        return None


def commits(root: Path, since: datetime | None = None) -> Iterator[Commit]:
    """Every commit reachable from HEAD, oldest first; a merge lists what it brought in
    (its diff against the first parent)."""
    argv = ["-c", "core.quotePath=false", "log", "--reverse", f"--format={_FORMAT}"]
    argv += ["--name-only", "--diff-merges=first-parent", "--no-renames"]
    if since:
        argv.append(f"--since={since.isoformat()}")
    for record in text(git(root, *argv, "HEAD", "--")).split(_RECORD)[1:]:
        head, _, names = record.partition("\n")
        sha, parents, author, committer, authored, committed, signed, subject = head.split(
            _FIELD, 7
        )
        files = tuple(n for n in names.splitlines() if n)
        yield Commit(
            sha,
            tuple(parents.split()),
            author,
            committer,
            authored,
            committed,
            signed,
            subject,
            files,
        )


def commit_events(config: Config, since: datetime | None = None) -> Iterator[AuditEvent]:
    """One event per commit and environment it reached; commits reaching none are left out."""
    graph = build(scan(config.root, config), config)
    names = [e.name for e in config.environments]
    for commit in commits(config.root, since):
        # Through the graph (base/ reaches what includes it), or under an environment's paths.
        reached = set(graph.affected_environments(commit.files))
        reached |= {e.name for rel in commit.files for e in config.environments_of(rel)}
        for env in sorted(reached, key=names.index):
            yield _event(commit, env)


def _event(commit: Commit, env: str) -> AuditEvent:
    links = {"commit": commit.sha}
    if commit.pr is not None:
        links["pr"] = f"#{commit.pr}"
    return AuditEvent(
        action="git.commit",
        result="info",
        actor=Actor(author=commit.author, committer=commit.committer),
        environment=env,
        revision=commit.sha,
        objects=commit.files[:500],
        reason=commit.subject,
        links=links,
        details={
            "parents": list(commit.parents),
            "merge": len(commit.parents) > 1,
            "pr": commit.pr,
            "authored": commit.authored,
            "committed": commit.committed,
            "signature": SIGNATURE.get(commit.signature, "unverifiable"),
            "files": len(commit.files),
        },
        time=datetime.fromisoformat(commit.committed),
        key=f"git.commit:{commit.sha}:{env}",
    )
