# METADATA
# title: Pods stay off the host
# description: No pod mounts a hostPath volume or joins the host's network, PID or IPC namespace.
# custom:
#   id: host-access
#   severity: warning
#   rationale: >-
#     hostPath and host namespaces reach through the container boundary into the node: its
#     files, its network and its processes.
#   remediation: >-
#     Use a PersistentVolumeClaim, ConfigMap or emptyDir instead of hostPath, and drop
#     hostNetwork, hostPID and hostIPC; waive the rule for node agents that need them.
package gitops_gate.host_access

import data.gitops_gate.lib
import rego.v1

rule_id := "host-access"

warn contains lib.result(rule_id, "warning", msg, array.concat(lib.pod_spec[0], ["volumes", i, "hostPath"])) if {
	some i, v in object.get(lib.pod_spec[1], "volumes", [])
	is_object(v.hostPath)
	msg := sprintf("%s mounts hostPath volume \"%s\" (%s)", [lib.resource_name, v.name, object.get(v.hostPath, "path", "")])
}

warn contains lib.result(rule_id, "warning", msg, array.concat(lib.pod_spec[0], [field])) if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	lib.pod_spec[1][field] == true
	msg := sprintf("%s sets %s", [lib.resource_name, field])
}
