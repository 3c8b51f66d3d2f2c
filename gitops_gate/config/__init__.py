"""Configuration: `.gitops-gate.yaml`, validated against a shipped schema, or discovered."""

from __future__ import annotations

from gitops_gate.config.load import find_root, load_config, load_config_text
from gitops_gate.config.model import CONFIG_NAME, Config, Environment
from gitops_gate.config.sections import (
    DiffSection,
    EnginesSection,
    LimitsSection,
    PolicySection,
    SecretAllow,
    SecretsSection,
    ValidateSection,
    WindowsSection,
)

__all__ = [
    "CONFIG_NAME",
    "Config",
    "DiffSection",
    "EnginesSection",
    "Environment",
    "LimitsSection",
    "PolicySection",
    "SecretAllow",
    "SecretsSection",
    "ValidateSection",
    "WindowsSection",
    "find_root",
    "load_config",
    "load_config_text",
]
