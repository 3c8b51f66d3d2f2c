"""Git hooks: installing them, and what a pre-commit or pre-push hook checks."""
