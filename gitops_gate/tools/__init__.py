"""The pinned toolchain: pins, the resolver, the installer and the doctor."""

from __future__ import annotations

from gitops_gate.tools.doctor import DoctorRow, doctor
from gitops_gate.tools.install import InstallResult, install
from gitops_gate.tools.pins import PINS, Pin
from gitops_gate.tools.resolve import ResolvedTool, cache_dir, find, resolve

__all__ = [
    "PINS",
    "DoctorRow",
    "InstallResult",
    "Pin",
    "ResolvedTool",
    "cache_dir",
    "doctor",
    "find",
    "install",
    "resolve",
]
