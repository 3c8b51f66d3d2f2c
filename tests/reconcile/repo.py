"""A GitOps repository for reconciler tests: one environment per test, its objects in git."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import git
import yaml

from tests.helpers.manifests import deployment
from tests.helpers.tree import TESTER, commit, make_repo

IMAGE = "registry.example.com/shop/web:1.0.0"


def config(env: str, **keys: object) -> str:
    """A .gitops-gate.yaml with the one environment env under envs/env."""
    spec = {"paths": [f"envs/{env}"], "autoSync": True, **keys}
    return yaml.safe_dump({"environments": {env: spec}}, sort_keys=False)


def namespace(name: str) -> str:
    return f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n"


def configmap(name: str, ns: str, data: Mapping[str, str], annotations: str = "") -> str:
    meta = f"{{name: {name}, namespace: {ns}{annotations}}}"
    body = yaml.safe_dump({"data": dict(data)})
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {meta}\n{body}"


def shop(ns: str, image: str = IMAGE) -> str:
    return deployment(image).replace("namespace: shop", f"namespace: {ns}")


def env_repo(root: Path, env: str, files: Mapping[str, str], **keys: object) -> git.Repo:
    """A repository with env's files (relative to envs/env) committed."""
    tree = {".gitops-gate.yaml": config(env, **keys)}
    tree |= {f"envs/{env}/{rel}": text for rel, text in files.items()}
    return make_repo(root, tree)


def change(repo: git.Repo, env: str, files: Mapping[str, str | None]) -> str:
    """Commit env's files (None deletes one); the new sha."""
    gone = [f"envs/{env}/{rel}" for rel, text in files.items() if text is None]
    if gone:
        repo.index.remove(gone, working_tree=True)
    kept = {f"envs/{env}/{rel}": t for rel, t in files.items() if t is not None}
    if kept:
        return commit(repo, kept, "change")
    return repo.index.commit("remove", author=TESTER, committer=TESTER).hexsha
