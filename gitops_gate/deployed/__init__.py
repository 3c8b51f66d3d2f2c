"""Policies on what environments deploy: render what a change reaches, place findings at source."""

from __future__ import annotations

from gitops_gate.deployed.evaluate import on_deployed

__all__ = ["on_deployed"]
