# Cases for default-namespace (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.default_namespace

import rego.v1

namespaced_deployment(namespace) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": namespace}, "spec": {}}

cases := [
	{"name": "default namespace", "input": namespaced_deployment("default"), "warn": 1},
	{"name": "own namespace", "input": namespaced_deployment("shop"), "warn": 0},
	{"name": "no namespace", "input": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}, "warn": 0},
	{"name": "a service in default is not a workload", "input": {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "default"}}, "warn": 0},
]
