"""gitops-gate: keeps a GitOps repository honest from the first commit to the running cluster."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
