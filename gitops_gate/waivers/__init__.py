"""Waivers: exempt one rule for one resource, with a reason and an expiry, and say so."""

from __future__ import annotations

from gitops_gate.waivers.apply import CHECK_RULES, DEFAULT_MAX_DAYS, apply_waivers
from gitops_gate.waivers.model import ANNOTATION, CHECK, WAIVERS_FILE, WaiverRule

__all__ = [
    "ANNOTATION",
    "CHECK",
    "CHECK_RULES",
    "DEFAULT_MAX_DAYS",
    "WAIVERS_FILE",
    "WaiverRule",
    "apply_waivers",
]
