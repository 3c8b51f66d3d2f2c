package main

import rego.v1

test_deployment_without_label_is_denied if {
	count(deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web"}}
}

test_deployment_with_label_passes if {
	count(deny) == 0 with input as {
		"kind": "Deployment",
		"metadata": {"name": "web", "labels": {"app.kubernetes.io/part-of": "shop"}},
	}
}

test_other_kinds_are_ignored if {
	count(deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "settings"}}
}
