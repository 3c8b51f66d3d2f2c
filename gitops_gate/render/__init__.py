"""Rendering: kustomize (pinned or kubectl's) with safe settings, Flux post-build, a cache."""

from __future__ import annotations

from gitops_gate.render.backend import Renderer, RenderSettings
from gitops_gate.render.cache import RenderCache
from gitops_gate.render.environment import Target, render_environment
from gitops_gate.render.many import RenderQueue, render_many
from gitops_gate.render.model import RenderedEnv
from gitops_gate.render.registry import pick

__all__ = [
    "RenderCache",
    "RenderQueue",
    "RenderSettings",
    "RenderedEnv",
    "Renderer",
    "Target",
    "pick",
    "render_environment",
    "render_many",
]
