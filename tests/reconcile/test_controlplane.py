"""The test control plane is a real apiserver: objects written to it are there to read back."""

from __future__ import annotations

import pytest
from lightkube import Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def test_objects_written_can_be_read_back(kube: Client) -> None:
    kube.create(Namespace(metadata=ObjectMeta(name="cp-smoke")))
    kube.create(ConfigMap(metadata=ObjectMeta(name="c", namespace="cp-smoke"), data={"k": "v"}))

    got = kube.get(ConfigMap, "c", namespace="cp-smoke")

    assert got.data == {"k": "v"}
