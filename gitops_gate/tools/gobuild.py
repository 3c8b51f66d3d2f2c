"""Build one pinned tool with Go: `go install m@v`, or `go get` + `go build` in a scratch module."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.tools.pins import Build, Pin

# Scratch modules live in the system temp dir, never in a work tree; Go's module and build
# caches stay at Go's defaults so every build shares them.
_SCRATCH_PREFIX = "gitops-gate-build-"
_DOWNLOAD_TIMEOUT = 1200.0
_STAGING_REPLACE = re.compile(r"^\s*(k8s\.io/[\w.-]+)\s+=>\s+\./staging/", re.MULTILINE)


def go_binary() -> Path | None:
    where = shutil.which("go")
    return Path(where) if where else None


def go_version(go: Path) -> str:
    return run([go, "env", "GOVERSION"], timeout=60).stdout.strip()


def go_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Static binaries, and no go.work of the caller's that could swap a dependency."""
    env = {"CGO_ENABLED": "0", "GOWORK": "off"}
    env.update(extra or {})
    return env


def build(pin: Pin, go: Path, out_dir: Path) -> Path:
    """Build pin into out_dir and return the binary's path; raises ToolError when Go fails."""
    if pin.build is Build.INSTALL:
        _go_install(pin, go, out_dir)
    else:
        _scratch_build(pin, go, out_dir)
    return out_dir / pin.name


def _flags(pin: Pin) -> list[str]:
    return ["-trimpath", "-ldflags=" + " ".join(["-s", "-w", *pin.rendered_ldflags()])]


def _go_install(pin: Pin, go: Path, out_dir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX) as tmp:
        # cwd outside any module, so `go install m@v` builds exactly m's go.mod/go.sum.
        run(
            [go, "install", *_flags(pin), f"{pin.package}@{pin.version}"],
            timeout=pin.build_timeout,
            cwd=Path(tmp),
            env=go_env({"GOBIN": str(out_dir)}),
        )


def _scratch_build(pin: Pin, go: Path, out_dir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX) as tmp:
        scratch = Path(tmp)
        replaces = _staging_replaces(pin, go, scratch) if pin.staging_replaces else []
        (scratch / "go.mod").write_text(scratch_go_mod(pin, replaces))
        env = go_env()
        run(
            [go, "get", f"{pin.package}@{pin.version}"],
            timeout=_DOWNLOAD_TIMEOUT,
            cwd=scratch,
            env=env,
        )
        run(
            [go, "build", *_flags(pin), "-o", out_dir / pin.name, pin.package],
            timeout=pin.build_timeout,
            cwd=scratch,
            env=env,
        )


def scratch_go_mod(pin: Pin, replaced: list[str]) -> str:
    """A go.mod whose replace lines point each staging module at its published v0.X.Y."""
    lines = [f"module gitops-gate.invalid/build/{pin.name}", "", "go 1.22", ""]
    if replaced:
        staging = "v0." + pin.bare.split(".", 1)[1]
        lines += ["replace (", *(f"\t{m} => {m} {staging}" for m in replaced), ")", ""]
    return "\n".join(lines)


def _staging_replaces(pin: Pin, go: Path, cwd: Path) -> list[str]:
    """The staging modules k8s.io/kubernetes replaces with ./staging/src/... paths."""
    done = run(
        [go, "mod", "download", "-json", f"{pin.module}@{pin.version}"],
        timeout=_DOWNLOAD_TIMEOUT,
        cwd=cwd,
        env=go_env(),
    )
    gomod = Path(json.loads(done.stdout)["GoMod"]).read_text()
    return sorted(set(_STAGING_REPLACE.findall(gomod)))
