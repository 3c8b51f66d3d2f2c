"""`gitops-gate demo`: the whole loop, scaffold to audit, in a temporary folder."""
