# Cases for host-access (see no_latest_tag_cases_test.rego for how they are used).
package gitops_gate.cases.host_access

import rego.v1

daemonset(spec) := {
	"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "x"},
	"spec": {"template": {"spec": object.union({"containers": [{"name": "a", "image": "a:1.0.0"}]}, spec)}},
}

cases := [
	{"name": "hostPath volume", "input": daemonset({"volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}]}), "warn": 1},
	{"name": "host network", "input": daemonset({"hostNetwork": true}), "warn": 1},
	{"name": "host pid and ipc", "input": daemonset({"hostPID": true, "hostIPC": true}), "warn": 2},
	{"name": "emptyDir", "input": daemonset({"volumes": [{"name": "tmp", "emptyDir": {}}], "hostNetwork": false}), "warn": 0},
]
