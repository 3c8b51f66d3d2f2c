"""Environments from Argo CD: what ApplicationSet elements name, else each app-of-apps root."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.config.appset import Generated, Params, expand, is_appset
from gitops_gate.config.found import ARGO_ROOT, Found, appset_rule
from gitops_gate.config.naming import STAGES, clean, distinguish
from gitops_gate.config.trees import Repo, Tree
from gitops_gate.manifests.gitops import ArgoApplication
from gitops_gate.manifests.kustomization import join
from gitops_gate.manifests.model import Resource

# Parameters whose value names the environment an ApplicationSet element deploys to.
_ENV_KEYS = ("environment", "env", "stage", "cluster", "clusterName")
_ENV_FOLDERS = frozenset({"clusters", "environments", "envs", "stages", "overlays"})


@dataclass(frozen=True, slots=True)
class App:
    """An Application in the repo, or one an ApplicationSet element would make."""

    name: str
    file: str  # where it is written: its own file, or the ApplicationSet's
    rule: str
    where: str
    paths: tuple[str, ...]  # repo folders it deploys from
    tree: Tree
    key: str | None = None  # the environment its generator element names
    appset: str | None = None


def argo_environments(
    resources: list[Resource], repo: Repo, root: Path
) -> tuple[list[Found], list[str]]:
    apps, notices = _apps(resources, repo, root)
    parents = _parents(apps)
    envs = _assign(apps, parents)
    return _found(apps, parents, envs), notices


def _apps(resources: list[Resource], repo: Repo, root: Path) -> tuple[list[App], list[str]]:
    clusters = [c for r in resources if (c := cluster_secret(r.body)) is not None]
    out: list[App] = []
    notices: list[str] = []
    for r in resources:
        app = ArgoApplication.of(r.body)
        if app is not None:
            where = f"{r.path}:{r.line_of('/spec')} (Application {app.id})"
            out.append(_app(r.path, ARGO_ROOT, where, app, r.body, repo))
        elif is_appset(r.body):
            made, found = expand(r, repo, root, clusters)
            notices += found
            out += [a for g in made if (a := _generated(r, g, repo)) is not None]
    return out, notices


def _app(
    file: str,
    rule: str,
    where: str,
    app: ArgoApplication,
    body: dict[str, Any],
    repo: Repo,
    key: str | None = None,
    appset: str | None = None,
) -> App:
    paths = tuple(
        p
        for p in (join(PurePosixPath("."), s) for s in app.paths if "{{" not in s)
        if p in repo.folders
    )
    recurse = _recurse(body)
    files: set[str] = set()
    roots: set[str] = set()
    for p in paths:
        tree = repo.deploys(p, recurse=recurse or repo.is_chart(p))
        files |= tree.files
        roots |= set(tree.roots)
    tree = Tree(frozenset(files), tuple(sorted(roots)))
    return App(app.name, file, rule, where, paths, tree, key, appset)


def _generated(r: Resource, g: Generated, repo: Repo) -> App | None:
    app = ArgoApplication.of(g.body)
    if app is None:
        return None
    element = f"{g.generator} element {g.index}"
    where = f"{r.path}:{r.line_of(g.pointer)} (ApplicationSet {g.appset}, {element})"
    return _app(r.path, appset_rule(g.generator), where, app, g.body, repo, env_key(g), g.appset)


def env_key(g: Generated) -> str | None:
    """The environment a generator element names, if it names one (as a valid name)."""
    key = _named(g)
    return clean(key) if key else None


def _named(g: Generated) -> str | None:
    params = g.params
    for key in _ENV_KEYS:
        for k, v in params.items():
            if (k == key or k.endswith("." + key)) and v and "{{" not in v:
                return v
    if g.generator == "clusters":
        return params.get("name") or None
    folder = params.get("path", "")
    parts = folder.split("/")
    if g.generator.startswith("git") and (
        parts[-1].lower() in STAGES or (len(parts) > 1 and parts[-2] in _ENV_FOLDERS)
    ):
        return parts[-1]
    return next((v for v in params.values() if v.lower() in STAGES), None)


def _parents(apps: list[App]) -> dict[int, set[int]]:
    """i -> the apps whose trees hold the file i is written in."""
    out: dict[int, set[int]] = defaultdict(set)
    by_file: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(apps):
        by_file[a.file].append(i)
    for p, a in enumerate(apps):
        for f in a.tree.files:
            for i in by_file.get(f, ()):
                if i != p and (apps[i].appset is None or apps[i].appset != a.appset):
                    out[i].add(p)
    return out


def _assign(apps: list[App], parents: dict[int, set[int]]) -> dict[int, set[str]]:
    """Each app's environments: its element's, else its parents'; with no element naming one
    anywhere, each root Application is an environment, named by what sets its path apart."""
    envs: dict[int, set[str]] = {i: {a.key} for i, a in enumerate(apps) if a.key}
    if not envs:
        roots = [i for i in range(len(apps)) if not parents.get(i) and apps[i].paths]
        names = (
            distinguish([apps[i].paths[0] for i in roots], [apps[i].name for i in roots])
            if roots
            else []
        )
        envs = {i: {n} for i, n in zip(roots, names, strict=True)}
    children: dict[int, set[int]] = defaultdict(set)
    for i, ps in parents.items():
        for p in ps:
            children[p].add(i)
    todo = list(envs)
    while todo:
        p = todo.pop()
        for c in children[p]:
            if apps[c].key:
                continue
            before = len(envs.setdefault(c, set()))
            envs[c] |= envs[p]
            if len(envs[c]) != before:
                todo.append(c)
    return envs


def _found(apps: list[App], parents: dict[int, set[int]], envs: dict[int, set[str]]) -> list[Found]:
    """Per environment: the paths of the apps that enter it (no parent in it) and everything
    its apps deploy; named after the first app that enters it."""
    out: dict[str, Found] = {}
    for i in sorted(envs, key=lambda i: apps[i].where):
        a = apps[i]
        for name in sorted(envs[i]):
            entry = not any(name in envs.get(p, ()) for p in parents.get(i, ()))
            found = out.setdefault(name, Found(name, a.rule, ""))
            if entry:
                found.paths += [p for p in a.paths if p not in found.paths]
                if not found.where and a.paths:
                    found.rule, found.where = a.rule, a.where
            found.includes |= {*a.tree.roots, a.file}
    return [f for f in out.values() if f.paths]


def cluster_secret(body: dict[str, Any]) -> Params | None:
    """A cluster Argo CD knows from a Secret labelled argocd.argoproj.io/secret-type: cluster."""
    meta = body.get("metadata")
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if body.get("kind") != "Secret" or not isinstance(labels, dict):
        return None
    if labels.get("argocd.argoproj.io/secret-type") != "cluster":
        return None
    data = body.get("stringData")
    data = data if isinstance(data, dict) else {}
    out = {k: str(data[k]) for k in ("name", "server") if isinstance(data.get(k), str)}
    out.update({f"metadata.labels.{k}": str(v) for k, v in labels.items()})
    return out if "name" in out else None


def _recurse(body: dict[str, Any]) -> bool:
    spec = body.get("spec")
    source = spec.get("source") if isinstance(spec, dict) else None
    directory = source.get("directory") if isinstance(source, dict) else None
    return bool(isinstance(directory, dict) and directory.get("recurse"))
