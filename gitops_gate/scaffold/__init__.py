"""Scaffolding and hooks: `gitops-gate init`, git hook installation, and what a hook checks."""
