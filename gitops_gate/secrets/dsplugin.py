"""detect-secrets extensions for GitOps: the rules.py plugin, and a filter for references.

detect-secrets loads a custom plugin from a file (`path: file://...` in its settings) and finds
it among the file's module attributes; its filters it finds by import path
(`gitops_gate.secrets.dsplugin.is_reference`). Only detect-secrets' loader imports this module,
so the plugin class is built when it does (detect-secrets is a heavy import: lazy_imports.py).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from gitops_gate.secrets.context import KEYWORD_KINDS, names_a_reference, reference_value
from gitops_gate.secrets.rules import COMPILED, KIND, RULES, entropy


def _plugin_class() -> type[Any]:
    from detect_secrets.plugins.base import RegexBasedDetector

    class GitOpsCredentialDetector(RegexBasedDetector):
        """Credentials under keys that name one, and passwords in URLs (rules.py)."""

        secret_type = KIND
        denylist = COMPILED

        def analyze_string(self, string: str) -> Generator[str, None, None]:
            # The screen (screen.py) asks only about lines one of the denylist matches.
            for rule, regex in zip(RULES, self.denylist, strict=True):
                for match in regex.finditer(string):
                    if entropy(match.group(1)) >= rule.entropy:
                        yield match.group(1)

    return GitOpsCredentialDetector


GitOpsCredentialDetector = _plugin_class()


def is_reference(secret: str, line: str, plugin: Any) -> bool:
    """A keyword hit whose key names where a secret is, or whose value says where
    (op://, ${VAR}, {{ .x }}) or is no secret (true, 8080): context.judge's first question as
    a detect-secrets filter, so such hits never leave its scan."""
    if getattr(plugin, "secret_type", None) not in KEYWORD_KINDS:
        return False
    return names_a_reference(line) or reference_value(secret)
