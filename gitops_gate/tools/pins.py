"""The pinned toolchain: which version of each binary, how Go builds it, how to read its version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Build(Enum):
    """How Go turns a pin into a binary."""

    # `go install module/pkg@version`: the module's own go.mod/go.sum, no replace lines needed.
    INSTALL = "go install"
    # `go get` + `go build` in a scratch module: for modules whose go.mod has replace lines
    # (etcd's server, k8s.io/kubernetes) that `go install pkg@version` refuses.
    SCRATCH = "go build"


@dataclass(frozen=True, slots=True)
class Pin:
    """One pinned tool."""

    name: str
    version: str  # the Go module version, always with a leading "v"
    module: str
    package: str  # the main package Go builds
    build: Build
    version_args: tuple[str, ...]
    version_pattern: str  # a regex whose first group is the version the binary prints
    ldflags: tuple[str, ...] = ()  # may use {version} and {bare} (version without "v")
    staging_replaces: bool = False  # point k8s.io/kubernetes' staging modules at v0.X.Y
    build_timeout: float = 1800.0
    release_url: str = ""  # where a person gets a prebuilt binary
    fallback: str = ""  # what gitops-gate does without this tool

    @property
    def bare(self) -> str:
        return bare(self.version)

    @property
    def dir_name(self) -> str:
        return f"{self.name}-{self.version}"

    def rendered_ldflags(self) -> list[str]:
        return [f.format(version=self.version, bare=self.bare) for f in self.ldflags]

    def parse_version(self, output: str) -> str | None:
        """The version in a `--version` output, or None when it says none."""
        match = re.search(self.version_pattern, output, re.MULTILINE)
        return match.group(1) if match else None

    def matches(self, found: str) -> bool:
        return bare(found) == self.bare


def bare(version: str) -> str:
    return version.removeprefix("v")


def _kube_ldflags(version: str) -> tuple[str, ...]:
    major, minor, _ = bare(version).split(".")
    pkg = "k8s.io/component-base/version"
    return (
        f"-X {pkg}.gitVersion={{version}}",
        f"-X {pkg}.gitMajor={major}",
        f"-X {pkg}.gitMinor={minor}",
        f"-X {pkg}.gitTreeState=clean",
    )


# kubectl on our machines is v1.32: the apiserver may be one minor newer (version skew policy),
# and v1.33.13 is 1.33's newest patch on the proxy. etcd is the 3.5.x that Kubernetes v1.33.13
# pins in build/dependencies.yaml. Debian's etcd-server 3.4.23 is older than the 3.4.31/3.5.13
# that 1.33's apiserver needs for watch progress requests (storage/feature/
# feature_support_checker.go), so consistent reads from cache would silently be off.
KUBERNETES_VERSION = "v1.33.13"

_PINS = (
    Pin(
        name="conftest",
        version="v0.71.1",
        module="github.com/open-policy-agent/conftest",
        package="github.com/open-policy-agent/conftest",
        build=Build.INSTALL,
        version_args=("--version",),
        version_pattern=r"^Conftest:\s*v?(\S+)",
        # As its release build (.goreleaser.yml); otherwise it prints "dev".
        ldflags=("-X github.com/open-policy-agent/conftest/internal/version.Version={bare}",),
        release_url="https://github.com/open-policy-agent/conftest/releases/tag/v0.71.1",
        fallback="policies run on the built-in Rego engine",
    ),
    Pin(
        name="kubeconform",
        version="v0.8.0",
        module="github.com/yannh/kubeconform",
        package="github.com/yannh/kubeconform/cmd/kubeconform",
        build=Build.INSTALL,
        version_args=("-v",),
        version_pattern=r"^(v?\d+\.\d+\.\d+\S*)\s*$",
        # As its release build (.goreleaser.yml); otherwise it prints "development".
        ldflags=("-X main.version={version}",),
        release_url="https://github.com/yannh/kubeconform/releases/tag/v0.8.0",
        fallback="schemas are checked by the built-in validator",
    ),
    Pin(
        # v5.8.3 needs Go 1.27; v5.8.2 is the newest that builds with Go 1.26.
        name="kustomize",
        version="v5.8.2",
        module="sigs.k8s.io/kustomize/kustomize/v5",
        package="sigs.k8s.io/kustomize/kustomize/v5",
        build=Build.INSTALL,
        version_args=("version",),
        # It reads its version from the Go build info, which `go install m@v` fills in.
        version_pattern=r"(v\d+\.\d+\.\d+\S*)",
        release_url="https://github.com/kubernetes-sigs/kustomize/releases/tag/kustomize%2Fv5.8.2",
        fallback="kustomizations render with `kubectl kustomize`",
    ),
    Pin(
        name="etcd",
        version="v3.5.24",
        module="go.etcd.io/etcd/server/v3",
        package="go.etcd.io/etcd/server/v3",
        build=Build.SCRATCH,
        version_args=("--version",),
        # The version is a constant in go.etcd.io/etcd/api/v3/version: no ldflags needed.
        version_pattern=r"^etcd Version:\s*v?(\S+)",
        build_timeout=2400.0,
        release_url="https://github.com/etcd-io/etcd/releases/tag/v3.5.24",
        fallback="tests against a real API server are skipped",
    ),
    Pin(
        name="kube-apiserver",
        version=KUBERNETES_VERSION,
        module="k8s.io/kubernetes",
        package="k8s.io/kubernetes/cmd/kube-apiserver",
        build=Build.SCRATCH,
        version_args=("--version",),
        version_pattern=r"^Kubernetes\s+(v\S+)",
        # Without these it reports v0.0.0-master+$Format:%H$.
        ldflags=_kube_ldflags(KUBERNETES_VERSION),
        staging_replaces=True,
        build_timeout=3600.0,
        release_url=f"https://dl.k8s.io/{KUBERNETES_VERSION}/bin/linux/amd64/kube-apiserver",
        fallback="tests against a real API server are skipped",
    ),
    Pin(
        # The secret scan's subprocess engine (secrets.engine); v8.30.1 builds with Go 1.26.
        name="gitleaks",
        version="v8.30.1",
        module="github.com/zricethezav/gitleaks/v8",
        package="github.com/zricethezav/gitleaks/v8",
        build=Build.INSTALL,
        version_args=("version",),
        version_pattern=r"^(v?\d+\.\d+\.\d+\S*)\s*$",
        # As its release build (.goreleaser.yml); otherwise it prints a placeholder.
        ldflags=("-X github.com/zricethezav/gitleaks/v8/version.Version={version}",),
        release_url="https://github.com/gitleaks/gitleaks/releases/tag/v8.30.1",
        fallback="secrets are scanned by the built-in detect-secrets engine",
    ),
)

PINS: dict[str, Pin] = {pin.name: pin for pin in _PINS}
