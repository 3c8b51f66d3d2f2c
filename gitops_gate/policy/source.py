"""Policy files: the built-in library plus a repo's own policies/, from the work tree or a ref."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitops_gate import gitrefs
from gitops_gate._bundled import bundled
from gitops_gate.errors import ConfigError, UsageError
from gitops_gate.policy.repofiles import read_policy, rego_files

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)", re.MULTILINE)
# conftest's own test of a rule name, ^(deny|violation|warn)(_[a-zA-Z0-9]+)*$; a function
# (a name followed by its arguments) is no result rule.
_RESULT_RULE = re.compile(
    r"^[ \t]*((?:deny|warn|violation)(?:_[a-zA-Z0-9]+)*)\b(?!\s*\()", re.MULTILINE
)
USER_DIR = "policies"


@dataclass(frozen=True, slots=True)
class PolicyFile:
    """One .rego module: where it came from (for messages) and its text."""

    path: str
    text: str
    origin: str  # "builtin" or "repo"

    @property
    def package(self) -> str:
        match = _PACKAGE.search(self.text)
        if match is None:
            raise ConfigError(self.path, 1, "this Rego file has no package line")
        return match.group(1)

    @property
    def result_rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_RESULT_RULE.findall(self.text)))


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every module an engine loads, in a stable order."""

    files: tuple[PolicyFile, ...]
    ref: str | None = None
    # conftest's --namespace globs (`*` crosses dots); None: every namespace.
    namespaces: tuple[str, ...] | None = None

    def entrypoints(self) -> list[tuple[str, str]]:
        """(package, rule) for every deny/warn/violation rule of the chosen namespaces, once."""
        seen: dict[tuple[str, str], None] = {}
        for f in self.files:
            if self.namespaces is not None and not any(
                fnmatch.fnmatchcase(f.package, glob) for glob in self.namespaces
            ):
                continue
            for rule in f.result_rules:
                seen[(f.package, rule)] = None
        return list(seen)

    def repo_files(self) -> dict[str, str]:
        return {f.path: f.text for f in self.files if f.origin == "repo"}


def is_test(name: str) -> bool:
    return name.endswith("_test.rego")


def builtin_files() -> list[PolicyFile]:

    base = bundled("policies")
    return [
        PolicyFile(f"<builtin>/{p.relative_to(base).as_posix()}", p.read_text(), "builtin")
        for p in sorted(base.rglob("*.rego"))
        if not is_test(p.name)
    ]


def load_policies(
    root: Path,
    *,
    ref: str | None = None,
    user_dirs: tuple[str, ...] = (USER_DIR,),
    builtin: bool = True,
) -> PolicySet:
    """The built-in library and the repo's policies; with ref, the repo's come from that commit.

    Reading from a ref uses git object reads only, so a pull request cannot weaken the policies
    it is checked against, and the work tree is never touched.
    """
    files = builtin_files() if builtin else []
    for rel in user_dirs:
        files += _from_ref(root, rel, ref) if ref else _from_tree(root, rel)
    return PolicySet(tuple(files), ref)


def _from_tree(root: Path, rel: str) -> list[PolicyFile]:
    base = root / rel
    if not base.is_dir() or _is_bundled(base):
        return []
    return [
        PolicyFile(*read_policy(p, root), "repo")
        for p in rego_files(base, root)
        if not is_test(p.name)
    ]


def _is_bundled(base: Path) -> bool:

    return base.resolve() == bundled("policies").resolve()


def _from_ref(root: Path, rel: str, ref: str) -> list[PolicyFile]:
    """The .rego files under root/rel at ref, read from git objects (no checkout)."""
    try:
        repo = gitrefs.open_repo(root)
    except UsageError as e:
        raise UsageError(f"{root} is not in a git repository", hint="drop --base-ref") from e
    try:
        sha = gitrefs.resolve(repo, ref)
    except UsageError as e:
        raise UsageError(f"unknown git ref {ref!r}", hint="fetch it or fix the name") from e
    prefix = root.resolve().relative_to(repo.top.resolve()).as_posix()
    wanted = {
        name: entry
        for name, entry in gitrefs.tree_files(repo, sha, prefix).items()
        # The suffix first: pathlib on every file of a big repo is most of this read's time.
        if name.endswith(".rego") and PurePosixPath(name).is_relative_to(rel)
        and not is_test(name) and entry.mode != gitrefs.SUBMODULE
    }  # fmt: skip
    data = gitrefs.Blobs(repo).read([e.sha for e in wanted.values()])
    return [
        PolicyFile(name, data[wanted[name].sha].decode("utf-8", errors="replace"), "repo")
        for name in sorted(wanted)
    ]
