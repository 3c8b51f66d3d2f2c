"""The cluster adapter: plain-dict objects of any kind over lightkube, API errors made ours.

Every object travels as a dict through a generic resource class built per kind (never one of
lightkube's typed models), so fields the models do not know survive a round trip. A kind's
plural and scope come from lightkube's built-in table, else from the cluster's CRDs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
from lightkube import ALL_NS, ApiError, Client, KubeConfig
from lightkube.core import resource as lk
from lightkube.core.exceptions import ConfigError as LkConfigError
from lightkube.core.exceptions import LoadResourceError
from lightkube.core.resource_registry import resource_registry
from lightkube.generic_resource import (
    GenericGlobalResource,
    GenericNamespacedResource,
    create_api_info,
)
from lightkube.resources.apiextensions_v1 import CustomResourceDefinition

from gitops_gate.reconcile.errors import PermanentError, ReconcileError, TemporaryError
from gitops_gate.reconcile.objects import ObjectRef

FIELD_MANAGER = "gitops-gate"
_TIMEOUT = httpx.Timeout(30.0)
_RETRY_CODES = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Kind:
    """How the API serves one kind: its URL plural and whether objects live in a namespace."""

    api_version: str
    kind: str
    plural: str
    namespaced: bool

    def resource(self) -> type[Any]:
        return _resource_class(self)


_CLASSES: dict[Kind, type[Any]] = {}


def _resource_class(kind: Kind) -> type[Any]:
    """A generic lightkube resource for kind; not registered, so it never shadows a model."""
    if kind not in _CLASSES:
        group, _, version = kind.api_version.rpartition("/")
        base = GenericNamespacedResource if kind.namespaced else GenericGlobalResource
        info = create_api_info(group, version, kind.kind, kind.plural)
        _CLASSES[kind] = type(kind.kind, (base,), {"_api_info": info})
    return _CLASSES[kind]


class Cluster:
    """One API server, reached through a lightkube client."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._kinds: dict[tuple[str, str], Kind] = {}

    @classmethod
    def connect(cls, kubeconfig: Path | None = None, context: str | None = None) -> Cluster:
        """The cluster kubeconfig (else $KUBECONFIG, ~/.kube/config, in-cluster) points at."""
        try:
            if kubeconfig is None and context is None:
                return cls(Client(field_manager=FIELD_MANAGER, timeout=_TIMEOUT))
            found = KubeConfig.from_file(kubeconfig) if kubeconfig else KubeConfig.from_env()
            single = found.get(context_name=context)
            return cls(Client(single, field_manager=FIELD_MANAGER, timeout=_TIMEOUT))
        except (LkConfigError, OSError) as e:
            hint = "pass --kubeconfig"
            raise PermanentError(f"cannot read the kubeconfig: {e}", hint=hint) from e

    def kind(self, api_version: str, kind: str) -> Kind:
        """How the API serves kind at api_version; PermanentError when it does not."""
        key = (api_version, kind)
        if key not in self._kinds:
            found = _builtin(api_version, kind) or self._custom(api_version, kind)
            if found is None:
                raise PermanentError(
                    f"the cluster does not serve {kind} in {api_version}",
                    hint="apply its CustomResourceDefinition first",
                )
            self._kinds[key] = found
        return self._kinds[key]

    def _custom(self, api_version: str, kind: str) -> Kind | None:
        group, _, version = api_version.rpartition("/")
        with api_errors(f"list CRDs for {kind}"):
            for crd in self.client.list(CustomResourceDefinition):
                spec = crd.spec
                if spec.group != group or spec.names.kind != kind:
                    continue
                if any(v.name == version and v.served for v in spec.versions):
                    return Kind(api_version, kind, spec.names.plural, spec.scope == "Namespaced")
        return None

    def namespaced(self, ref: ObjectRef) -> bool:
        return self.kind(ref.api_version, ref.kind).namespaced

    def apply(self, body: dict[str, Any], *, dry_run: bool = False) -> dict[str, Any]:
        """Server-side apply body as gitops-gate (taking over conflicting fields)."""
        ref = ObjectRef.of(body)
        obj = self.kind(ref.api_version, ref.kind).resource()(body)
        with api_errors(f"apply {ref}"):
            out = self.client.apply(obj, field_manager=FIELD_MANAGER, force=True, dry_run=dry_run)
        return dict(out)

    def get(self, ref: ObjectRef) -> dict[str, Any] | None:
        """The live object, or None when there is none."""
        res = self.kind(ref.api_version, ref.kind).resource()
        with api_errors(f"get {ref}", missing_ok=True):
            return dict(self.client.get(res, ref.name, namespace=ref.namespace or None))
        return None

    def list(self, api_version: str, kind: str, namespace: str = "") -> list[dict[str, Any]]:
        """Every object of kind (in namespace, when given)."""
        res = self.kind(api_version, kind).resource()
        ns = namespace or (ALL_NS if self.kind(api_version, kind).namespaced else None)
        with api_errors(f"list {kind}"):
            return [dict(o) for o in self.client.list(res, namespace=ns)]

    def delete(self, ref: ObjectRef) -> None:
        """Delete ref (background propagation); already gone is fine."""
        res = self.kind(ref.api_version, ref.kind).resource()
        with api_errors(f"delete {ref}", missing_ok=True):
            self.client.delete(res, ref.name, namespace=ref.namespace or None)

    def replace(self, body: dict[str, Any]) -> dict[str, Any]:
        """Write body as it is (a compare-and-swap on its resourceVersion)."""
        ref = ObjectRef.of(body)
        obj = self.kind(ref.api_version, ref.kind).resource()(body)
        with api_errors(f"replace {ref}"):
            return dict(self.client.replace(obj))

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        ref = ObjectRef.of(body)
        obj = self.kind(ref.api_version, ref.kind).resource()(body)
        with api_errors(f"create {ref}"):
            return dict(self.client.create(obj))


def _builtin(api_version: str, kind: str) -> Kind | None:
    try:
        model = resource_registry.load(api_version, kind)
    except LoadResourceError:
        return None
    if issubclass(model, GenericGlobalResource | GenericNamespacedResource):
        return None  # a CRD someone registered in this process: ask the cluster instead
    # lightkube's ApiInfo is read by its own client from the same attribute; a test pins it.
    info = model._api_info
    return Kind(api_version, kind, info.plural, issubclass(model, lk.NamespacedResource))


@contextmanager
def api_errors(doing: str, *, missing_ok: bool = False) -> Iterator[None]:
    """Turn lightkube's and httpx's errors into TemporaryError or PermanentError."""
    try:
        yield
    except ApiError as e:
        code = e.status.code or 0
        if missing_ok and code == 404:
            return
        message = f"cannot {doing}: {code} {e.status.reason or ''} {e.status.message or ''}"
        if code in _RETRY_CODES:
            raise TemporaryError(message.strip(), retry_after=1.0) from e
        raise PermanentError(message.strip()) from e
    except httpx.TransportError as e:
        raise TemporaryError(f"cannot {doing}: {type(e).__name__}: {e}") from e
    except ReconcileError:
        raise
