"""Promotion written back to Git: set-image, promote and revert as reviewable commits."""
