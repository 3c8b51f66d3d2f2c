# Cases for container-resources (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.container_resources

import rego.v1

resources_deployment(resources) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "shop"},
	"spec": {"template": {"spec": {"containers": [object.union({"name": "app", "image": "app:1.0.0"}, resources)]}}},
}

cases := [
	{"name": "no resources", "input": resources_deployment({}), "warn": 2},
	{"name": "requests only", "input": resources_deployment({"resources": {"requests": {"cpu": "100m"}}}), "warn": 1},
	{"name": "empty limits", "input": resources_deployment({"resources": {"requests": {"cpu": "100m"}, "limits": {}}}), "warn": 1},
	{"name": "both", "input": resources_deployment({"resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "128Mi"}}}), "warn": 0},
	{
		"name": "ephemeral containers cannot set resources", "warn": 0,
		"input": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "x"}, "spec": {"ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}]}},
	},
]
