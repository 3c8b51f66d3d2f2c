"""Renders many environments at once, one per core, each distinct input only once."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from gitops_gate.render.backend import Renderer, RenderSettings
from gitops_gate.render.cache import RenderCache, file_ids, input_key
from gitops_gate.render.environment import Target, render_environment
from gitops_gate.render.model import RenderedEnv


def key_of(target: Target, renderer: Renderer, settings: RenderSettings) -> str:
    files = target.graph.inputs(target.env.name)
    env = json.dumps({"name": target.env.name, "paths": list(target.env.paths)})
    src = target.source
    ids = src.ids(files) if src is not None else file_ids(target.root, files)
    return input_key(files, ids, renderer.version(), settings.key(), env)


def render_many(
    targets: Sequence[Target],
    renderer: Renderer,
    settings: RenderSettings,
    *,
    cache: RenderCache | None = None,
    on_done: Callable[[str], None] | None = None,
) -> list[RenderedEnv]:
    """One RenderedEnv per target, in order; targets with the same inputs share one render."""
    keys = [key_of(t, renderer, settings) for t in targets]
    results: dict[str, RenderedEnv] = {}
    todo: dict[str, Target] = {}
    for key, t in zip(keys, targets, strict=True):
        if key in results or key in todo:
            continue
        hit = cache.get(key, t.env.name) if cache is not None else None
        if hit is not None:
            results[key] = hit
        else:
            todo[key] = t
    # One more thread than cores: while one parses kustomize's output (holding the GIL),
    # the others keep a kustomize process running on every core.
    workers = max(1, min(len(todo), (os.cpu_count() or 1) + 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            k: pool.submit(render_environment, t, renderer, settings) for k, t in todo.items()
        }
        for key, fut in futures.items():
            rendered = fut.result()
            rendered.key = key
            if cache is not None and not any(f.rule == "render-timeout" for f in rendered.findings):
                cache.put(rendered)
            results[key] = rendered
            if on_done is not None:
                on_done(rendered.name)
    return [_copy_for(results[k], t) for k, t in zip(keys, targets, strict=True)]


def _copy_for(rendered: RenderedEnv, target: Target) -> RenderedEnv:
    # Objects are shared between targets with the same inputs: readers never mutate them.
    return RenderedEnv(
        target.env.name,
        rendered.objects,
        list(rendered.findings),
        rendered.key,
        rendered.cached,
    )
