"""Scaffolding: `gitops-gate init`, a new GitOps repository from the bundled Copier template."""
