"""Git refs without touching the user's work tree: refs, changed files, worktrees, object reads."""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.errors import EnvironmentProblem, ToolError, UsageError
from gitops_gate.git import git

ZERO_SHA = "0" * 40


@dataclass(frozen=True, slots=True)
class Repo:
    """A repository by its work tree's top folder."""

    top: Path

    def git(self, *args: str, stdin: bytes | None = None, index: bool = False) -> bytes:
        return git(self.top, *args, stdin=stdin, index=index).stdout


def open_repo(root: Path) -> Repo:
    """The repository root is in; a folder outside any repository is a usage error."""
    if not root.is_dir():
        raise UsageError(f"{root} is not inside a git repository", hint="run it in a clone")
    try:
        out = git(root, "rev-parse", "--show-toplevel").stdout
    except ToolError as e:
        raise UsageError(f"{root} is not inside a git repository", hint="run it in a clone") from e
    return Repo(Path(os.fsdecode(out.rstrip(b"\n"))))


def resolve(repo: Repo, ref: str) -> str:
    """The commit sha ref names; a ref that does not exist is a usage error (exit 2)."""
    return resolve_all(repo, [ref])[0]


def resolve_all(repo: Repo, refs: list[str]) -> list[str]:
    """The commit shas refs name, in one git run (names go on stdin: none is an option)."""
    if any("\n" in r or "\0" in r or not r.strip() for r in refs):
        bad = next(r for r in refs if "\n" in r or "\0" in r or not r.strip())
        raise UsageError(f"ref {bad!r} does not exist", hint="fetch it or check the name")
    query = "".join(f"{r}^{{commit}}\n" for r in refs).encode()
    out = repo.git("cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=query)
    shas = []
    for ref, line in zip(refs, out.decode(errors="replace").splitlines(), strict=True):
        sha, _, kind = line.partition(" ")
        if kind != "commit":
            raise UsageError(f"ref {ref!r} does not exist", hint="fetch it or check the name")
        shas.append(sha)
    return shas


def changed_files(repo: Repo, base: str, head: str) -> list[str]:
    """Files added, modified, deleted or renamed between two commits (both names of a rename)."""
    out = repo.git("diff-tree", "-r", "-z", "--no-renames", "--name-only", base, head)
    return _names(out)


def staged_files(repo: Repo) -> list[str]:
    """Files the next commit adds, changes or deletes, from the index git handed our hook."""
    return _names(repo.git("diff", "--cached", "--name-only", "-z", "--no-renames", index=True))


def unstaged_files(repo: Repo) -> set[str]:
    """Files whose working-tree version differs from the index."""
    return set(_names(repo.git("diff", "--name-only", "-z", index=True)))


def push_base(repo: Repo, remote: str, local_sha: str, remote_sha: str) -> str | None:
    """The commit a pushed ref is compared with: the remote's tip, else where it forked.

    None when the pushed history shares nothing with the remote (its first push).
    """
    if remote_sha != ZERO_SHA and _exists(repo, remote_sha):
        return remote_sha
    new = repo.git("rev-list", "--reverse", local_sha, "--not", f"--remotes={remote}").split()
    if not new:
        return local_sha  # every pushed commit is already on the remote
    parent = git(repo.top, "rev-parse", "--verify", "--quiet", f"{new[0].decode()}^",
                 ok_codes=(0, 1))  # fmt: skip
    return parent.stdout.decode().strip() or None


def _exists(repo: Repo, sha: str) -> bool:
    done = git(repo.top, "cat-file", "-e", f"{sha}^{{commit}}", ok_codes=(0, 1, 128))
    return done.returncode == 0


def hooks_dir(repo: Repo) -> Path:
    """Where git looks for the user's hooks (honours core.hooksPath and worktrees)."""
    out = git(repo.top, "rev-parse", "--path-format=absolute", "--git-path", "hooks",
              user_hooks=True).stdout  # fmt: skip
    return Path(os.fsdecode(out.strip()))


def _names(out: bytes) -> list[str]:
    return sorted({os.fsdecode(p) for p in out.split(b"\0") if p})


@contextmanager
def worktree(repo: Repo, sha: str) -> Iterator[Path]:
    """A detached checkout of sha in a temp folder, removed afterwards whatever happens.

    The user's hooks never run for it (a post-checkout hook would otherwise fire): git()
    points core.hooksPath at an empty folder.
    """
    tmp = Path(tempfile.mkdtemp(prefix="gitops-gate-wt-"))
    path = tmp / "repo"  # alone in a private (0700), randomly named folder: see snapshot()
    try:
        try:
            repo.git("worktree", "add", "--detach", "--quiet", str(path), sha)
        except ToolError as e:
            raise EnvironmentProblem(f"git worktree add failed: {e.stderr.strip()}") from e
        yield path
    finally:
        try:
            repo.git("worktree", "remove", "--force", str(path))
        except ToolError:
            # The folder goes first whatever git says (a signal may have stopped it, and the
            # checkout may hold plaintext Secrets); prune then forgets a worktree with no folder.
            shutil.rmtree(tmp, ignore_errors=True)
            with suppress(ToolError):
                repo.git("worktree", "prune")
        shutil.rmtree(tmp, ignore_errors=True)


SYMLINK, SUBMODULE = "120000", "160000"


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of a commit: its git mode and blob sha."""

    mode: str
    sha: str


def tree_files(repo: Repo, sha: str, sub: str = "") -> dict[str, Entry]:
    """Every file of commit sha under the folder sub (paths relative to it), from tree objects."""
    treeish = f"{sha}:{sub}" if sub not in ("", ".") else sha
    try:
        out = repo.git("ls-tree", "-r", "-z", treeish)
    except ToolError as e:
        raise EnvironmentProblem(f"git ls-tree {treeish} failed: {e.stderr.strip()}") from e
    files = {}
    for line in out.split(b"\0"):
        meta, _, path = line.partition(b"\t")
        if path:
            mode, _kind, blob = meta.split()
            files[os.fsdecode(path)] = Entry(mode.decode(), blob.decode())
    return files


def changed_between(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """Paths added, modified (content or mode), deleted, or renamed (both names) between two."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


class Blobs:
    """Blob contents by sha, read in bulk from the object store and kept for the run."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.data: dict[str, bytes] = {}
        self.lock = threading.Lock()

    def read(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of shas; one `git cat-file --batch` for all those not read before."""
        with self.lock:
            want = sorted({s for s in shas if s not in self.data})
            if want:
                self.data.update(self._batch(want))
            return {s: self.data[s] for s in shas}

    def _batch(self, shas: list[str]) -> dict[str, bytes]:
        raw = self.repo.git("cat-file", "--batch", stdin=("\n".join(shas) + "\n").encode())
        out, i = {}, 0
        for sha in shas:
            end = raw.index(b"\n", i)
            header = raw[i:end].split()
            if len(header) != 3:
                raise EnvironmentProblem(f"git cat-file: object {sha} is missing")
            size = int(header[2])
            out[sha] = raw[end + 1 : end + 1 + size]
            i = end + 2 + size
        return out


def read_at(repo: Repo, sha: str, paths: Iterable[str]) -> dict[str, bytes]:
    """The committed bytes of files (repo-relative) at commit sha, in one `git cat-file`;
    a path the commit has no file at is left out. Nothing is checked out."""
    wanted = sorted({p for p in paths if p and "\n" not in p and "\0" not in p})
    if not wanted:
        return {}
    query = "".join(f"{sha}:{p}\n" for p in wanted).encode()
    raw = repo.git("cat-file", "--batch", stdin=query)
    out, i = {}, 0
    for path in wanted:
        end = raw.index(b"\n", i)
        header = raw[i:end].split()
        if len(header) != 3:  # "<name> missing", or ambiguous
            i = end + 1
            continue
        size = int(header[2])
        if header[1] == b"blob":
            out[path] = raw[end + 1 : end + 1 + size]
        i = end + 2 + size
    return out


class Snapshot:
    """A commit's files under a folder, written into a temp folder only as far as needed.

    The folder starts as a skeleton: every directory, plus the files that decide how the
    others are read (the config, .gitignore, Chart.yaml). Files are added on demand from the
    object store, never from a checkout, so nothing in the user's repo changes.
    """

    SKELETON = frozenset({".gitignore", "Chart.yaml"})

    def __init__(self, root: Path, files: dict[str, Entry], blobs: Blobs, config: str) -> None:
        self.root = root
        self.files = files
        self.blobs = blobs
        self.written: set[str] = set()
        self.complete = False
        self.lock = threading.Lock()
        self._skeleton(config)

    def _skeleton(self, config: str) -> None:
        dirs = {"."}
        for rel, e in self.files.items():
            d = posixpath.dirname(rel) if e.mode != SUBMODULE else "."
            while d and d not in dirs:  # a folder already in has all its parents in too
                dirs.add(d)
                d = posixpath.dirname(d)
        for d in sorted(dirs):
            (self.root / d).mkdir(exist_ok=True)
        for rel, e in self.files.items():
            if e.mode == SUBMODULE:
                (self.root / rel).mkdir(exist_ok=True)  # as a checkout leaves it: empty
        self.write(r for r in self.files if r == config or r.rpartition("/")[2] in self.SKELETON)

    def ids(self, rels: Iterable[str]) -> list[str | None]:
        return [e.sha if (e := self.files.get(r)) is not None else None for r in rels]

    def read(self, rels: Iterable[str]) -> dict[str, bytes]:
        """The committed bytes of rels (a symlink's are its target path)."""
        wanted = {r: self.files[r].sha for r in rels if r in self.files}
        data = self.blobs.read(wanted.values())
        return {r: data[sha] for r, sha in wanted.items()}

    def write(self, rels: Iterable[str]) -> None:
        """Put rels (files of the commit; others are ignored) on disk, each once."""
        with self.lock:
            todo = [r for r in rels if r in self.files and r not in self.written]
            todo = [r for r in todo if self.files[r].mode != SUBMODULE]
            for rel, data in self.read(todo).items():
                self._put(rel, data, self.files[rel].mode)
                self.written.add(rel)

    def write_all(self) -> None:
        if not self.complete:
            self.write(self.files)
            self.complete = True

    def covers(self, rel_dir: str) -> bool:
        """True when every file of the commit under rel_dir is on disk."""
        if self.complete:
            return True
        prefix = "" if rel_dir in ("", ".") else rel_dir.rstrip("/") + "/"
        with self.lock:
            return all(
                r in self.written or e.mode == SUBMODULE
                for r, e in self.files.items()
                if r.startswith(prefix)
            )

    def _put(self, rel: str, data: bytes, mode: str) -> None:
        path = self.root / rel
        if mode == SYMLINK:
            path.symlink_to(os.fsdecode(data))
            return
        path.write_bytes(data)
        if mode == "100755":
            path.chmod(0o755)


@contextmanager
def snapshot(
    repo: Repo, sha: str, sub: str = "", *, blobs: Blobs | None = None, config: str = ""
) -> Iterator[Snapshot]:
    """sha's files under sub as a Snapshot in a temp folder, removed afterwards whatever happens."""
    # The files sit alone in a private (0700), randomly named folder: `..` from the top leads
    # to an empty folder, never to the other ref's snapshot or a path a PR could predict.
    tmp = Path(tempfile.mkdtemp(prefix="gitops-gate-snap-"))
    try:
        root = tmp / "repo"
        root.mkdir()
        files = tree_files(repo, sha, sub)
        yield Snapshot(root, files, blobs or Blobs(repo), config)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
