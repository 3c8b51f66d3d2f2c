"""Configuration: `.gitops-gate.yaml`, validated against a shipped schema, or discovered."""

from __future__ import annotations

from gitops_gate.config.load import find_root, load_config
from gitops_gate.config.model import CONFIG_NAME, Config, Environment

__all__ = ["CONFIG_NAME", "Config", "Environment", "find_root", "load_config"]
