"""Schema validation: kubeconform or the built-in validator, over Kubernetes' schemas and CRDs."""

from __future__ import annotations

from gitops_gate.validate.options import ValidateOptions, from_config
from gitops_gate.validate.run import Summary, schema_findings, validate_resources

__all__ = ["Summary", "ValidateOptions", "from_config", "schema_findings", "validate_resources"]
