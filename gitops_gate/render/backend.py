"""The Renderer protocol, its safe settings, and the environment every kustomize runs in."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gitops_gate.redact import REDACTED, Redactor

# A closed loopback port: a fetch that honours proxies fails at once even before the sandbox
# (gitops_gate.render.sandbox) makes any connection impossible.
_DEAD_PROXY = "http://127.0.0.1:9"


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """What a render may do. Plugins and exec functions are never enabled."""

    helm: bool = False
    timeout: float = 120.0

    def key(self) -> str:
        # `confined`: renders from before roots were screened and kustomize lost the network
        # may hold what a fetch returned; they are never reused.
        return f"helm={self.helm} confined=1"


class Renderer(Protocol):
    """Builds one kustomization folder into YAML text, or raises ToolError."""

    @property
    def name(self) -> str: ...

    def version(self) -> str: ...

    def build(self, folder: Path, *, settings: RenderSettings) -> str: ...


def safe_env(home: Path | None = None) -> dict[str, str]:
    """Variables that make any network fetch fail fast and keep git from reading user config."""
    env = {
        "HTTP_PROXY": _DEAD_PROXY,
        "HTTPS_PROXY": _DEAD_PROXY,
        "ALL_PROXY": _DEAD_PROXY,
        "http_proxy": _DEAD_PROXY,
        "https_proxy": _DEAD_PROXY,
        "all_proxy": _DEAD_PROXY,
        "NO_PROXY": "",
        "no_proxy": "",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_ALLOW_PROTOCOL": "none",
        "GIT_SSH_COMMAND": "false",
        # kustomize's plugin home: somewhere empty, so no plugin can be found even by mistake.
        "KUSTOMIZE_PLUGIN_HOME": os.devnull,
        # Builds run one per core already; a Go runtime per build spreading its GC over every
        # core only contends with the others (cold diffs ~10% faster on 2 cores).
        "GOMAXPROCS": "1",
    }
    if home is not None:
        env["HOME"] = str(home)
    return env


_KLOG = re.compile(r'err="(.*)"\s*$')
# kustomize quotes a generator's literals when one lacks `=`: that text is the secret itself.
# A literal may hold spaces, commas and brackets: up to kustomize's own words after it.
_LITERALS = re.compile(r"(literal sources?) (?:\[.*\](?=:)|.*?(?=, expected)|\S+)")


def first_error_line(stderr: str) -> str:
    """The first line of kustomize's error, without its `Error:` prefix or kubectl's log frame."""
    for raw in stderr.splitlines():
        line = raw.strip()
        # kustomize prints deprecation warnings (`# Warning: 'commonLabels' is deprecated`)
        # before the error itself.
        if not line or line.startswith("# Warning:"):
            continue
        m = _KLOG.search(line)
        if m:
            line = m.group(1).replace('\\"', '"').replace("\\'", "'")
        for prefix in ("Error: ", "error: "):
            line = line.removeprefix(prefix)
        return Redactor()(_LITERALS.sub(rf"\1 {REDACTED}", line))[:400]
    return "no error message"
