# Cases for privileged-containers (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.privileged_containers

import rego.v1

pod(security) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "x"},
	"spec": {"containers": [{"name": "app", "image": "app:1.0.0", "securityContext": security}]},
}

cases := [
	{"name": "privileged", "input": pod({"privileged": true}), "warn": 1},
	{"name": "escalation allowed", "input": pod({"allowPrivilegeEscalation": true}), "warn": 1},
	{"name": "both", "input": pod({"privileged": true, "allowPrivilegeEscalation": true}), "warn": 2},
	{"name": "hardened", "input": pod({"privileged": false, "allowPrivilegeEscalation": false}), "warn": 0},
]
