"""The sections of .gitops-gate.yaml as frozen dataclasses, each read once when the file loads.

A section's defaults are what a repo without the key gets; every subsystem reads its section
from `Config` (config.policy, config.windows, ...), never the file's raw mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gitops_gate.config.reader import Reader
from gitops_gate.findings import Severity
from gitops_gate.manifests.budget import Budget

ENGINE_MODES = ("auto", "subprocess", "builtin")
# `secrets.engine`: builtin (detect-secrets, the default), gitleaks, or auto (gitleaks if found).
SECRET_ENGINES = ("builtin", "gitleaks", "auto")
_CHECKS = ("schema", "policy", "render")  # the checks whose backend `engines:` picks
SEVERITIES = tuple(s.label for s in Severity)
FAIL_ON = ("production", "all", "none")
DEFAULT_BASELINE = ".secrets.baseline"
DEFAULT_OVERRIDE_LABEL = "gitops-gate/override-window"
DEFAULT_WAIVER_DAYS = 90


@dataclass(frozen=True, slots=True)
class EnginesSection:
    """`engines:` the backend each check runs: auto (the default), subprocess or builtin."""

    schema: str = "auto"
    policy: str = "auto"
    render: str = "auto"

    @classmethod
    def parse(cls, read: Reader) -> EnginesSection:
        return cls(*(read.choice(check, ENGINE_MODES, "auto") for check in _CHECKS))

    def mode(self, check: str) -> str:
        return str(getattr(self, check)) if check in _CHECKS else "auto"


@dataclass(frozen=True, slots=True)
class LimitsSection:
    """`limits:` what the loader refuses to read: large files, alias bombs, deep nesting, and
    more documents, bytes or nodes in one run than its budget."""

    max_file_bytes: int = 5 * 1024 * 1024
    max_alias_expansion: int = 100_000
    max_depth: int = 256
    budget: Budget = field(default_factory=Budget)  # what a whole run may load

    @classmethod
    def parse(cls, read: Reader) -> LimitsSection:
        default, spend = cls(), Budget()
        return cls(
            read.integer("maxFileBytes", default.max_file_bytes),
            read.integer("maxAliasExpansion", default.max_alias_expansion),
            read.integer("maxDepth", default.max_depth),
            Budget(
                read.integer("maxDocumentsPerFile", spend.max_documents_per_file),
                read.integer("maxDocuments", spend.max_documents),
                read.integer("maxTotalBytes", spend.max_total_bytes),
                read.integer("maxNodes", spend.max_nodes),
            ),
        )


@dataclass(frozen=True, slots=True)
class PolicySection:
    """`policy:` where the repo's policies are, and which rules are off or reweighed."""

    paths: tuple[str, ...] | None = None  # None: the policy folder's usual name
    builtin: bool = True
    disable: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)  # handed to the policies as data
    timeout: float = 120.0  # seconds one engine run may take (one conftest process)
    max_memory_mb: int = 2048  # what one engine run may allocate
    data: tuple[str, ...] = ()  # JSON/YAML files merged into data, as conftest's --data
    rego_version: str = "v1"  # how the policies are parsed, as conftest's --rego-version

    @classmethod
    def parse(cls, read: Reader) -> PolicySection:
        levels = read.section("severity")
        return cls(
            paths=read.strings("paths"),
            builtin=read.flag("builtin", True),
            disable=frozenset(read.strings("disable") or ()),
            severity={
                rule: Severity.parse(levels.choice(rule, SEVERITIES, "error"))
                for rule in levels.body
            },
            rules=read.mapping("rules"),
            timeout=read.number("timeout", 120.0),
            max_memory_mb=read.integer("maxMemoryMB", 2048),
            data=read.strings("data") or (),
            rego_version=read.choice("regoVersion", ("v1", "v0"), "v1"),
        )


@dataclass(frozen=True, slots=True)
class SecretAllow:
    """One `secrets.allow` entry: secrets in files matching path (of kind, on line) pass."""

    path: str
    kind: str | None = None
    line: int | None = None

    @classmethod
    def parse(cls, read: Reader) -> SecretAllow:
        # The schema requires path; "*" is what an entry without one always meant.
        path = read.text("path", "*")
        return cls(path, read.optional_text("kind"), read.optional_integer("line"))


@dataclass(frozen=True, slots=True)
class SecretsSection:
    """`secrets:` the detect-secrets baseline (relative to the root), the allow-list and the
    engine."""

    baseline: str = DEFAULT_BASELINE
    allow: tuple[SecretAllow, ...] = ()
    # Set when a change is checked: the baseline as the base ref has it ("" if it has none),
    # read from git, so the change cannot add its own secrets to it. None: the file on disk.
    baseline_text: str | None = None
    engine: str = "builtin"

    @classmethod
    def parse(cls, read: Reader) -> SecretsSection:
        entries = tuple(SecretAllow.parse(entry) for entry in read.sections("allow"))
        engine = read.choice("engine", SECRET_ENGINES, "builtin")
        return cls(read.text("baseline", DEFAULT_BASELINE), entries, engine=engine)


@dataclass(frozen=True, slots=True)
class WindowsSection:
    """`windows:` which closed environments fail the gate, and the label that overrides."""

    fail_on: str | tuple[str, ...] = "production"  # one of FAIL_ON, or environment names
    override_label: str = DEFAULT_OVERRIDE_LABEL

    @classmethod
    def parse(cls, read: Reader) -> WindowsSection:
        fail_on: str | tuple[str, ...]
        if isinstance(read.body.get("failOn"), list):
            fail_on = read.strings("failOn") or ()
        else:
            fail_on = read.choice("failOn", FAIL_ON, "production")
        # An empty label (the schema refuses it) would match no pull request: the default.
        label = read.text("overrideLabel", DEFAULT_OVERRIDE_LABEL) or DEFAULT_OVERRIDE_LABEL
        return cls(fail_on, label)


@dataclass(frozen=True, slots=True)
class ValidateSection:
    """`validate:` schema validation settings; paths stay as written, relative to the root."""

    strict: bool = False
    kubernetes_version: str | None = None
    skip_kinds: frozenset[str] = frozenset()
    reject_kinds: frozenset[str] = frozenset()
    crd_dirs: tuple[str, ...] = ()
    ignore_missing_schemas: bool = False
    schema_locations: tuple[str, ...] = ()
    bundled_crds: bool = True  # the schemas of common CRDs shipped with gitops-gate

    @classmethod
    def parse(cls, read: Reader) -> ValidateSection:
        return cls(
            strict=read.flag("strict", False),
            kubernetes_version=read.optional_text("kubernetesVersion"),
            skip_kinds=frozenset(read.strings("skipKinds") or ()),
            reject_kinds=frozenset(read.strings("rejectKinds") or ()),
            crd_dirs=read.strings("crdDirs") or (),
            ignore_missing_schemas=read.flag("ignoreMissingSchemas", False),
            schema_locations=read.strings("schemaLocations") or (),
            bundled_crds=read.flag("bundledCrds", True),
        )


@dataclass(frozen=True, slots=True)
class DiffSection:
    """`diff:` how environments are rendered for a diff, and the fields a diff ignores."""

    ignore_paths: tuple[str, ...] = ()  # JSON pointers
    helm: bool = False
    timeout: float = 120.0  # seconds for one environment's render
    # Render even where kustomize cannot be cut off from the network (no userns, no seccomp).
    allow_unsandboxed_render: bool = False

    @classmethod
    def parse(cls, read: Reader) -> DiffSection:
        return cls(
            read.strings("ignorePaths") or (),
            read.flag("helm", False),
            read.number("timeout", 120.0),
            read.flag("allowUnsandboxedRender", False),
        )


@dataclass(frozen=True, slots=True)
class WaiversSection:
    """`waivers:` the longest a waiver may run, in days from the run's date."""

    max_days: int = DEFAULT_WAIVER_DAYS

    @classmethod
    def parse(cls, read: Reader) -> WaiversSection:
        return cls(read.integer("maxDays", DEFAULT_WAIVER_DAYS))


@dataclass(frozen=True, slots=True)
class AuditSection:
    """`audit:` where the audit log is (a SQLite file, or a PostgreSQL URL) and how long it
    keeps events (None: for ever)."""

    path: str | None = None  # relative to the root; None: one file per repo in XDG_STATE_HOME
    url: str | None = None
    retention_days: int | None = None

    @classmethod
    def parse(cls, read: Reader) -> AuditSection:
        return cls(
            read.optional_text("path"),
            read.optional_text("url"),
            read.optional_integer("retentionDays"),
        )


@dataclass(frozen=True, slots=True)
class ReconcileSettings:
    """An environment's reconciler keys: `selfHeal`, `rollbackOnFailure`, `prune`,
    `healthTimeout` (seconds); `autoSync` stays on the environment, which the gate reads too."""

    self_heal: bool = False  # as Argo CD: drift is reported, corrected only when asked
    rollback_on_failure: bool = False
    prune: bool = True  # only ever what the reconciler itself applied (its inventory)
    health_timeout: float = 300.0

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> ReconcileSettings:
        return cls(
            bool(spec.get("selfHeal", False)),
            bool(spec.get("rollbackOnFailure", False)),
            bool(spec.get("prune", True)),
            float(spec.get("healthTimeout", 300.0)),
        )
