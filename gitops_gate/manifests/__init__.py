"""Manifests: files in a repo turned into Resources that remember where they came from."""
