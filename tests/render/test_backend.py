"""kustomize's error as one line: its generator literals, which may be secrets, never quoted."""

from __future__ import annotations

import pytest

from gitops_gate.render.backend import first_error_line

LITERAL = "pa ss, w]rd" + "Zq8vN3xLp2Rt7WmK"


@pytest.mark.parametrize(
    "stderr",
    [
        f"Error: loading KV pairs: literal sources [{LITERAL}]: invalid literal source "
        f"{LITERAL}, expected key=value\n",
        # kubectl kustomize wraps it in a klog line
        f'E1204 12:00:00.000000 1 run.go:72] "command failed" err="loading KV pairs: literal '
        f'sources [{LITERAL}]: invalid literal source {LITERAL}, expected key=value"\n',
    ],
    ids=["kustomize", "kubectl"],
)
def test_a_literal_without_a_key_is_not_quoted(stderr: str) -> None:
    assert first_error_line(stderr) == (
        "loading KV pairs: literal sources <redacted>: "
        "invalid literal source <redacted>, expected key=value"
    )


def test_the_error_is_shown_not_the_deprecation_warnings_before_it() -> None:
    stderr = (
        "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead.\n"
        "Error: accumulating resources: 'overlays/prod/app' must resolve to a file\n"
    )

    assert first_error_line(stderr) == (
        "accumulating resources: 'overlays/prod/app' must resolve to a file"
    )
