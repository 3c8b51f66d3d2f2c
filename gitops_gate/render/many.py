"""Renders many environments at once, one per core, each distinct input only once."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from gitops_gate.render.backend import Renderer, RenderSettings
from gitops_gate.render.cache import RenderCache, file_ids, input_key
from gitops_gate.render.environment import Target, render_environment
from gitops_gate.render.model import RenderedEnv


def key_of(
    target: Target, renderer: Renderer, settings: RenderSettings, files: list[str] | None = None
) -> str:
    """A hash of target's input files (files: those already looked up), tool and settings."""
    files = target.graph.inputs(target.env.name) if files is None else files
    env = json.dumps({"name": target.env.name, "paths": list(target.env.paths)})
    src = target.source
    ids = src.ids(files) if src is not None else file_ids(target.root, files)
    return input_key(files, ids, renderer.version(), settings.key(), env)


class RenderQueue:
    """Renders targets as they are handed in, so the first builds start while the caller
    still works out the rest (the graph of another ref, say); same inputs render once."""

    def __init__(
        self,
        renderer: Callable[[], Renderer],
        settings: RenderSettings,
        *,
        cache: RenderCache | None = None,
        on_done: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.on_done = on_done
        # One more thread than cores: while one parses kustomize's output (holding the GIL),
        # the others keep a kustomize process running on every core.
        self.pool = ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1)
        # Finding the renderer runs `kustomize version`: it runs while the caller goes on.
        self._renderer = self.pool.submit(renderer)
        self.pending: dict[str, Future[RenderedEnv]] = {}
        self.done: dict[str, RenderedEnv] = {}

    @property
    def renderer(self) -> Renderer:
        """The renderer; raises what finding it raised (a missing tool)."""
        return self._renderer.result()

    def __enter__(self) -> RenderQueue:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, target: Target) -> str:
        """Start rendering target unless its inputs are cached or already on their way; its key."""
        files = target.graph.inputs(target.env.name)
        key = key_of(target, self.renderer, self.settings, files)
        if key in self.done or key in self.pending:
            return key
        hit = self.cache.get(key, target.env.name) if self.cache is not None else None
        if hit is not None:
            self.done[key] = hit
            return key
        if target.source is not None:
            # Written here rather than in the worker: a thread that must take the GIL back
            # after every file write waits out the caller's turns, and the build starts late.
            target.source.write(files)
        self.pending[key] = self.pool.submit(self._render, key, target)
        return key

    def result(self, key: str, target: Target) -> RenderedEnv:
        """What target (submitted under key) renders to, waiting for it if need be."""
        if key not in self.done:
            rendered = self.done[key] = self.pending.pop(key).result()
            if self.on_done is not None:
                self.on_done(rendered.name)
        return _copy_for(self.done[key], target)

    def _render(self, key: str, target: Target) -> RenderedEnv:
        rendered = render_environment(target, self.renderer, self.settings)
        rendered.key = key
        if self.cache is not None and not any(
            f.rule == "render-timeout" for f in rendered.findings
        ):
            self.cache.put(rendered)
        return rendered


def render_many(
    targets: Sequence[Target],
    renderer: Renderer,
    settings: RenderSettings,
    *,
    cache: RenderCache | None = None,
    on_done: Callable[[str], None] | None = None,
) -> list[RenderedEnv]:
    """One RenderedEnv per target, in order; targets with the same inputs share one render."""
    with RenderQueue(lambda: renderer, settings, cache=cache, on_done=on_done) as queue:
        keys = [queue.submit(t) for t in targets]
        return [queue.result(k, t) for k, t in zip(keys, targets, strict=True)]


def _copy_for(rendered: RenderedEnv, target: Target) -> RenderedEnv:
    # Objects are shared between targets with the same inputs: readers never mutate them.
    return RenderedEnv(
        target.env.name,
        rendered.objects,
        list(rendered.findings),
        rendered.key,
        rendered.cached,
    )
